"""Designsystemet (Digdir) from the npm registry, served from our own static files: the committed
copy is the package's file (`make install` copies it), our theme is the one generated from
designsystemet.config.json, and every page links theme, components and our rules in that order
(ours last: unlayered rules win over the `ds` layer)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

BASE = Path(settings.BASE_DIR)
VENDOR = BASE / "static" / "vendor" / "designsystemet"
PACKAGE = BASE / "node_modules" / "@digdir" / "designsystemet-css"


def test_the_package_is_pinned_in_package_json():
    pins = json.loads((BASE / "package.json").read_text())["devDependencies"]
    assert pins["@digdir/designsystemet-css"][0].isdigit(), "pin an exact version"


def test_the_committed_copy_is_the_installed_package():
    if not (PACKAGE / "dist" / "src" / "index.css").exists():
        pytest.skip("node_modules has no @digdir/designsystemet-css (make install runs npm ci)")
    version = json.loads((PACKAGE / "package.json").read_text())["version"]
    pinned = json.loads((BASE / "package.json").read_text())["devDependencies"]
    assert version == pinned["@digdir/designsystemet-css"]
    assert (VENDOR / "designsystemet.css").read_bytes() == (
        PACKAGE / "dist" / "src" / "index.css"
    ).read_bytes(), "run `make design-css` and commit static/vendor/designsystemet/"


def test_the_theme_carries_our_colours():
    config = json.loads((BASE / "designsystemet.config.json").read_text())
    colours = config["themes"]["introsteg"]["colors"]
    theme = (VENDOR / "introsteg-theme.css").read_text()
    assert f"--ds-color-accent-base-default: {colours['main']['accent']}" in theme
    assert f"--ds-color-brand-base-default: {colours['support']['brand']}" in theme
    assert "Permission is hereby granted, free of charge" in (VENDOR / "LICENSE").read_text()


@pytest.mark.django_db
def test_pages_link_theme_then_components_then_ours(client):
    html = client.get(reverse("account_login")).content.decode()
    order = [
        html.index("/static/vendor/designsystemet/introsteg-theme.css"),
        html.index("/static/vendor/designsystemet/designsystemet.css"),
        html.index("/static/css/introsteg.css"),
    ]
    assert order == sorted(order)
    assert "https://" not in html.split("</head>")[0]
