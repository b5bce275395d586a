"""Services for supervised cases: registering, the guardrail, reviews and sign-off, entrustment
decisions, and every bad input refused with its Swedish message and nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import dates
from mentoring import selectors, services
from mentoring.models import (
    CaseReview,
    CaseStage,
    CheckAnswer,
    EntrustmentDecision,
    SupervisedCase,
)
from mentoring.models.cases import DECISIONS_APPEND_ONLY, REFERENCE_TAKEN, REVIEW_SIGNED
from mentoring.selectors.cases import GUARDRAIL_NO_SIGNED_REVIEW, GUARDRAIL_NO_SUPERVISOR
from mentoring.validators import IDENTITY_NUMBER_IN_TEXT
from people.models import AuditAction, AuditEvent, Role
from tests.mentoring.factories import (
    CaseFactory,
    CaseTypeFactory,
    DecisionFactory,
    ReviewFactory,
    person,
)

TODAY = timezone.localdate
YES, NO, NA = CheckAnswer.YES, CheckAnswer.NO, CheckAnswer.NOT_APPLICABLE


def review(actor, case, **overrides):
    data = {
        "date": TODAY(),
        "observed_level": 2,
        "child_spoken_alone": YES,
        "child_view_documented": YES,
        "risk_assessment_made": YES,
    }
    data.update(overrides)
    return services.record_case_review(actor, case=case, **data)


def messages_of(caught) -> list[str]:
    return caught.value.messages


# --------------------------------------------------------------------------------------------
# Registering a case
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_new_hire_registers_a_case_and_it_is_audited(ny, mentor, enhet_a, placering):
    case = services.open_case(
        ny,
        unit=enhet_a,
        reference=" BoU-2026-014 ",
        case_type=placering,
        opened_on=TODAY(),
        supervisor=mentor,
    )
    assert (case.reference, case.holder, case.stage, case.organisation_id) == (
        "BoU-2026-014",
        ny,
        CaseStage.PLANNING,
        enhet_a.organisation_id,
    )
    # (Role changes from setting up the cast are logged too; this is about the case.)
    event = AuditEvent.objects.exclude(action=AuditAction.ROLE_CHANGE).get()
    assert (event.action, event.object_type, event.object_id, event.actor) == (
        AuditAction.CREATE,
        "mentoring.supervisedcase",
        str(case.pk),
        ny,
    )
    assert "BoU" not in event.summary  # the log names records by type and id only


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("BoU-811218-9876", IDENTITY_NUMBER_IN_TEXT),
        ("19811218-9876", IDENTITY_NUMBER_IN_TEXT),
        ("Ärende 701063-2391", IDENTITY_NUMBER_IN_TEXT),
        ("bou-2026-001", REFERENCE_TAKEN),  # the same reference, other case
    ],
)
def test_bad_references_are_refused_and_nothing_is_saved(
    ny, enhet_a, placering, reference, message
):
    CaseFactory(holder=ny, case_type=placering, reference="BoU-2026-001")
    with pytest.raises(ValidationError) as caught:
        services.open_case(
            ny, unit=enhet_a, reference=reference, case_type=placering, opened_on=TODAY()
        )
    assert caught.value.messages == [str(message)]  # once, at the field
    assert caught.value.message_dict["reference"] == [str(message)]
    assert SupervisedCase.objects.count() == 1
    assert not AuditEvent.objects.exclude(action=AuditAction.ROLE_CHANGE).exists()


@pytest.mark.django_db
def test_the_same_reference_is_fine_in_another_municipality(ny, utomstaende, enhet_b, kommun_b):
    CaseFactory(holder=ny, reference="BoU-2026-001")
    other_type = CaseTypeFactory(organisation=kommun_b)
    case = services.open_case(
        utomstaende,
        unit=enhet_b,
        reference="BoU-2026-001",
        case_type=other_type,
        opened_on=TODAY(),
    )
    assert case.organisation == kommun_b


@pytest.mark.django_db
def test_unknown_or_foreign_case_type_is_refused(ny, enhet_a, kommun_b):
    foreign = CaseTypeFactory(organisation=kommun_b)
    retired = CaseTypeFactory(organisation=enhet_a.organisation, is_active=False)
    for case_type in (None, foreign, retired):
        with pytest.raises(ValidationError) as caught:
            services.open_case(
                ny, unit=enhet_a, reference="BoU-1", case_type=case_type, opened_on=TODAY()
            )
        assert caught.value.message_dict["case_type"] == [str(services.UNKNOWN_CASE_TYPE)]
    assert not SupervisedCase.objects.exists()


@pytest.mark.django_db
def test_only_case_holders_register_cases_in_their_own_unit(
    ny, chef, kommunadmin, utomstaende, enhet_a, placering
):
    for actor in (chef, kommunadmin, utomstaende):
        with pytest.raises(PermissionDenied):
            services.open_case(
                actor, unit=enhet_a, reference="BoU-1", case_type=placering, opened_on=TODAY()
            )
    with pytest.raises(ValidationError) as caught:
        services.open_case(
            ny,
            unit=enhet_a,
            reference="BoU-1",
            case_type=placering,
            opened_on=TODAY(),
            supervisor=utomstaende,
        )
    assert caught.value.message_dict["supervisor"] == [str(services.SUPERVISOR_NOT_ELIGIBLE)]
    assert not SupervisedCase.objects.exists()


# --------------------------------------------------------------------------------------------
# The guardrail
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_guardrail_names_exactly_what_is_missing(ny, mentor, mentorskap, arende):
    services.change_case_stage(ny, case=arende, stage=CaseStage.DECISION, supervisor=None)
    with pytest.raises(ValidationError) as caught:
        services.change_case_stage(ny, case=arende, stage=CaseStage.FOLLOW_UP, supervisor=None)
    stage_errors = caught.value.message_dict["stage"]
    assert str(GUARDRAIL_NO_SUPERVISOR) in stage_errors
    assert str(GUARDRAIL_NO_SIGNED_REVIEW) in stage_errors
    assert "Placering i familjehem/HVB har risknivå hög" in stage_errors[0]
    assert "1 – Observerar (inget beslut ännu)" in stage_errors[0]
    arende.refresh_from_db()
    assert (arende.stage, arende.supervisor) == (CaseStage.DECISION, None)
    # Naming the supervisor in the same step leaves only the sign-off missing.
    with pytest.raises(ValidationError) as caught:
        services.change_case_stage(ny, case=arende, stage=CaseStage.FOLLOW_UP, supervisor=mentor)
    assert str(GUARDRAIL_NO_SUPERVISOR) not in caught.value.message_dict["stage"]
    assert str(GUARDRAIL_NO_SIGNED_REVIEW) in caught.value.message_dict["stage"]
    # Closing is a way past the decision stage too.
    with pytest.raises(ValidationError):
        services.close_case(ny, case=arende, closed_on=TODAY())
    services.change_case_stage(ny, case=arende, stage=CaseStage.DECISION, supervisor=mentor)
    review(mentor, arende, sign_off=True)
    case = services.change_case_stage(ny, case=arende, stage=CaseStage.FOLLOW_UP, supervisor=mentor)
    assert case.stage == CaseStage.FOLLOW_UP
    assert (case.passed_decision_on, case.holder_level_at_decision) == (TODAY(), 1)


@pytest.mark.django_db
def test_guardrail_reads_decisions_never_review_evidence(ny, mentor, chef, mentorskap, arende):
    services.change_case_stage(ny, case=arende, stage=CaseStage.DECISION, supervisor=None)
    review(mentor, arende, observed_level=5)  # evidence of level 5, unsigned
    with pytest.raises(ValidationError):
        services.change_case_stage(ny, case=arende, stage=CaseStage.FOLLOW_UP, supervisor=None)
    # An expired level-4 decision does not count either.
    DecisionFactory(
        person=ny,
        case_type=arende.case_type,
        level=4,
        decided_by=chef,
        decided_on=TODAY() - datetime.timedelta(days=100),
        valid_until=TODAY() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        services.change_case_stage(ny, case=arende, stage=CaseStage.FOLLOW_UP, supervisor=None)
    services.decide_entrustment(chef, person=ny, case_type=arende.case_type, level=4)
    case = services.change_case_stage(ny, case=arende, stage=CaseStage.FOLLOW_UP, supervisor=None)
    assert (case.stage, case.holder_level_at_decision) == (CaseStage.FOLLOW_UP, 4)


@pytest.mark.django_db
def test_low_risk_cases_pass_the_decision_without_supervision(ny, forhandsbedomning):
    case = CaseFactory(holder=ny, case_type=forhandsbedomning)
    case = services.close_case(ny, case=case, closed_on=TODAY())
    assert case.stage == CaseStage.CLOSED and case.closed_on == TODAY()


@pytest.mark.django_db
def test_closing_twice_and_bad_dates_are_refused(ny, chef, utomstaende, forhandsbedomning):
    case = CaseFactory(holder=ny, case_type=forhandsbedomning)
    with pytest.raises(ValidationError) as caught:
        services.close_case(ny, case=case, closed_on=case.opened_on - datetime.timedelta(days=1))
    assert "Avslutsdatumet kan inte ligga före" in caught.value.message_dict["closed_on"][0]
    with pytest.raises(PermissionDenied):
        services.close_case(utomstaende, case=case, closed_on=TODAY())
    services.close_case(chef, case=case, closed_on=TODAY())
    with pytest.raises(ValidationError) as caught:
        services.close_case(ny, case=case, closed_on=TODAY())
    assert messages_of(caught) == [str(services.CASE_ALREADY_CLOSED)]
    with pytest.raises(ValidationError) as caught:
        services.change_case_stage(ny, case=case, stage=CaseStage.PLANNING, supervisor=None)
    assert messages_of(caught) == [str(services.CASE_CLOSED)]
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 1


# --------------------------------------------------------------------------------------------
# Reviews and sign-off
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_review_before_the_case_opened_is_refused(mentor, mentorskap, arende):
    with pytest.raises(ValidationError) as caught:
        review(mentor, arende, date=arende.opened_on - datetime.timedelta(days=1))
    expected = services.REVIEW_BEFORE_OPENED % {"opened": dates.format_date(arende.opened_on)}
    assert caught.value.message_dict["date"] == [expected]
    assert not CaseReview.objects.exists()
    assert not AuditEvent.objects.exclude(action=AuditAction.ROLE_CHANGE).exists()


@pytest.mark.django_db
def test_who_may_review(ny, mentor, chef, kommunadmin, utomstaende, enhet_a, arende):
    # Without an active mentorship the mentor is nobody to this case.
    for actor in (ny, mentor, kommunadmin, utomstaende, person(enhet_a, Role.MENTOR)):
        with pytest.raises(PermissionDenied):
            review(actor, arende)
    assert review(chef, arende).supervisor == chef
    supervisor = person(enhet_a, Role.SOCIAL_SECRETARY)
    services.change_case_stage(
        ny, case=arende, stage=CaseStage.INVESTIGATION, supervisor=supervisor
    )
    assert review(supervisor, arende).stage == CaseStage.INVESTIGATION


@pytest.mark.django_db
def test_sign_off_only_at_decision_and_only_by_someone_qualified(
    ny, mentor, chef, enhet_a, mentorskap, arende
):
    with pytest.raises(ValidationError) as caught:
        review(mentor, arende, sign_off=True)
    assert caught.value.message_dict["sign_off"] == [str(services.SIGN_ONLY_AT_DECISION)]
    supervisor = person(enhet_a, Role.SOCIAL_SECRETARY)
    services.change_case_stage(ny, case=arende, stage=CaseStage.DECISION, supervisor=supervisor)
    with pytest.raises(ValidationError) as caught:
        review(supervisor, arende, sign_off=True)
    assert caught.value.message_dict["sign_off"] == [str(services.NOT_QUALIFIED_TO_SIGN)]
    assert not CaseReview.objects.exists()
    # Level 5 for the case type qualifies the named supervisor; so do mentor and manager.
    services.decide_entrustment(chef, person=supervisor, case_type=arende.case_type, level=5)
    assert review(supervisor, arende, sign_off=True).is_signed
    assert review(mentor, arende, sign_off=True).is_signed
    assert review(chef, arende, sign_off=True).is_signed


@pytest.mark.django_db
def test_signed_review_is_final_in_service_and_model(ny, mentor, mentorskap, arende):
    services.change_case_stage(ny, case=arende, stage=CaseStage.DECISION, supervisor=mentor)
    draft = review(mentor, arende, notes="Första utkast.")
    edited = services.update_case_review(
        mentor,
        review=draft,
        date=TODAY(),
        observed_level=3,
        child_spoken_alone=YES,
        child_view_documented=NO,
        risk_assessment_made=YES,
        notes="Ändrat.",
        sign_off=True,
    )
    assert edited.is_signed and edited.notes == "Ändrat."
    with pytest.raises(ValidationError) as caught:
        services.update_case_review(
            mentor,
            review=edited,
            date=TODAY(),
            observed_level=4,
            child_spoken_alone=YES,
            child_view_documented=YES,
            risk_assessment_made=YES,
        )
    assert messages_of(caught) == [str(REVIEW_SIGNED)]
    stale = CaseReview.objects.get(pk=edited.pk)
    stale.notes = "Tyst ändring."
    with pytest.raises(ValidationError):
        stale.save()
    with pytest.raises(ValidationError):
        stale.delete()
    edited.refresh_from_db()
    assert (edited.notes, edited.observed_level) == ("Ändrat.", 3)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "object_type"))
    assert actions[-2:] == [
        (AuditAction.CREATE, "mentoring.casereview"),
        (AuditAction.UPDATE, "mentoring.casereview"),
    ]


@pytest.mark.django_db
def test_only_the_reviewer_edits_a_review(ny, mentor, chef, mentorskap, arende):
    draft = review(mentor, arende)
    with pytest.raises(PermissionDenied):
        services.update_case_review(
            chef,
            review=draft,
            date=TODAY(),
            observed_level=3,
            child_spoken_alone=YES,
            child_view_documented=YES,
            risk_assessment_made=YES,
        )


@pytest.mark.django_db
def test_child_perspective_checklist_and_honour_assessment(ny, mentor, mentorskap, heder, arende):
    # Not honour-related: the honour item is always "not applicable".
    assert review(mentor, arende, honour_risk_assessment_made=YES).honour_risk_assessment_made == NA
    honour_case = CaseFactory(holder=ny, case_type=heder)
    with pytest.raises(ValidationError) as caught:
        review(mentor, honour_case)
    assert caught.value.message_dict["honour_risk_assessment_made"] == [
        str(services.HONOUR_CHECK_REQUIRED)
    ]
    assert review(mentor, honour_case, honour_risk_assessment_made=NO).pk
    with pytest.raises(ValidationError) as caught:
        review(mentor, honour_case, honour_risk_assessment_made=NO, notes="Pnr 8112189876")
    assert caught.value.message_dict["notes"] == [str(IDENTITY_NUMBER_IN_TEXT)]


# --------------------------------------------------------------------------------------------
# Entrustment decisions
# --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_entrustment_decisions_are_append_only_and_current_is_latest_valid(
    ny, mentor, chef, mentorskap, arende
):
    evidence = review(mentor, arende, observed_level=3)
    first = services.decide_entrustment(
        mentor, person=ny, case_type=arende.case_type, level=3, reviews=[evidence]
    )
    assert list(first.reviews.all()) == [evidence]
    assert selectors.current_level(ny, arende.case_type, today=TODAY()) == 3
    later = services.decide_entrustment(
        chef,
        person=ny,
        case_type=arende.case_type,
        level=4,
        valid_until=TODAY() + datetime.timedelta(days=30),
    )
    assert selectors.current_level(ny, arende.case_type, today=TODAY()) == 4
    after_expiry = TODAY() + datetime.timedelta(days=31)
    assert selectors.current_level(ny, arende.case_type, today=after_expiry) == 3
    later.level = 5
    with pytest.raises(ValidationError) as caught:
        later.save()
    assert messages_of(caught) == [str(DECISIONS_APPEND_ONLY)]
    with pytest.raises(ValidationError):
        later.delete()
    assert EntrustmentDecision.objects.filter(level=4).count() == 1
    assert AuditEvent.objects.filter(object_type="mentoring.entrustmentdecision").count() == 2


@pytest.mark.django_db
def test_who_may_decide_entrustment(ny, mentor, chef, enhet_a, utomstaende, mentorskap, arende):
    colleague = person(enhet_a, Role.SOCIAL_SECRETARY)
    for actor in (colleague, utomstaende):
        with pytest.raises(PermissionDenied) as caught:
            services.decide_entrustment(actor, person=ny, case_type=arende.case_type, level=3)
        assert str(caught.value) == str(services.NOT_QUALIFIED_TO_DECIDE)
    with pytest.raises(PermissionDenied) as caught:
        services.decide_entrustment(ny, person=ny, case_type=arende.case_type, level=5)
    assert str(caught.value) == str(services.DECISION_ABOUT_ONESELF)
    services.decide_entrustment(chef, person=colleague, case_type=arende.case_type, level=5)
    assert (
        services.decide_entrustment(
            colleague, person=ny, case_type=arende.case_type, level=2
        ).decided_by
        == colleague
    )
    other_case = CaseFactory(holder=colleague, case_type=arende.case_type)
    foreign_review = ReviewFactory(case=other_case, supervisor=chef)
    with pytest.raises(ValidationError) as caught:
        services.decide_entrustment(
            mentor, person=ny, case_type=arende.case_type, level=3, reviews=[foreign_review]
        )
    assert caught.value.message_dict["reviews"] == [str(services.REVIEWS_DO_NOT_MATCH)]
    assert EntrustmentDecision.objects.filter(person=ny).count() == 1


@pytest.mark.django_db
def test_a_case_opened_too_long_ago_is_refused_with_the_bound(ny, enhet_a, placering):
    six_years_ago = TODAY() - datetime.timedelta(days=6 * 366)
    with pytest.raises(ValidationError) as caught:
        services.open_case(
            ny, unit=enhet_a, reference="BoU-7", case_type=placering, opened_on=six_years_ago
        )
    assert caught.value.message_dict["opened_on"] == [
        str(dates.CASE_OPENED_TOO_EARLY % {"years": 5})
    ]
    assert not SupervisedCase.objects.exists()
    four_years_ago = TODAY() - datetime.timedelta(days=4 * 365)
    case = services.open_case(
        ny, unit=enhet_a, reference="BoU-8", case_type=placering, opened_on=four_years_ago
    )
    assert case.opened_on == four_years_ago
