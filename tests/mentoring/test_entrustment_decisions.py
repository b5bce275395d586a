"""Entrustment decisions (anförtroendenivå) from the case page: who may decide (the rule in
`mentoring.permissions.may_decide_entrustment`), a confirmation that states what the level
allows before anything is saved, a second identical decision refused instead of stored twice,
and the warning when a new case takes the holder above the caseload guideline."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from mentoring import permissions, services
from mentoring.models import CaseStage, EntrustmentDecision, Mentorship
from mentoring.views.cases import OVER_GUIDELINE, OVER_PROTECTED_GUIDELINE
from people.models import Role, Unit
from tests.mentoring.factories import CaseFactory, MentorshipFactory, ReviewFactory, person

TODAY = timezone.localdate


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def at_decision(ny, arende, enhet_a):
    """The case at the decision stage with a named supervisor who is neither mentor, manager
    nor at level 5."""
    handledare = person(enhet_a, Role.SOCIAL_SECRETARY, full_name="Hanna Handledare")
    return services.change_case_stage(
        ny, case=arende, stage=CaseStage.DECISION, supervisor=handledare
    )


# --------------------------------------------------------------------------------------------
# Confirmation and "already decided"
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_decision_is_confirmed_with_what_the_level_allows_and_a_second_click_is_refused(
    client, ny, mentor, mentorskap, at_decision
):
    review = ReviewFactory(case=at_decision, supervisor=mentor, observed_level=4)
    decide = reverse("mentoring:decide", args=[review.pk])
    client.force_login(mentor)
    # The case page's quick button posts the observed level: nothing is saved yet.
    response = client.post(decide, {"level": "4"})
    assert response.status_code == 200
    page = body(response)
    assert "4 – Arbetar självständigt" in page
    assert str(permissions.DECIDES_ALONE) in page
    assert str(permissions.SUPERVISES_OTHERS) not in page
    assert 'name="confirmed"' in page
    assert not EntrustmentDecision.objects.exists()

    assert client.post(decide, {"level": "4", "confirmed": "1"}).status_code == 302
    assert EntrustmentDecision.objects.get().level == 4
    # The same decision again (a second click, a second tab): refused with a message.
    response = client.post(decide, {"level": "4", "confirmed": "1"})
    assert response.status_code == 200
    assert str(services.ALREADY_DECIDED) in body(response)
    assert EntrustmentDecision.objects.count() == 1
    # A different level, or the same level with a validity, is a new decision.
    until = (TODAY() + datetime.timedelta(days=90)).isoformat()
    data = {"level": "4", "valid_until": until, "confirmed": "1"}
    assert client.post(decide, data).status_code == 302
    assert EntrustmentDecision.objects.count() == 2


@pytest.mark.django_db
def test_level_five_says_it_allows_supervising_others():
    assert permissions.what_level_allows(5) == [
        permissions.DECIDES_ALONE,
        permissions.SUPERVISES_OTHERS,
    ]
    assert permissions.what_level_allows(3) == [permissions.NEEDS_SIGN_OFF]


@pytest.mark.django_db
def test_a_constraint_the_form_trips_is_a_swedish_message(client, mentor, mentorskap, at_decision):
    review = ReviewFactory(case=at_decision, supervisor=mentor)
    client.force_login(mentor)
    yesterday = (TODAY() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("mentoring:decide", args=[review.pk]),
        {"level": "3", "valid_until": yesterday, "confirmed": "1"},
    )
    assert response.status_code == 200
    page = body(response)
    assert "”Giltigt till” kan inte ligga före beslutsdatumet." in page
    assert "decision_valid_after_decided" not in page and "Begränsningen" not in page
    assert not EntrustmentDecision.objects.exists()


# --------------------------------------------------------------------------------------------
# Who may decide
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_named_supervisor_and_the_reviewer_may_decide_from_a_review(
    client, ny, chef, at_decision, enhet_a
):
    handledare = at_decision.supervisor
    reviewer = person(enhet_a, Role.SOCIAL_SECRETARY)
    review = ReviewFactory(case=at_decision, supervisor=reviewer, observed_level=3)
    for who in (handledare, reviewer):
        assert permissions.may_decide_entrustment(
            who, person=ny, case_type=at_decision.case_type, reviews=[review], today=TODAY()
        )
    client.force_login(handledare)
    page = body(client.get(reverse("mentoring:case", args=[at_decision.pk])))
    assert "Besluta nivå 3" in page
    decide = reverse("mentoring:decide", args=[review.pk])
    assert client.post(decide, {"level": "3", "confirmed": "1"}).status_code == 302
    assert EntrustmentDecision.objects.get().decided_by == handledare
    # Without a review to rest on, the named supervisor is not qualified for the person.
    with pytest.raises(PermissionDenied):
        services.decide_entrustment(handledare, person=ny, case_type=at_decision.case_type, level=2)


@pytest.mark.django_db
def test_people_with_nothing_to_do_with_the_case_may_not_decide(
    client, ny, mentor, enhet_a, kommun_a, at_decision
):
    review = ReviewFactory(case=at_decision, supervisor=at_decision.supervisor)
    case_type = at_decision.case_type
    other_mentor = person(enhet_a, Role.MENTOR)
    MentorshipFactory(mentor=other_mentor, mentee=person(enhet_a))  # someone else's mentor
    former_mentor = person(enhet_a, Role.MENTOR)
    MentorshipFactory(
        mentor=former_mentor,
        mentee=ny,
        status=Mentorship.Status.ENDED,
        end_date=TODAY() - datetime.timedelta(days=1),
    )
    other_unit = Unit.objects.create(organisation=kommun_a, name="Ekonomiskt bistånd")
    other_manager = person(other_unit, Role.MANAGER)
    for outsider in (other_mentor, former_mentor, other_manager):
        assert not permissions.may_decide_entrustment(
            outsider, person=ny, case_type=case_type, reviews=[review], today=TODAY()
        )
        with pytest.raises(PermissionDenied) as caught:
            services.decide_entrustment(
                outsider, person=ny, case_type=case_type, level=3, reviews=[review]
            )
        assert str(caught.value) == str(services.NOT_QUALIFIED_TO_DECIDE)
        client.force_login(outsider)
        decide = reverse("mentoring:decide", args=[review.pk])
        assert client.post(decide, {"level": "3", "confirmed": "1"}).status_code == 404
    assert not EntrustmentDecision.objects.exists()


@pytest.mark.django_db
def test_a_review_of_another_persons_case_gives_no_right_to_decide(ny, enhet_a, at_decision):
    """The reviewer of a colleague's case is not thereby involved in the new hire's work."""
    colleague = person(enhet_a, Role.SOCIAL_SECRETARY)
    reviewer = person(enhet_a, Role.SOCIAL_SECRETARY)
    their_case = CaseFactory(holder=colleague, case_type=at_decision.case_type)
    review = ReviewFactory(case=their_case, supervisor=reviewer)
    assert not permissions.may_decide_entrustment(
        reviewer, person=ny, case_type=at_decision.case_type, reviews=[review], today=TODAY()
    )
    with pytest.raises((PermissionDenied, ValidationError)):
        services.decide_entrustment(
            reviewer, person=ny, case_type=at_decision.case_type, level=3, reviews=[review]
        )


# --------------------------------------------------------------------------------------------
# Caseload guideline
# --------------------------------------------------------------------------------------------
def _register(client, unit, case_type, reference):
    return client.post(
        reverse("mentoring:case_new"),
        {
            "unit": unit.pk,
            "reference": reference,
            "case_type": case_type.pk,
            "opened_on": TODAY().isoformat(),
        },
        follow=True,
    )


@pytest.mark.django_db
def test_the_case_that_crosses_the_guideline_warns_the_holder_and_the_manager(
    client, ny, chef, enhet_a, placering
):
    """ny is in the first year: the protected guideline (12 weighted) applies; a high-risk
    case weighs 3, so the fifth takes ny to 15."""
    client.force_login(ny)
    warnings = OutboxMessage.objects.filter(handler__endswith="caseload_warning_email")
    for number in range(1, 5):
        page = body(_register(client, enhet_a, placering, f"BoU-{number}"))
        assert "riktlinjen" not in page
    assert not warnings.exists()
    page = body(_register(client, enhet_a, placering, "BoU-5"))
    assert str(OVER_PROTECTED_GUIDELINE % {"weighted": "15", "guideline": 12}) in page
    assert [m.recipient_id for m in warnings] == [chef.pk]
    # Already above: the next case is registered without a second warning.
    page = body(_register(client, enhet_a, placering, "BoU-6"))
    assert "riktlinje" not in page
    assert warnings.count() == 1
    assert ny.supervised_cases.count() == 6


@pytest.mark.django_db
def test_after_the_first_year_the_ordinary_guideline_applies(client, enhet_a, chef, placering):
    veteran = person(
        enhet_a, Role.SOCIAL_SECRETARY, start=TODAY() - datetime.timedelta(days=3 * 365)
    )
    client.force_login(veteran)
    for number in range(1, 9):  # 8 × 3 = 24: at the guideline, not above
        assert "riktlinje" not in body(_register(client, enhet_a, placering, f"V-{number}"))
    page = body(_register(client, enhet_a, placering, "V-9"))
    assert str(OVER_GUIDELINE % {"weighted": "27", "guideline": 24}) in page
