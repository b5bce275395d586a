"""Swedish first, English complete: the catalogues, the language switcher and the pages and emails
each person gets in their language.

The .po files are made with `manage.py makemessages -l sv -l en --ignore=.venv
--ignore=node_modules --ignore=benchmarks` and compiled by `make translations` (polib).
"""

import datetime
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from people.models import Role
from people.services import invite_person

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
# What makemessages reads (its default extensions for the "django" domain).
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
NOT_SOURCE = {".venv", "node_modules", "benchmarks", ".git", "locale", "media", "staticfiles"}


def catalogue(language: str) -> polib.POFile:
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run makemessages (see this module's docstring)"
    return polib.pofile(str(path))


def entry_key(entry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def live_entries(po: polib.POFile) -> list:
    return [entry for entry in po if not entry.obsolete]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    assert not po.metadata_is_fuzzy, f"{language}: the header is marked fuzzy"
    assert po.metadata.get("Language") == language
    fuzzy = [e.msgid for e in live_entries(po) if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in live_entries(po) if not e.translated()]
    half_plural = [
        e.msgid
        for e in live_entries(po)
        if e.msgid_plural and not all(e.msgstr_plural.get(i) for i in (0, 1))
    ]
    assert not fuzzy, f"{language}: fuzzy entries: {fuzzy[:10]}"
    assert not untranslated, f"{language}: untranslated entries: {untranslated[:10]}"
    assert not half_plural, f"{language}: plural forms missing: {half_plural[:10]}"
    assert len(live_entries(po)) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    wrong = []
    for entry in live_entries(catalogue(language)):
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translated in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                wrong.append((source, translated))
    assert not wrong, f"{language}: placeholders differ: {wrong[:5]}"


def test_english_is_a_translation_not_a_copy():
    copied = [
        e.msgid
        for e in live_entries(catalogue("en"))
        if e.msgstr == e.msgid and re.search("[åäöÅÄÖ]", e.msgid)
    ]
    assert not copied, f"Swedish text left in the English catalogue: {copied[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    mo_path = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{mo_path} is missing: run `make translations`"
    compiled = {entry_key(e): e for e in polib.mofile(str(mo_path))}
    stale = [
        e.msgid
        for e in live_entries(catalogue(language))
        if entry_key(e) not in compiled
        or (compiled[entry_key(e)].msgstr or compiled[entry_key(e)].msgstr_plural)
        != (e.msgstr or e.msgstr_plural)
    ]
    assert not stale, f"{language}: django.mo is older than django.po: run `make translations`"


def _copy_sources(target: Path) -> None:
    def ignore(directory, names):
        skip = set()
        for name in names:
            path = Path(directory) / name
            not_source = path.is_file() and path.suffix not in SOURCE_SUFFIXES
            if name in NOT_SOURCE or name.startswith(".") or not_source:
                skip.add(name)
        return skip

    shutil.copytree(settings.BASE_DIR, target, ignore=ignore)
    for language in LANGUAGES:
        (target / "locale" / language / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(
            LOCALE / language / "LC_MESSAGES" / "django.po",
            target / "locale" / language / "LC_MESSAGES" / "django.po",
        )


def test_catalogues_hold_every_string_in_the_source(tmp_path, settings, monkeypatch):
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed: cannot extract strings")
    project = tmp_path / "project"
    _copy_sources(project)
    monkeypatch.chdir(project)
    settings.LOCALE_PATHS = [project / "locale"]
    call_command(
        "makemessages",
        locale=LANGUAGES,
        ignore_patterns=[".venv", "node_modules", "benchmarks"],
        verbosity=0,
    )
    for language in LANGUAGES:
        extracted = polib.pofile(str(project / "locale" / language / "LC_MESSAGES" / "django.po"))
        known = {entry_key(e) for e in live_entries(catalogue(language))}
        missing = [key for key in map(entry_key, live_entries(extracted)) if key not in known]
        assert not missing, (
            f"{language}: strings in the source that the catalogue lacks – run makemessages "
            f"and translate them: {missing[:10]}"
        )


# --- Pages and emails in the person's language ----------------------------------------------


@pytest.mark.django_db
def test_pages_are_swedish_by_default_and_english_for_an_english_profile(client, ny):
    client.force_login(ny)
    swedish = client.get(reverse("learning:dashboard"))
    assert swedish["Content-Language"] == "sv"
    assert "Min introduktion" in swedish.content.decode()
    assert '<html lang="sv">' in swedish.content.decode()

    ny.preferred_language = "en"
    ny.save(update_fields=["preferred_language"])
    english = client.get(reverse("learning:dashboard"))
    body = english.content.decode()
    assert english["Content-Language"] == "en"
    assert '<html lang="en">' in body
    assert "My introduction" in body
    assert "Min introduktion" not in body
    assert "Skip to content" in body


@pytest.mark.django_db
def test_the_browsers_language_is_ignored(client, ny):
    client.force_login(ny)
    body = client.get(reverse("learning:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Min introduktion" in body


@pytest.mark.django_db
def test_language_switcher_is_a_labelled_form_on_every_page(client, catalog):
    body = client.get(reverse("account_login")).content.decode()
    assert f'action="{reverse("people:set_language")}"' in body
    assert '<label for="language-switcher">Språk</label>' in body
    assert '<select id="language-switcher" name="language">' in body
    assert '<option value="en" lang="en">English</option>' in body
    assert '<option value="sv" lang="sv" selected>Svenska</option>' in body


@pytest.mark.django_db
def test_switcher_sets_the_cookie_for_a_visitor(client, catalog):
    response = client.post(
        reverse("people:set_language"), {"language": "en", "next": reverse("account_login")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get(reverse("account_login")).content.decode()
    assert '<label for="language-switcher">Language</label>' in body
    assert "Log in" in body


@pytest.mark.django_db
def test_switcher_saves_the_profile_language_of_a_logged_in_person(client, ny):
    client.force_login(ny)
    response = client.post(
        reverse("people:set_language"), {"language": "en", "next": reverse("learning:dashboard")}
    )
    assert response["Location"] == reverse("learning:dashboard")
    ny.refresh_from_db()
    assert ny.preferred_language == "en"
    # The profile decides, also on another device without the cookie.
    client.cookies.clear()
    client.force_login(ny)
    assert "My introduction" in client.get(reverse("learning:dashboard")).content.decode()


@pytest.mark.django_db
def test_switcher_ignores_unknown_languages_and_foreign_next_urls(client, ny):
    client.force_login(ny)
    response = client.post(
        reverse("people:set_language"), {"language": "de", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    ny.refresh_from_db()
    assert ny.preferred_language == "sv"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_switcher_needs_post(client):
    assert client.get(reverse("people:set_language")).status_code == 405


def _invite(actor, unit):
    return invite_person(
        actor,
        email="new.colleague@example.org",
        full_name="New Colleague",
        unit=unit,
        role=Role.NEW_HIRE,
        start_date=timezone.localdate() + datetime.timedelta(days=2),
    )


@pytest.mark.django_db
def test_invitation_goes_out_in_swedish_whatever_language_the_admin_uses(
    kommunadmin, enhet_a, django_capture_on_commit_callbacks
):

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        _invite(kommunadmin, enhet_a)
    message = mail.outbox[0]
    assert message.subject == "Välkommen till Introsteg – välj ditt lösenord"
    assert "Välj ditt lösenord" in message.body
    assert '<html lang="sv">' in message.alternatives[0][0]


ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
ENGLISH_MONTHS += ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@pytest.mark.django_db
def test_invitation_goes_out_in_the_recipients_language(
    kommunadmin, enhet_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user = _invite(kommunadmin, enhet_a)
    # The email is built when the task runs, from the recipient's language at that time.
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    for callback in callbacks:
        callback()
    message = mail.outbox[0]
    assert message.subject == "Welcome to Introsteg – choose your password"
    assert "Hello New!" in message.body
    assert "Choose your password here:" in message.body
    start = user.memberships.get().start_date
    month = ENGLISH_MONTHS[start.month - 1]
    assert f"{start.day} {month} {start.year}" in message.body  # the start date, in English
    assert "New social secretary" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="en">' in html
    assert "Välj" not in html


@pytest.mark.django_db
def test_switching_language_with_a_name_stored_before_the_guard_is_not_an_error(client, ny):
    # A name saved before the identity-number guard existed: switching language saves the
    # language alone instead of refusing (or failing on) the old name.
    type(ny).objects.filter(pk=ny.pk).update(full_name="Ny 121212-1212")
    client.force_login(ny)
    response = client.post(
        reverse("people:set_language"), {"language": "en", "next": reverse("learning:dashboard")}
    )
    assert response.status_code == 302
    ny.refresh_from_db()
    assert ny.preferred_language == "en"
