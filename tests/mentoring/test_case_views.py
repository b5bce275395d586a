"""Case pages under /mentorskap/arenden/: who sees what (404 for everyone else), the audit log
of reads, Swedish errors instead of 500s, the one-click entrustment decision, and query counts
that do not grow with the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core import dates
from mentoring import services
from mentoring.models import (
    CaseReview,
    CaseStage,
    CaseType,
    EntrustmentDecision,
    SupervisedCase,
)
from mentoring.models.cases import REVIEW_SIGNED
from mentoring.selectors.cases import (
    GUARDRAIL_NO_SIGNED_REVIEW,
    GUARDRAIL_NO_SUPERVISOR,
    SIGN_OFF_IS_SUPPORT,
)
from mentoring.validators import IDENTITY_NUMBER_IN_TEXT
from people.models import AuditAction, AuditEvent, Role
from tests.factories import UserFactory, people_in
from tests.mentoring.factories import (
    CaseFactory,
    CaseTypeFactory,
    DecisionFactory,
    MentorshipFactory,
    ReviewFactory,
    person,
)
from tests.queries import exact_queries

TODAY = timezone.localdate


def body(response) -> str:
    return response.content.decode()


def review_data(**overrides):
    data = {
        "date": TODAY().isoformat(),
        "observed_level": "3",
        "child_spoken_alone": "yes",
        "child_view_documented": "no",
        "risk_assessment_made": "yes",
        "notes": "Vi gick igenom utredningsplanen.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def granskning(arende, chef):
    return ReviewFactory(case=arende, supervisor=chef)


def case_urls(case, review):
    return [
        reverse("mentoring:case", args=[case.pk]),
        reverse("mentoring:case_stage", args=[case.pk]),
        reverse("mentoring:case_close", args=[case.pk]),
        reverse("mentoring:review_new", args=[case.pk]),
        reverse("mentoring:review_edit", args=[review.pk]),
        reverse("mentoring:decide", args=[review.pk]),
    ]


@pytest.mark.django_db
def test_everyone_else_gets_404_for_every_case_page(
    client, arende, granskning, enhet_a, mentor, kommunadmin, redaktor, utomstaende
):
    other_hire = person(enhet_a)
    other_mentor = person(enhet_a, Role.MENTOR)
    MentorshipFactory(mentor=other_mentor, mentee=other_hire)
    # mentor has no active mentorship with ny here, so they are nobody to this case.
    for user in (mentor, kommunadmin, redaktor, utomstaende, other_hire, other_mentor):
        client.force_login(user)
        for url in case_urls(arende, granskning):
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, {}).status_code == 404, (user, url)
        assert arende.reference not in body(client.get(reverse("mentoring:cases")))
    assert not AuditEvent.objects.filter(action=AuditAction.READ).exists()
    assert not CaseReview.objects.exclude(pk=granskning.pk).exists()


@pytest.mark.django_db
def test_holder_supervisor_mentor_and_manager_read_the_case_and_each_read_is_logged(
    client, ny, mentor, chef, kommunadmin, enhet_a, arende, mentorskap
):
    supervisor = person(enhet_a, Role.SOCIAL_SECRETARY, full_name="Sara Handledare")
    arende.supervisor = supervisor
    arende.save()
    url = reverse("mentoring:case", args=[arende.pk])
    for user in (ny, supervisor, mentor, chef):
        client.force_login(user)
        page = body(client.get(url))
        assert arende.reference in page and "Sara Handledare" in page
        assert str(SIGN_OFF_IS_SUPPORT) in page and "delegationsordning" in page
        assert arende.reference in body(client.get(reverse("mentoring:cases")))
    reads = AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="mentoring.supervisedcase"
    )
    assert sorted(reads.values_list("actor_id", flat=True)) == sorted(
        u.pk for u in (ny, supervisor, mentor, chef)
    )
    assert set(reads.values_list("object_id", flat=True)) == {str(arende.pk)}
    client.force_login(kommunadmin)
    log = body(client.get(reverse("people:audit_log")))
    assert "mentoring.supervisedcase" in log and "Läsning" in log and "Chef Testsson" in log
    assert arende.reference not in log


@pytest.mark.django_db
def test_register_a_case_with_swedish_errors_and_no_500(
    client, ny, enhet_a, placering, kommun_b, chef
):
    client.force_login(ny)
    url = reverse("mentoring:case_new")
    foreign = CaseTypeFactory(organisation=kommun_b)
    data = {
        "reference": "BoU-811218-9876",
        "case_type": placering.pk,
        "unit": enhet_a.pk,
        "opened_on": TODAY().isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert str(IDENTITY_NUMBER_IN_TEXT) in body(response)
    assert 'value="BoU-811218-9876"' in body(response)  # the input is kept
    for bad_type in (foreign.pk, 999999, "inte-ett-id"):
        response = client.post(url, {**data, "reference": "BoU-2026-099", "case_type": bad_type})
        assert response.status_code == 200
        assert str(services.UNKNOWN_CASE_TYPE) in body(response)
    assert not SupervisedCase.objects.exists()
    response = client.post(url, {**data, "reference": "BoU-2026-099", "supervisor": chef.pk})
    case = SupervisedCase.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert (case.holder, case.supervisor, case.unit) == (ny, chef, enhet_a)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(case.pk)).exists()
    client.force_login(chef)  # managers hold no cases of their own
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_implausible_opening_date_is_refused_on_the_page(client, ny, enhet_a, placering):
    """Plausible dates (issue 18): a case opened in the future, or more than five years ago
    (the bound from settings), is refused on the form in Swedish and nothing is stored."""
    client.force_login(ny)
    url = reverse("mentoring:case_new")
    data = {"reference": "BoU-12", "case_type": placering.pk, "unit": enhet_a.pk}
    tomorrow = TODAY() + datetime.timedelta(days=1)
    six_years_ago = TODAY() - datetime.timedelta(days=6 * 366)
    for opened_on, message in (
        (tomorrow, str(services.DATE_IN_FUTURE)),
        (six_years_ago, str(dates.CASE_OPENED_TOO_EARLY % {"years": 5})),
    ):
        response = client.post(url, {**data, "opened_on": opened_on.isoformat()})
        assert response.status_code == 200
        assert message in body(response), opened_on
    assert not SupervisedCase.objects.exists()


@pytest.mark.django_db
def test_stage_page_explains_the_guardrail(client, ny, chef, arende):
    client.force_login(ny)
    url = reverse("mentoring:case_stage", args=[arende.pk])
    assert client.post(url, {"stage": "decision"}).status_code == 302
    page = body(client.get(reverse("mentoring:case", args=[arende.pk])))
    assert str(GUARDRAIL_NO_SUPERVISOR) in page and str(GUARDRAIL_NO_SIGNED_REVIEW) in page
    response = client.post(url, {"stage": "follow_up", "supervisor": chef.pk})
    assert response.status_code == 200
    assert str(GUARDRAIL_NO_SIGNED_REVIEW) in body(response)
    assert str(GUARDRAIL_NO_SUPERVISOR) not in body(response)
    arende.refresh_from_db()
    assert (arende.stage, arende.supervisor) == (CaseStage.DECISION, None)
    response = client.post(url, {"stage": "closed"})  # closing has its own page
    assert response.status_code == 200


@pytest.mark.django_db
def test_review_sign_off_and_one_click_decision(client, ny, mentor, arende, mentorskap):
    services.change_case_stage(ny, case=arende, stage=CaseStage.DECISION, supervisor=mentor)
    client.force_login(mentor)
    url = reverse("mentoring:review_new", args=[arende.pk])
    form = body(client.get(url))
    assert 'name="sign_off"' in form and str(SIGN_OFF_IS_SUPPORT) in form
    assert 'name="honour_risk_assessment_made"' not in form  # not an honour-related type
    early = (arende.opened_on - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, review_data(date=early, sign_off="on"))
    assert response.status_code == 200
    expected = services.REVIEW_BEFORE_OPENED % {"opened": dates.format_date(arende.opened_on)}
    assert str(expected) in body(response)
    assert not CaseReview.objects.exists()
    assert client.post(url, review_data(sign_off="on")).status_code == 302
    review = CaseReview.objects.get()
    assert review.is_signed and review.stage == CaseStage.DECISION
    page = body(client.get(reverse("mentoring:case", args=[arende.pk])))
    decide = reverse("mentoring:decide", args=[review.pk])
    assert f'action="{decide}"' in page and "Besluta nivå 3" in page
    assert reverse("mentoring:review_edit", args=[review.pk]) not in page  # signed: final
    response = client.post(reverse("mentoring:review_edit", args=[review.pk]), review_data())
    assert response.status_code == 200 and str(REVIEW_SIGNED) in body(response)
    # The quick button: the hidden level is the one the supervisor observed; a decision cannot
    # be changed, so the click shows what the level allows and asks to confirm.
    confirm = client.post(decide, {"level": "3"})
    assert confirm.status_code == 200 and 'name="confirmed"' in body(confirm)
    assert not EntrustmentDecision.objects.exists()
    assert client.post(decide, {"level": "3", "confirmed": "1"}).status_code == 302
    decision = EntrustmentDecision.objects.get()
    assert (decision.person, decision.level, decision.decided_by) == (ny, 3, mentor)
    assert list(decision.reviews.all()) == [review]
    client.force_login(ny)
    page = body(client.get(reverse("mentoring:case", args=[arende.pk])))
    assert decide not in page  # nobody decides their own level
    assert client.post(decide, {"level": "5"}).status_code == 404
    assert "3 – Agerar under indirekt handledning" in page
    assert (
        client.post(
            reverse("mentoring:case_stage", args=[arende.pk]),
            {"stage": "follow_up", "supervisor": mentor.pk},
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_unqualified_sign_off_is_refused_on_the_page(client, ny, enhet_a, arende):
    colleague = person(enhet_a, Role.SOCIAL_SECRETARY)
    services.change_case_stage(ny, case=arende, stage=CaseStage.DECISION, supervisor=colleague)
    client.force_login(colleague)
    url = reverse("mentoring:review_new", args=[arende.pk])
    assert 'name="sign_off"' not in body(client.get(url))
    # A forged sign-off is ignored by the form: the review is saved unsigned.
    assert client.post(url, review_data(sign_off="on")).status_code == 302
    review = CaseReview.objects.get()
    assert not review.is_signed
    edit = reverse("mentoring:review_edit", args=[review.pk])
    assert client.get(edit).status_code == 200
    # Signing off needs level 5, the mentor or the manager; deciding the level from the review
    # is open to the case's named supervisor too (`permissions.may_decide_entrustment`), but
    # not to a colleague with no part in the case.
    decide = reverse("mentoring:decide", args=[review.pk])
    assert client.get(decide).status_code == 200
    client.force_login(person(enhet_a, Role.SOCIAL_SECRETARY))
    assert client.get(decide).status_code == 404


@pytest.mark.django_db
def test_closing_an_already_closed_case_is_a_message_not_a_500(client, ny, forhandsbedomning):
    case = CaseFactory(holder=ny, case_type=forhandsbedomning)
    client.force_login(ny)
    url = reverse("mentoring:case_close", args=[case.pk])
    assert client.post(url, {"closed_on": TODAY().isoformat()}).status_code == 302
    response = client.post(url, {"closed_on": TODAY().isoformat()})
    assert response.status_code == 200
    assert str(services.CASE_ALREADY_CLOSED) in body(response)
    assert client.get(reverse("mentoring:case_stage", args=[case.pk])).status_code == 404


# --------------------------------------------------------------------------------------------
# Query counts: the same at 1 and at 50 rows
# --------------------------------------------------------------------------------------------
def assert_constant(client, url, grow, *, queries: int):
    """Exactly `queries` queries (tests/queries.py), before and after `grow` adds rows."""
    client.get(url)  # warm caches that are per process, not per request
    with exact_queries(queries):
        assert client.get(url).status_code == 200
    grow()
    with exact_queries(queries):
        assert client.get(url).status_code == 200


# Exact (tests/queries.py), at 1 and at 50 cases.
CASE_LIST_QUERIES = {"ny": 8, "mentor": 8, "chef": 8}


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["ny", "mentor", "chef"])
def test_case_list_queries_do_not_grow(
    client, request, viewer, ny, mentor, chef, placering, mentorskap
):
    def add(count):
        # The factories' rows, written in one INSERT a table: one create() each cost ~13
        # queries a case, 650 of the test's ~700.
        case_types = CaseType.objects.bulk_create(
            CaseTypeFactory.build_batch(count, organisation=placering.organisation)
        )
        unit = ny.memberships.exclude(unit=None).first().unit  # as CaseFactory finds it
        cases = SupervisedCase.objects.bulk_create(
            CaseFactory.build(holder=ny, unit=unit, case_type=case_type) for case_type in case_types
        )
        CaseReview.objects.bulk_create(
            ReviewFactory.build(case=case, supervisor=mentor) for case in cases
        )
        EntrustmentDecision.objects.bulk_create(
            DecisionFactory.build(person=ny, case_type=case_type, decided_by=chef, level=2)
            for case_type in case_types
        )

    add(1)
    client.force_login(request.getfixturevalue(viewer))
    url = reverse("mentoring:cases")
    assert_constant(client, url, lambda: add(49), queries=CASE_LIST_QUERIES[viewer])
    assert body(client.get(url)).count("BoU-2026-") == 50


# (viewer, URL name, argument, exact queries at 1 and at 50 rows). The case here is high-risk
# and in the decision stage, so its page reads whether a safety check for communicating the
# decision has been made (safety's prompt, issue 22): one query more than other cases' pages.
PAGES = {
    "detail (mentor)": ("mentor", "mentoring:case", "case", 9),
    "detail (chef)": ("chef", "mentoring:case", "case", 9),
    "detail (holder)": ("ny", "mentoring:case", "case", 9),
    "new": ("ny", "mentoring:case_new", None, 6),
    "stage": ("ny", "mentoring:case_stage", "case", 8),
    "close": ("ny", "mentoring:case_close", "case", 7),
    "review": ("mentor", "mentoring:review_new", "case", 6),
    "review edit": ("mentor", "mentoring:review_edit", "review", 4),
    "decide": ("mentor", "mentoring:decide", "review", 4),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_case_pages_queries_do_not_grow(
    client, request, page, ny, mentor, chef, enhet_a, arende, mentorskap
):
    services.change_case_stage(ny, case=arende, stage=CaseStage.DECISION, supervisor=mentor)
    first = ReviewFactory(case=arende, supervisor=mentor)
    DecisionFactory(person=ny, case_type=arende.case_type, decided_by=chef, level=2)

    def grow():
        # 49 more of each, written in one INSERT a table: made one by one (a person through
        # add_membership, 26 queries before session 35) they cost ~1,670 queries, nearly all
        # of each test's.
        CaseReview.objects.bulk_create(
            ReviewFactory.build_batch(49, case=arende, supervisor=mentor)
        )
        EntrustmentDecision.objects.bulk_create(
            DecisionFactory.build_batch(
                49, person=ny, case_type=arende.case_type, decided_by=chef, level=2
            )
        )
        CaseType.objects.bulk_create(
            CaseTypeFactory.build_batch(49, organisation=arende.organisation)
        )
        people_in(enhet_a, Role.SOCIAL_SECRETARY, UserFactory.build_batch(49))

    viewer, name, arg, queries = PAGES[page]
    url = reverse(name, args={"case": [arende.pk], "review": [first.pk], None: []}[arg])
    client.force_login(request.getfixturevalue(viewer))
    assert_constant(client, url, grow, queries=queries)
    if page == "detail (mentor)":
        assert body(client.get(url)).count("Besluta nivå") == 50
