"""Long Swedish compounds on a phone (issue 17): at 375 px "Tillgänglighetsredogörelse" broke
anywhere ("Tillgänglighetsredo|görelse") because the heading may break inside a word as a last
resort and Chromium without a Swedish hyphenation dictionary finds no better place. The Swedish
text marks where the word may be hyphenated (a soft hyphen at the joint of the compound), so
it breaks as "Tillgänglighets-/redogörelse"; English has no such word to mark."""

import pytest
from django.conf import settings
from django.urls import reverse

SOFT = "\u00ad"


@pytest.mark.django_db
def test_the_statements_heading_hyphenates_at_the_compounds_joint(client):
    body = client.get(reverse("people:accessibility")).content.decode()
    assert f"<h1>Tillgänglighets{SOFT}redogörelse för Introsteg</h1>" in body
    # The tab's title and the footer link are not broken on a line: no soft hyphen there.
    assert "<title>Tillgänglighetsredogörelse" in body
    assert body.count(SOFT) == 1


@pytest.mark.django_db
def test_english_reads_without_one(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher sets it
    body = client.get(reverse("people:accessibility")).content.decode()
    assert "<h1>Accessibility statement for Introsteg</h1>" in body
    assert SOFT not in body
