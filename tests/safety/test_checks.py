"""Safety checks through the pages: who may make and read them (404 for everyone else), the
recommendation shown, the first-year rule for telling the manager and mentor (once each, in
readable Swedish, with no client data), bad input as Swedish form errors, the case page's
prompt in the decision stage, and query counts that do not grow with the data."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from mentoring import services as mentoring_services
from mentoring.models import CaseStage, SupervisedCase
from people.models import Role
from people.validators import IDENTITY_NUMBER_IN_TEXT
from safety import services
from safety.forms import CHOOSE_ONE
from safety.models import Recommendation, SafetyCheck
from safety.rules import REASON_DECISION, REASON_UNKNOWN, REASON_WEAPONS
from safety.validators import ADDRESS_IN_TEXT
from tests.mentoring.factories import CaseFactory, MentorshipFactory, person
from tests.queries import exact_queries
from tests.safety.conftest import check_data

TODAY = timezone.localdate
NEW = reverse("safety:check_new")


def body(response) -> str:
    return response.content.decode()


def post_check(client, user, url=NEW, *, capture, **answers):
    client.force_login(user)
    with capture(execute=True):
        return client.post(url, check_data(**answers))


# --------------------------------------------------------------------------------------------
# Making a check and reading the recommendation
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_clear_check_says_go_as_planned_and_tells_nobody(
    client, ny, chef, mentorskap, django_capture_on_commit_callbacks
):
    response = post_check(client, ny, capture=django_capture_on_commit_callbacks)
    check = SafetyCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == check.get_absolute_url()
    assert (check.person, check.unit, check.recommendation) == (
        ny,
        ny.memberships.get().unit,
        Recommendation.AS_PLANNED,
    )
    page = body(client.get(response["Location"]))
    assert "Gå som planerat" in page and "Säkerhetsbedömningen är sparad." in page
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(handler__startswith="safety.").exists()


@pytest.mark.django_db
def test_two_together_in_the_first_year_tells_manager_and_mentor_once_each(
    client, ny, chef, mentor, mentorskap, kommunadmin, django_capture_on_commit_callbacks
):
    response = post_check(
        client,
        ny,
        capture=django_capture_on_commit_callbacks,
        known_threats="unknown",
        decision_to_communicate="on",
    )
    check = SafetyCheck.objects.get()
    assert check.recommendation == Recommendation.TWO_TOGETHER
    page = body(client.get(response["Location"]))
    assert "Gå två tillsammans" in page
    assert str(REASON_UNKNOWN) in page and str(REASON_DECISION) in page
    assert "din chef och din mentor" in page
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chef.email, mentor.email])
    message = mail.outbox[0]
    assert ny.get_full_name() in message.subject
    text = message.body
    assert "Rekommendationen blev: Gå två tillsammans." in text
    assert "hembesök" in text and str(REASON_UNKNOWN) in text
    assert reverse("safety:check", args=[check.pk]) in text
    assert "ingen adress, inget namn" in text
    # Exactly once: delivering every row again sends nothing more.
    from core import outbox

    rows = OutboxMessage.objects.filter(handler__startswith="safety.")
    for row in rows:
        assert outbox.deliver(row.pk) is False
    assert len(mail.outbox) == 2
    keys = set(rows.values_list("key", flat=True))
    assert keys == {f"safety-check:{check.pk}:{chef.pk}", f"safety-check:{check.pk}:{mentor.pk}"}


@pytest.mark.django_db
def test_stricter_than_two_together_also_tells_them(
    client, ny, chef, mentorskap, django_capture_on_commit_callbacks
):
    post_check(client, ny, capture=django_capture_on_commit_callbacks, weapons="yes")
    assert SafetyCheck.objects.get().recommendation == Recommendation.MANAGER_FIRST
    assert len(mail.outbox) == 2
    assert "Prata med chefen först" in mail.outbox[0].body
    assert str(REASON_WEAPONS) in mail.outbox[0].body


@pytest.mark.django_db
def test_after_the_first_year_nobody_is_told(
    client, enhet_a, chef, mentor, django_capture_on_commit_callbacks
):
    experienced = person(
        enhet_a, Role.SOCIAL_SECRETARY, start=TODAY() - datetime.timedelta(days=400)
    )
    MentorshipFactory(mentor=mentor, mentee=experienced)
    post_check(client, experienced, capture=django_capture_on_commit_callbacks, weapons="yes")
    assert SafetyCheck.objects.get().recommendation == Recommendation.MANAGER_FIRST
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_ended_mentorship_and_another_units_manager_are_not_told(
    client, ny, chef, mentor, kommun_a, django_capture_on_commit_callbacks
):
    from mentoring.models import Mentorship
    from tests.factories import UnitFactory

    MentorshipFactory(mentor=mentor, mentee=ny, status=Mentorship.Status.ENDED)
    person(UnitFactory(organisation=kommun_a), Role.MANAGER)
    post_check(client, ny, capture=django_capture_on_commit_callbacks, who_knows="nobody")
    assert [m.to for m in mail.outbox] == [[chef.email]]


# --------------------------------------------------------------------------------------------
# Bad input: Swedish form errors, input kept, nothing saved
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"planned_on": "2000-01-01"}, "planned_on", services.PLANNED_IN_PAST),
        (
            {"planned_on": (TODAY() - datetime.timedelta(days=1)).isoformat()},
            "planned_on",
            services.PLANNED_IN_PAST,
        ),
        (
            {"planned_on": (TODAY() + datetime.timedelta(days=400)).isoformat()},
            "planned_on",
            services.PLANNED_TOO_FAR,
        ),
        ({"weapons": "kanske"}, "weapons", CHOOSE_ONE),
        ({"location": "adress"}, "location", CHOOSE_ONE),
        ({"known_threats": None}, "known_threats", CHOOSE_ONE),
        ({"notes": "Pappan 121212-1212 har hotat förut"}, "notes", IDENTITY_NUMBER_IN_TEXT),
        ({"notes": "Familjen bor på Storgatan 12 B"}, "notes", ADDRESS_IN_TEXT),
        ({"notes": "Hemma i 223 50 Lund, tredje våningen"}, "notes", ADDRESS_IN_TEXT),
    ],
)
def test_bad_input_is_a_swedish_error_and_nothing_is_saved(
    client, ny, answers, field, message, django_capture_on_commit_callbacks
):
    response = post_check(client, ny, capture=django_capture_on_commit_callbacks, **answers)
    assert response.status_code == 200
    assert str(message) in response.context["form"].errors[field]
    assert not SafetyCheck.objects.exists()


@pytest.mark.django_db
def test_the_notes_may_hold_a_phone_number_and_ordinary_words(
    client, ny, django_capture_on_commit_callbacks
):
    notes = "Ring 070-123 45 02 om vi blir sena. Vi går vägen förbi skolan, 2 personer."
    post_check(client, ny, capture=django_capture_on_commit_callbacks, notes=notes)
    assert SafetyCheck.objects.get().notes == notes


@pytest.mark.django_db
def test_the_service_refuses_a_unit_the_person_does_not_work_in(ny, enhet_b):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.make_safety_check(
            ny,
            unit=enhet_b,
            planned_on=TODAY(),
            location="home",
            known_threats="no",
            weapons="no",
            animals="no",
            earlier_incidents="no",
            decision_to_communicate=False,
            who_knows="colleague",
        )


# --------------------------------------------------------------------------------------------
# Scope: the person, their mentor and their unit's manager; 404 for everyone else
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_only_the_person_their_mentor_and_manager_read_a_check(
    client, ny, mentor, chef, mentorskap, kommunadmin, utomstaende, enhet_a, arende
):
    check = services.make_safety_check(
        ny,
        unit=enhet_a,
        planned_on=TODAY(),
        location="other",
        known_threats="no",
        weapons="no",
        animals="no",
        earlier_incidents="no",
        decision_to_communicate=False,
        who_knows="colleague",
    )
    url = reverse("safety:check", args=[check.pk])
    colleague = person(enhet_a, Role.SOCIAL_SECRETARY)
    supervisor = person(enhet_a, Role.MENTOR)
    arende.supervisor = supervisor
    arende.save()
    for user in (ny, mentor, chef):
        client.force_login(user)
        assert client.get(url).status_code == 200, user
        assert ny.get_full_name() in body(client.get(reverse("safety:home"))), user
    for user in (kommunadmin, utomstaende, colleague, supervisor):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
        assert ny.get_full_name() not in body(client.get(reverse("safety:home"))), user
    client.force_login(ny)
    assert client.get(reverse("safety:check", args=[check.pk + 1000])).status_code == 404


@pytest.mark.django_db
def test_people_without_a_unit_of_their_own_cannot_make_a_check(client, chef, kommunadmin):
    for user in (chef, kommunadmin):
        client.force_login(user)
        assert client.get(NEW).status_code == 404
        assert client.post(NEW, check_data()).status_code == 404
        assert "Ny säkerhetsbedömning" not in body(client.get(reverse("safety:home")))
    assert not SafetyCheck.objects.exists()


# --------------------------------------------------------------------------------------------
# On a case, and the prompt in the decision stage
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_case_page_prompts_a_check_when_a_high_risk_case_reaches_the_decision(
    client, ny, mentor, chef, mentorskap, arende, django_capture_on_commit_callbacks
):
    case_url = reverse("mentoring:case", args=[arende.pk])
    new_url = reverse("safety:case_check_new", args=[arende.pk])
    client.force_login(ny)
    assert "Säkerhet vid delgivning av beslut" not in body(client.get(case_url))
    mentoring_services.change_case_stage(
        ny, case=arende, stage=CaseStage.DECISION, supervisor=mentor
    )
    page = body(client.get(case_url))
    assert "gör en säkerhetsbedömning innan beslutet delges" in page
    assert f"{new_url}?delgivning=1" in page
    form = client.get(f"{new_url}?delgivning=1").context["form"]
    assert form["decision_to_communicate"].value() is True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(new_url, check_data(decision_to_communicate="on"))
    check = SafetyCheck.objects.get()
    assert (check.case, check.unit, check.decision_to_communicate) == (arende, arende.unit, True)
    assert response["Location"] == check.get_absolute_url()
    page = body(client.get(case_url))
    assert "En säkerhetsbedömning inför delgivningen är gjord" in page
    assert "Gå två tillsammans" in page
    # The mentor and the manager see that it is done, without a button to make one.
    for user in (mentor, chef):
        client.force_login(user)
        page = body(client.get(case_url))
        assert "En säkerhetsbedömning inför delgivningen är gjord" in page
        assert new_url not in page


@pytest.mark.django_db
def test_low_risk_cases_have_no_prompt(client, ny, mentor, kommun_a):
    from mentoring.models import RiskLevel
    from tests.mentoring.factories import CaseTypeFactory

    low = CaseFactory(
        holder=ny,
        case_type=CaseTypeFactory(organisation=kommun_a, risk_level=RiskLevel.LOW),
        stage=CaseStage.DECISION,
    )
    client.force_login(ny)
    assert "Säkerhet vid delgivning" not in body(
        client.get(reverse("mentoring:case", args=[low.pk]))
    )


@pytest.mark.django_db
def test_only_the_holder_checks_on_a_case_and_only_while_it_is_open(
    client, ny, mentor, chef, mentorskap, arende, utomstaende
):
    url = reverse("safety:case_check_new", args=[arende.pk])
    for user in (mentor, chef, utomstaende):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
        assert client.post(url, check_data()).status_code == 404, user
    SupervisedCase.objects.filter(pk=arende.pk).update(stage=CaseStage.CLOSED, closed_on=TODAY())
    client.force_login(ny)
    assert client.get(url).status_code == 404
    assert not SafetyCheck.objects.exists()


# --------------------------------------------------------------------------------------------
# Query counts: the same at 1 and at 50 checks (tests/queries.py)
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("page", ["ny", "mentor", "chef"])
def test_safety_pages_queries_do_not_grow(client, request, page, ny, mentor, chef, mentorskap):
    viewer = request.getfixturevalue(page)

    def add(count):
        for n in range(count):
            services.make_safety_check(
                ny,
                unit=ny.memberships.get().unit,
                planned_on=TODAY() + datetime.timedelta(days=n % 30),
                location="home",
                known_threats="no",
                weapons="no",
                animals="no",
                earlier_incidents="no",
                decision_to_communicate=False,
                who_knows="colleague",
            )

    add(1)
    first = SafetyCheck.objects.get()
    client.force_login(viewer)
    urls = {
        reverse("safety:home"): HOME_QUERIES[page],
        reverse("safety:check", args=[first.pk]): CHECK_QUERIES[page],
    }
    if page == "ny":
        urls[NEW] = NEW_QUERIES
    for url in urls:
        client.get(url)
    for url, queries in urls.items():
        with exact_queries(queries):
            assert client.get(url).status_code == 200
    add(49)
    for url, queries in urls.items():
        with exact_queries(queries):
            assert client.get(url).status_code == 200


# Exact (tests/queries.py). Home: session, user, memberships (navigation and scope), the
# checks with their person, unit and case in one query, the incidents likewise, and the
# holder units for the buttons.
HOME_QUERIES = {"ny": 6, "mentor": 6, "chef": 6}
CHECK_QUERIES = {"ny": 4, "mentor": 4, "chef": 4}
NEW_QUERIES = 5


@pytest.mark.django_db
def test_the_check_page_lists_each_question_with_its_answer(
    client, ny, django_capture_on_commit_callbacks
):
    """Question and answer as a list (dt, dd): as a two-column table the answers fell out of
    view at phone width."""
    response = post_check(
        client, ny, capture=django_capture_on_commit_callbacks, known_threats="unknown"
    )
    page = body(client.get(response["Location"]))
    assert "<dt>Var ska ni träffas?</dt><dd>Hembesök</dd>" in page
    assert (
        "<dt>Finns det kända hot mot personal i ärendet eller från personer som kan vara där?"
        "</dt><dd>Vet inte</dd>"
    ) in page
