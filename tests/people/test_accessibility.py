"""The accessibility statement (tillgänglighetsredogörelse) and reported barriers: public,
in DIGG's form, linked from every page; a report reaches the municipal admins of the right
municipality and nobody else's; bad input never gives a 500."""

import pytest
from django.core import mail
from django.urls import reverse

from people import accessibility
from people.accessibility import services, views  # noqa: F401
from people.models import AccessibilityReport
from tests.queries import exact_queries

URL = reverse("people:accessibility")
LIST_URL = reverse("people:accessibility_reports")


def _report(client, capture, **data):
    with capture(execute=True):
        return client.post(URL, {"description": "Knappen syns inte i mörkt läge.", **data})


@pytest.mark.django_db
def test_statement_is_public_and_follows_diggs_model(client):
    response = client.get(URL)
    assert response.status_code == 200
    # The heading's long word carries a soft hyphen (tests/people/test_long_words.py).
    body = response.content.decode().replace("\u00ad", "")
    for text in (
        "Tillgänglighetsredogörelse för Introsteg",
        "lagen (2018:1937) om tillgänglighet till digital offentlig service",
        "Hur tillgänglig är tjänsten?",
        "Vad kan du göra om du inte kan använda delar av tjänsten?",
        "Rapportera brister i tjänstens tillgänglighet",
        "Myndigheten för digital förvaltning (Digg)",
        "https://www.digg.se/tdosanmalan",
        "delvis förenlig",
        "Bristande förenlighet med lagkraven",
        "Hur vi testat tjänsten",
        "Senaste bedömningen gjordes den 23 nov. 2026",
        "Redogörelsen uppdaterades senast den 23 nov. 2026",
    ):
        assert text in body, text
    assert 'name="description"' in body
    assert 'name="organisation"' in body  # a visitor may say which municipality they are in
    assert "mailto:noreply" not in body  # no contact address offered until one is configured


@pytest.mark.django_db
def test_configured_contact_address_is_offered(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@example.org"
    assert "mailto:tillganglighet@example.org" in client.get(URL).content.decode()


@pytest.mark.django_db
def test_every_page_links_to_the_statement(client, catalog, ny):
    for url in (reverse("account_login"), catalog.url):
        assert f'href="{URL}"' in client.get(url).content.decode()
    client.force_login(ny)
    assert f'href="{URL}"' in client.get(reverse("learning:dashboard")).content.decode()


@pytest.mark.django_db
def test_logged_in_report_reaches_the_admins_of_the_own_municipality_only(
    client, django_capture_on_commit_callbacks, ny, kommunadmin, kommunadmin_b, kommun_a
):
    client.force_login(ny)
    response = _report(client, django_capture_on_commit_callbacks, page_url="/min-introduktion/")
    assert response.status_code == 302
    assert response["Location"] == URL + "#rapportera"
    report = AccessibilityReport.objects.get()
    assert report.organisation == kommun_a
    assert report.reporter == ny
    assert (report.name, report.email) == (ny.full_name, ny.email)
    assert [m.to for m in mail.outbox] == [[kommunadmin.email]]
    message = mail.outbox[0]
    assert message.subject == "Ny rapport om en brist i tillgängligheten"
    assert "Knappen syns inte i mörkt läge." in message.body
    assert "/min-introduktion/" in message.body
    assert LIST_URL in message.body
    followed = client.get(URL).content.decode()
    assert str(accessibility.views.REPORT_RECEIVED) in followed


@pytest.mark.django_db
def test_logged_in_reporter_is_not_asked_for_name_or_municipality(client, ny):
    client.force_login(ny)
    body = client.get(URL).content.decode()
    assert 'name="organisation"' not in body
    assert 'name="email"' not in body


@pytest.mark.django_db
def test_visitor_who_names_a_municipality_reaches_its_admins(
    client, django_capture_on_commit_callbacks, kommunadmin, kommunadmin_b, kommun_b
):
    _report(
        client,
        django_capture_on_commit_callbacks,
        organisation=kommun_b.pk,
        name="Besökare",
        email="besokare@example.org",
    )
    report = AccessibilityReport.objects.get()
    assert report.organisation == kommun_b
    assert report.reporter is None
    assert [m.to for m in mail.outbox] == [[kommunadmin_b.email]]
    assert "besokare@example.org" in mail.outbox[0].body


@pytest.mark.django_db
def test_anonymous_report_without_municipality_goes_to_the_contact_address(
    client, django_capture_on_commit_callbacks, settings, kommunadmin
):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@example.org"
    _report(client, django_capture_on_commit_callbacks)
    assert AccessibilityReport.objects.get().organisation is None
    assert [m.to for m in mail.outbox] == [["tillganglighet@example.org"]]
    assert "Ny rapport om en brist i tillgängligheten" in mail.outbox[0].subject


@pytest.mark.django_db
def test_contact_address_falls_back_to_the_sender_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Introsteg <noreply@example.org>"
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    assert accessibility.services.accessibility_contact() == "noreply@example.org"


@pytest.mark.django_db
def test_missing_description_is_an_error_tied_to_its_field(client):
    response = client.post(URL, {"description": "  ", "page_url": "/kurser/"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Beskriv problemet du stötte på." in body
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_description_helptext id_description_error"' in body
    assert 'id="id_description_error"' in body
    assert 'value="/kurser/"' in body  # the input is kept
    assert not AccessibilityReport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"description": "x" * 4001},
        {"description": "Fel", "email": "inte en adress"},
        {"description": "Fel", "organisation": "999999"},
        {"description": "Fel", "organisation": "abc"},
        {"description": "Fel", "page_url": "/" * 501},
        {"description": ["a", "b"], "name": "n" * 201},
    ],
)
def test_bad_input_is_a_form_error_never_a_500(client, data):
    response = client.post(URL, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="field-error"' in body and "ds-error-summary" in body
    assert not AccessibilityReport.objects.exists()


@pytest.mark.django_db
def test_reports_are_rate_limited(client, django_capture_on_commit_callbacks):
    for _ in range(accessibility.views.REPORTS_PER_HOUR):
        assert _report(client, django_capture_on_commit_callbacks).status_code == 302
    response = _report(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Du har skickat många rapporter på kort tid" in response.content.decode()
    assert AccessibilityReport.objects.count() == accessibility.views.REPORTS_PER_HOUR


@pytest.mark.django_db
def test_page_is_taken_from_the_page_the_person_came_from(client):
    body = client.get(URL, HTTP_REFERER="http://testserver/kurser/ledarskap/").content.decode()
    assert 'value="/kurser/ledarskap/"' in body
    other = client.get(URL, HTTP_REFERER="https://evil.example/x/").content.decode()
    assert "evil" not in other


@pytest.mark.django_db
def test_admin_lists_the_reports_of_the_own_municipality(client, kommunadmin, kommun_a, kommun_b):
    AccessibilityReport.objects.create(organisation=kommun_a, description="Kontrasten i A")
    AccessibilityReport.objects.create(organisation=kommun_b, description="Etiketten i B")
    AccessibilityReport.objects.create(description="Anonym utan kommun")
    client.force_login(kommunadmin)
    body = client.get(LIST_URL).content.decode()
    assert "Kontrasten i A" in body
    assert "Etiketten i B" not in body
    assert "Anonym utan kommun" not in body
    assert LIST_URL in client.get(reverse("people:staff")).content.decode()


@pytest.mark.django_db
def test_admin_with_no_reports_sees_an_empty_state(client, kommunadmin):
    client.force_login(kommunadmin)
    assert "Inga rapporter" in client.get(LIST_URL).content.decode()


@pytest.mark.django_db
def test_reports_list_is_for_municipal_admins_only(client, ny, utomstaende, kommunadmin_b):
    assert client.get(LIST_URL).status_code == 302  # to the login page
    for person in (ny, utomstaende):
        client.force_login(person)
        assert client.get(LIST_URL).status_code == 404


# Exact (tests/queries.py), for one report or fifty.
REPORT_LIST_QUERIES = 5


@pytest.mark.django_db
def test_reports_list_query_count_does_not_grow(client, kommunadmin, kommun_a):
    client.force_login(kommunadmin)
    AccessibilityReport.objects.create(organisation=kommun_a, description="En")
    client.get(LIST_URL)  # warm the session
    with exact_queries(REPORT_LIST_QUERIES):
        client.get(LIST_URL)
    AccessibilityReport.objects.bulk_create(
        AccessibilityReport(organisation=kommun_a, description=f"Rapport {n}") for n in range(49)
    )
    with exact_queries(REPORT_LIST_QUERIES):
        body = client.get(LIST_URL).content.decode()
    assert "Rapport 48" in body
