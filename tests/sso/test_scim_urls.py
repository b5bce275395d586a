"""The SCIM URLs (sso/scim/urls.py): loading the URLconf leaves scim2-models unimported, and
the endpoint still needs no CSRF token (its callbacks are exempt, not only the views behind
them)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from sso.models import DirectorySync
from sso.scim.services import create_scim_token

ROOT = Path(__file__).resolve().parents[2]

_LOAD_THE_URLS = """
import json, os, sys
import django
django.setup()
from django.urls import get_resolver, resolve
get_resolver().url_patterns
loaded = "scim2_models" in sys.modules
match = resolve("/scim/v2/Users")
print(json.dumps({"loaded": loaded, "view": match.view_name}), flush=True)
# Without the interpreter's finalization (0.9 s of CPU over everything Django loaded).
os._exit(0)
"""


def test_loading_the_urls_does_not_import_scim2_models():
    # A fresh interpreter: this test process has imported scim2-models already (the SCIM tests).
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _LOAD_THE_URLS],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown == {"loaded": False, "view": "scim:users"}


@pytest.mark.django_db
def test_a_scim_post_needs_no_csrf_token(kommunadmin, kommun_a, enhet_a):
    DirectorySync.objects.create(organisation=kommun_a, default_unit=enhet_a)
    _row, raw = create_scim_token(kommunadmin, organisation_id=kommun_a.pk, label="Entra ID")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "Socialsekreterare",
    }
    response = client.post(
        "/scim/v2/Groups", data=json.dumps(body), content_type="application/scim+json"
    )
    assert response.status_code == 201, response.content
    assert json.loads(response.content)["displayName"] == "Socialsekreterare"
