"""The pages anyone reaches without logging in pass axe-core's WCAG 2.x A/AA rules, and a
visitor reports an accessibility barrier from the accessibility statement."""

import pytest

from learning import services
from people.models import AccessibilityReport
from tests.factories import PASSWORD, add_course

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_public_pages_and_reporting_a_barrier(journey, catalog, course, ny, kommun_a, kommunadmin):
    page = journey.page
    certificate = services.issue_certificate(
        services.enrol_in_course(None, learner=ny, course=course)
    )
    leadership = add_course(catalog, title="Ledarskap", kind="cohort", audience="managers")

    journey.goto("/", check="startsida")
    journey.goto("/accounts/login/", check="logga in")
    journey.goto("/accounts/password/reset/", check="glömt lösenordet")
    journey.goto(catalog.url, check="kurskatalog")
    journey.goto(course.url, check="kurs")
    journey.goto(leadership.url, check="kurs med kursomgångar")
    journey.goto(f"/intyg/{certificate.code}/", check="kontroll av intyg")
    journey.goto("/intyg/FINNS-INTE/", check="intyget hittades inte", status=404)

    # From the catalogue's footer to the statement; the page comes along from the referrer.
    journey.goto(catalog.url)
    page.get_by_role("contentinfo").get_by_role("link", name="Tillgänglighetsredogörelse").click()
    page.get_by_role("heading", level=1, name="Tillgänglighetsredogörelse för Introsteg").wait_for()
    assert page.get_by_label("Sida där problemet finns").input_value() == catalog.url
    journey.check("tillgänglighetsredogörelse")

    page.get_by_role("button", name="Skicka rapporten").click()
    assert page.get_by_label("Beskriv problemet").get_attribute("aria-invalid") == "true"
    journey.check("rapport utan beskrivning")

    page.get_by_label("Beskriv problemet").fill("Filtren i katalogen går inte att nå med Tab.")
    page.get_by_label("Din kommun").select_option(label=kommun_a.name)
    page.get_by_role("button", name="Skicka rapporten").click()
    page.get_by_text("Tack! Din rapport har skickats").wait_for()
    journey.check("rapport skickad")
    report = AccessibilityReport.objects.get()
    assert (report.organisation, report.page_url) == (kommun_a, catalog.url)

    # The municipal admin finds it from the staff list.
    journey.login(kommunadmin.email, PASSWORD)
    journey.check("personal")
    page.get_by_role("link", name="Tillgänglighetsrapporter").click()
    page.get_by_text("Filtren i katalogen går inte att nå med Tab.").wait_for()
    journey.check("rapporter för kommunadministratören")
