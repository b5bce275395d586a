"""Journey 9 (issues 21 and 17): follow-up without exposing a person, at 375 and 1280 px. A new
hire answers an open pulse; the municipal admin opens Uppföljning and filters it to the last
quarter, and reads the pulse results, where a group of fewer than five answers shows no
figures; the county coordinator forms a cooperation group of two small municipalities, sees the
county and the group, and exports CSV; national follow-up sees the counties and a municipality
whose figure is suppressed ("–"). Every page is checked for width and with axe."""

import csv
import io

import pytest

from followup import services as followup_services
from followup.indicators import current_quarter
from mentoring.models import Mentorship
from people.models import County, FollowUpAssignment, FollowUpLevel, Role
from pulse.models import PulseAnswer
from tests.factories import PASSWORD, OrganisationFactory, UnitFactory, UserFactory
from tests.followup.conftest import day_in, hires
from tests.mentoring.factories import person
from tests.pulse.conftest import open_round_for, released_answers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MENTOR_COLUMN = "Mentor inom 4 veckor från start"


def _with_mentors(unit, quarter, *, count: int, mentored: int) -> None:
    mentor = person(unit, Role.MENTOR, start=day_in(quarter, -3000))
    for mentee in hires(unit, count, start=day_in(quarter, 5))[:mentored]:
        Mentorship.objects.create(
            mentor=mentor,
            mentee=mentee,
            organisation=unit.organisation,
            status=Mentorship.Status.ACTIVE,
            start_date=day_in(quarter, 8),
        )


@pytest.fixture
def follow_up_world(kommun_a, kommun_b, enhet_a):
    """Skåne: Kommun A (6 + 5 new hires, 2 managers), Kommun B (2) and Kommun D (3), both small;
    Norrbotten: Kommun C (6). A county coordinator for Skåne and national follow-up."""
    previous = current_quarter().shifted(-1)
    _with_mentors(enhet_a, previous, count=6, mentored=5)
    _with_mentors(
        UnitFactory(organisation=kommun_a, name="Mellanenheten"), previous, count=5, mentored=2
    )
    _with_mentors(UnitFactory(organisation=kommun_b, name="Lilla B"), previous, count=2, mentored=1)
    kommun_d = OrganisationFactory(name="Kommun D", county="Skåne län")
    _with_mentors(UnitFactory(organisation=kommun_d, name="Lilla D"), previous, count=3, mentored=2)
    # Two first-line managers: too few for the leadership figure anywhere they are counted.
    for number in range(2):
        person(enhet_a, Role.MANAGER, start=day_in(previous, -400), email=f"chef{number}@ex.org")
    kommun_c = OrganisationFactory(name="Kommun C", county="Norrbottens län")
    _with_mentors(UnitFactory(organisation=kommun_c, name="Norr"), previous, count=6, mentored=6)
    followup_services.refresh_quarter_facts()
    coordinator = UserFactory(email="lena.lan@example.org", full_name="Lena Länssamordnare")
    FollowUpAssignment.objects.create(
        user=coordinator, level=FollowUpLevel.COUNTY, county=County.objects.get(name="Skåne län")
    )
    national = UserFactory(email="nils.nationell@example.org", full_name="Nils Nationell")
    FollowUpAssignment.objects.create(user=national, level=FollowUpLevel.NATIONAL)
    return {"previous": previous, "coordinator": coordinator, "national": national}


def _logout(journey) -> None:
    journey.page.get_by_role("button", name="Logga ut").click()
    journey.page.wait_for_url("**/accounts/login/")


def test_follow_up_from_pulse_to_the_nation(
    journey, home, ny, enhet_a, kommunadmin, follow_up_world
):
    page = journey.page
    previous = follow_up_world["previous"]

    # A new hire answers her open pulse.
    invitation = open_round_for((ny, enhet_a)).invitations.get(person=ny)
    # Last quarter's closed round in her unit: three answers, too few to show.
    released_answers(enhet_a, 3, period=previous.start, scores=(2, 4, 5))
    journey.login(ny.email, PASSWORD)
    journey.goto(f"/puls/{invitation.token}/", check="pulsenkät")
    for question in range(3):
        group = page.get_by_role("group").nth(question)
        group.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Skicka svaren").click()
    page.get_by_text("Tack för dina svar!").wait_for()
    journey.check("pulsenkät besvarad")
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    _logout(journey)

    # The municipal admin: her municipality per unit; filters to the last whole quarter.
    journey.login(kommunadmin.email, PASSWORD)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    page.get_by_role("heading", level=1, name="Uppföljning: Kommun A").wait_for()
    journey.check("uppföljning kommun")
    page.get_by_label("Kvartal", exact=True).select_option(label=previous.label)
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("heading", level=1, name=f"Uppföljning: Kommun A, {previous.label}").wait_for()
    assert f"kvartal={previous.slug}" in page.url
    page.get_by_role("row", name="Totalt: Kommun A").wait_for()
    journey.check("uppföljning kommun filtrerad")

    # Pulse results: last quarter's group of three answers shows no figures.
    journey.goto("/puls/resultat/", check="pulsresultat")
    # The same words for the quarter as follow-up's ("2026 K3"), exactly.
    table = page.get_by_role("table", name=f"{previous.start.year} K{previous.number}", exact=True)
    row = table.get_by_role("row", name=enhet_a.name)
    cells = row.get_by_role("cell").all_inner_texts()
    assert cells == ["–"], cells
    assert PulseAnswer.objects.filter(unit=enhet_a, period_start=previous.start).count() == 3
    _logout(journey)

    # The county coordinator: forms a cooperation group of the two small municipalities.
    coordinator = follow_up_world["coordinator"]
    journey.login(coordinator.email, PASSWORD)
    journey.goto("/uppfoljning/", check="uppföljning län")
    page.get_by_role("heading", level=1, name="Uppföljning: Skåne län").wait_for()
    page.get_by_role("link", name="Samverkansgrupper").click()
    journey.check("samverkansgrupper")
    page.get_by_role("link", name="Ny samverkansgrupp").click()
    page.get_by_label("Namn").fill("Mellersta Skåne")
    page.get_by_label("Kommun B").check()
    page.get_by_label("Kommun D").check()
    journey.check("ny samverkansgrupp")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Samverkansgruppen är sparad.").wait_for()
    journey.check("samverkansgruppen sparad")
    page.get_by_role("link", name="Tillbaka till uppföljningen").click()
    page.get_by_label("Kvartal", exact=True).select_option(label=previous.label)
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("row", name="Mellersta Skåne (samverkansgrupp)").wait_for()
    page.get_by_role("row", name="Totalt: Skåne län").wait_for()
    journey.check("uppföljning län med samverkansgrupp")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"{previous.slug}.csv")
    text = io.StringIO(open(download.path(), encoding="utf-8-sig").read())  # noqa: SIM115
    rows = list(csv.reader(text, delimiter=";"))
    flat = [cell for row in rows for cell in row]
    assert "Mellersta Skåne" in " ".join(flat)
    assert "Kommun A" in " ".join(flat)
    _logout(journey)

    # National follow-up: the counties, and municipalities only where a figure passes.
    national = follow_up_world["national"]
    journey.login(national.email, PASSWORD)
    journey.goto(f"/uppfoljning/?kvartal={previous.slug}", check="uppföljning riket")
    page.get_by_role("heading", level=1, name="Uppföljning: Hela landet").wait_for()
    page.get_by_role("row", name="Skåne län").first.wait_for()
    page.get_by_role("row", name="Norrbottens län").first.wait_for()
    # Skåne's two managers are too few for the leadership figure: "–", marked as suppressed.
    skane = page.get_by_role("row", name="Skåne län").first
    assert skane.locator("abbr.suppressed").count() >= 1
    assert "–" in skane.inner_text()
    # Kommun B and Kommun D (two and three new hires) are not listed with any figure.
    municipalities = page.locator("section[aria-labelledby=kommuner]")
    municipalities.get_by_role("row", name="Kommun C").wait_for()
    listed = municipalities.inner_text()
    assert "Kommun B" not in listed and "Kommun D" not in listed
    _logout(journey)
