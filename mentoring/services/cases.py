"""Writes for supervised cases (ärenden): register, move through the stages, review, sign off,
close, decide entrustment levels, and raise alerts. Every write and every read of a case record
goes to the municipality's audit log (granskningslogg), naming the record by type and id only:
a summary never carries case content."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import outbox
from core.dates import add_months, case_opened_problem, format_date
from mentoring import permissions, selectors
from mentoring.models import (
    CaseAlert,
    CaseReview,
    CaseStage,
    CaseType,
    CheckAnswer,
    EntrustmentDecision,
    EntrustmentLevel,
    MentoringSettings,
    SupervisedCase,
    is_past_decision,
)
from mentoring.models.cases import (
    DECISION_ABOUT_ONESELF,
    REFERENCE_TAKEN,
    REVIEW_SIGNED,
    UNKNOWN_CASE_TYPE,
    VALID_UNTIL_BEFORE_DECIDED,
)
from mentoring.models.cases import SIGNED_ONLY_AT_DECISION as SIGN_ONLY_AT_DECISION
from mentoring.services.common import full_clean_with, queue_once
from people.audit import Choice, record_event
from people.models import AuditAction, Unit, User

NOT_YOUR_UNIT = _("Du kan bara registrera ärenden i en enhet där du arbetar som handläggare.")
DATE_IN_FUTURE = _("Datumet kan inte ligga i framtiden.")
SUPERVISOR_NOT_ELIGIBLE = _(
    "Välj en handledare i kommunen: en socialsekreterare, mentor eller chef, inte du själv."
)
CASE_ALREADY_CLOSED = _("Ärendet är redan avslutat.")
CASE_CLOSED = _("Ärendet är avslutat och kan inte ändras.")
CLOSE_WITH_CLOSE = _("Avsluta ärendet med knappen ”Avsluta ärendet”.")
CLOSED_BEFORE_OPENED = _("Avslutsdatumet kan inte ligga före ärendets startdatum (%(opened)s).")
NOT_ALLOWED_TO_MANAGE = _("Bara handläggaren och enhetens chef kan ändra ärendet.")
NOT_A_REVIEWER = _(
    "Genomgångar görs av ärendets handledare, handläggarens mentor eller enhetens chef."
)
REVIEW_BEFORE_OPENED = _("Genomgången kan inte vara daterad före ärendets startdatum (%(opened)s).")
ONLY_AUTHOR_EDITS = _("Bara den som gjorde genomgången kan ändra den.")
NOT_QUALIFIED_TO_SIGN = _(
    "Du kan inte signera: det gör en handledare med anförtroendenivå 5 för ärendetypen, "
    "handläggarens mentor eller chef för handläggarens enhet."
)
HONOUR_CHECK_REQUIRED = _(
    "Ange om den särskilda riskbedömningen vid hedersrelaterat våld är gjord (ja eller nej)."
)
NOT_QUALIFIED_TO_DECIDE = _(
    "Bara ärendets handledare, den som gjorde genomgången, personens mentor, chef för "
    "personens enhet eller den som har anförtroendenivå 5 för ärendetypen kan besluta om "
    "anförtroendenivå."
)
REVIEWS_DO_NOT_MATCH = _(
    "Beslutet kan bara grundas på genomgångar av personens egna ärenden av samma ärendetyp."
)
ALREADY_DECIDED = _(
    "Personen har redan den här nivån för ärendetypen genom ett gällande beslut; inget nytt "
    "beslut behövs."
)


def _check_supervisor(supervisor: User | None, *, case: SupervisedCase, errors: dict) -> None:
    if supervisor is None:
        return
    if supervisor.pk == case.holder_id or not selectors.is_supervisor_candidate(
        supervisor, organisation_id=case.organisation_id
    ):
        errors.setdefault("supervisor", []).append(SUPERVISOR_NOT_ELIGIBLE)


def _lock(case: SupervisedCase) -> SupervisedCase:
    return (
        SupervisedCase.objects.select_for_update(of=("self",))
        .select_related("case_type", "holder")
        .get(pk=case.pk)
    )


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------
@transaction.atomic
def open_case(
    actor: User,
    *,
    unit: Unit,
    reference: str,
    case_type: CaseType | None,
    opened_on: datetime.date,
    supervisor: User | None = None,
) -> SupervisedCase:
    """Register a supervised case (ärende) under the municipality's pseudonymous reference;
    the reference is unique per municipality and never holds a personal identity number."""
    if unit.pk not in permissions.holder_unit_ids(actor):
        raise PermissionDenied(NOT_YOUR_UNIT)
    errors: dict[str, list] = {}
    if (
        case_type is None
        or case_type.organisation_id != unit.organisation_id
        or not case_type.is_active
    ):
        errors["case_type"] = [UNKNOWN_CASE_TYPE]
        case_type = None
    if opened_on and opened_on > timezone.localdate():
        errors["opened_on"] = [DATE_IN_FUTURE]
    elif opened_on and (problem := case_opened_problem(opened_on, today=timezone.localdate())):
        errors["opened_on"] = [problem]
    reference = (reference or "").strip()
    case = SupervisedCase(
        organisation_id=unit.organisation_id,
        unit=unit,
        holder=actor,
        reference=reference,
        case_type=case_type,
        opened_on=opened_on,
        supervisor=supervisor,
        created_by=actor,
    )
    _check_supervisor(supervisor, case=case, errors=errors)
    if (
        reference
        and SupervisedCase.objects.filter(
            organisation_id=unit.organisation_id, reference__iexact=reference
        ).exists()
    ):
        errors.setdefault("reference", []).append(REFERENCE_TAKEN)
    full_clean_with(case, errors, exclude=["case_type"] if case_type is None else None)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        # Someone registered the same reference between our check and the insert.
        raise ValidationError({"reference": [REFERENCE_TAKEN]}) from None
    record_event(
        actor,
        action=AuditAction.CREATE,
        obj=case,
        organisation=case.organisation_id,
        summary="Ärende registrerat",
    )
    _warn_managers_of_caseload(case)
    return case


def _warn_managers_of_caseload(case: SupervisedCase) -> None:
    """When the new case takes the holder above their guideline, the unit's managers are told
    (the holder sees the same warning on the page); the case is registered either way."""
    from mentoring.tasks import caseload_warning_email

    if selectors.guideline_crossed_by(case, today=timezone.localdate()) is None:
        return
    for manager in selectors.managers_of_units([case.unit_id])[case.unit_id]:
        outbox.enqueue(
            caseload_warning_email,
            args={"case_id": case.pk, "user_id": manager.pk},
            key=f"mentoring.caseload-warning:{case.pk}:{manager.pk}",
            recipient_id=manager.pk,
            organisation_id=case.organisation_id,
        )


def _guard_decision_stage(case: SupervisedCase, *, target: str, today) -> None:
    """The guardrail (skyddsräcke): moving past the decision stage needs, for a high-risk case
    type and a holder below level 4, a named supervisor and a signed decision-stage review."""
    if is_past_decision(case.stage) or not is_past_decision(target):
        return
    guardrail = selectors.guardrail_of(case, today=today)
    if guardrail.blocks:
        raise ValidationError({"stage": [guardrail.intro, *guardrail.missing]})
    level = guardrail.level or EntrustmentLevel.OBSERVES
    case.passed_decision_on = today
    case.holder_level_at_decision = level


@transaction.atomic
def change_case_stage(
    actor: User, *, case: SupervisedCase, stage: str, supervisor: User | None
) -> SupervisedCase:
    """Move a case to another stage (skede) and name its supervisor; the case row is locked so
    the guardrail is checked against what is committed."""
    case = _lock(case)
    if not permissions.case_access(actor, case).can_manage:
        raise PermissionDenied(NOT_ALLOWED_TO_MANAGE)
    if not case.is_open:
        raise ValidationError(CASE_CLOSED)
    errors: dict[str, list] = {}
    if stage == CaseStage.CLOSED:
        errors["stage"] = [CLOSE_WITH_CLOSE]
    _check_supervisor(supervisor, case=case, errors=errors)
    if errors:
        raise ValidationError(errors)
    previous = case.stage
    case.supervisor = supervisor
    if stage in CaseStage.values:
        _guard_decision_stage(case, target=stage, today=timezone.localdate())
    case.stage = stage
    full_clean_with(case, errors)
    case.save()
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=case,
        organisation=case.organisation_id,
        note=gettext_noop("Skede: %(before)s → %(after)s"),
        note_values={
            "before": Choice("mentoring.supervisedcase", "stage", previous),
            "after": Choice("mentoring.supervisedcase", "stage", case.stage),
        },
    )
    return case


@transaction.atomic
def close_case(actor: User, *, case: SupervisedCase, closed_on: datetime.date) -> SupervisedCase:
    """Close a case (avsluta ärendet); closing passes the decision stage, so the guardrail
    applies as for any other move past it."""
    case = _lock(case)
    if not permissions.case_access(actor, case).can_manage:
        raise PermissionDenied(NOT_ALLOWED_TO_MANAGE)
    if not case.is_open:
        raise ValidationError(CASE_ALREADY_CLOSED)
    today = timezone.localdate()
    if closed_on > today:
        raise ValidationError({"closed_on": [DATE_IN_FUTURE]})
    if closed_on < case.opened_on:
        raise ValidationError(
            {"closed_on": [CLOSED_BEFORE_OPENED % {"opened": format_date(case.opened_on)}]}
        )
    _guard_decision_stage(case, target=CaseStage.CLOSED, today=today)
    case.stage = CaseStage.CLOSED
    case.closed_on = closed_on
    full_clean_with(case, {})
    case.save()
    record_event(
        actor,
        action=AuditAction.UPDATE,
        obj=case,
        organisation=case.organisation_id,
        summary="Avslutat",
    )
    return case


def record_case_read(actor: User, *, case: SupervisedCase) -> None:
    """Every read of a case record is written to the audit log (granskningslogg)."""
    record_event(
        actor, action=AuditAction.READ, obj=case, organisation=case.organisation_id, summary=""
    )


# --------------------------------------------------------------------------------------------
# Reviews (ärendegenomgångar)
# --------------------------------------------------------------------------------------------
def _save_review(
    actor: User,
    review: CaseReview,
    *,
    case: SupervisedCase,
    action: str,
    date: datetime.date,
    observed_level: int,
    notes: str,
    child_spoken_alone: str,
    child_view_documented: str,
    risk_assessment_made: str,
    honour_risk_assessment_made: str,
    sign_off: bool,
) -> CaseReview:
    errors: dict[str, list] = {}
    today = timezone.localdate()
    if date and date > today:
        errors["date"] = [DATE_IN_FUTURE]
    elif date and date < case.opened_on:
        errors["date"] = [REVIEW_BEFORE_OPENED % {"opened": format_date(case.opened_on)}]
    if case.case_type.honour_related:
        if honour_risk_assessment_made not in (CheckAnswer.YES, CheckAnswer.NO):
            errors["honour_risk_assessment_made"] = [HONOUR_CHECK_REQUIRED]
    else:
        honour_risk_assessment_made = CheckAnswer.NOT_APPLICABLE
    if sign_off:
        if review.stage != CaseStage.DECISION:
            errors.setdefault("sign_off", []).append(SIGN_ONLY_AT_DECISION)
        elif not permissions.is_qualified_for(
            actor, person=case.holder, case_type=case.case_type, today=today
        ):
            errors.setdefault("sign_off", []).append(NOT_QUALIFIED_TO_SIGN)
    review.date = date
    review.observed_level = observed_level
    review.notes = (notes or "").strip()
    review.child_spoken_alone = child_spoken_alone
    review.child_view_documented = child_view_documented
    review.risk_assessment_made = risk_assessment_made
    review.honour_risk_assessment_made = honour_risk_assessment_made
    if sign_off and not errors:
        review.signed_at = timezone.now()
    full_clean_with(review, errors)
    review.save()
    record_event(
        actor,
        action=action,
        obj=review,
        organisation=case.organisation_id,
        note=gettext_noop("Genomgång av ärende %(case)s, signerad")
        if review.is_signed
        else gettext_noop("Genomgång av ärende %(case)s"),
        note_values={"case": case.pk},
    )
    return review


@transaction.atomic
def record_case_review(
    actor: User,
    *,
    case: SupervisedCase,
    date: datetime.date,
    observed_level: int,
    child_spoken_alone: str,
    child_view_documented: str,
    risk_assessment_made: str,
    honour_risk_assessment_made: str = CheckAnswer.NOT_APPLICABLE,
    notes: str = "",
    sign_off: bool = False,
) -> CaseReview:
    """Record a supervision review (ärendegenomgång) in the case's current stage: the level the
    supervisor observed is evidence, and in the decision stage a qualified supervisor may sign
    off. A signature supports the practitioner; it is not the formal decision."""
    case = _lock(case)
    if not permissions.case_access(actor, case).can_review:
        raise PermissionDenied(NOT_A_REVIEWER)
    if not case.is_open:
        raise ValidationError(CASE_CLOSED)
    return _save_review(
        actor,
        CaseReview(case=case, supervisor=actor, stage=case.stage),
        case=case,
        action=AuditAction.CREATE,
        date=date,
        observed_level=observed_level,
        notes=notes,
        child_spoken_alone=child_spoken_alone,
        child_view_documented=child_view_documented,
        risk_assessment_made=risk_assessment_made,
        honour_risk_assessment_made=honour_risk_assessment_made,
        sign_off=sign_off,
    )


@transaction.atomic
def update_case_review(
    actor: User,
    *,
    review: CaseReview,
    date: datetime.date,
    observed_level: int,
    child_spoken_alone: str,
    child_view_documented: str,
    risk_assessment_made: str,
    honour_risk_assessment_made: str = CheckAnswer.NOT_APPLICABLE,
    notes: str = "",
    sign_off: bool = False,
) -> CaseReview:
    """Change an unsigned review, or sign it; a signed review is final (rättelse = ny
    genomgång). The review row is locked so two signatures cannot race."""
    review = CaseReview.objects.select_for_update(of=("self",)).get(pk=review.pk)
    if review.is_signed:
        raise ValidationError(REVIEW_SIGNED)
    case = _lock(review.case)
    if actor.pk != review.supervisor_id or not permissions.case_access(actor, case).can_review:
        raise PermissionDenied(ONLY_AUTHOR_EDITS)
    return _save_review(
        actor,
        review,
        case=case,
        action=AuditAction.UPDATE,
        date=date,
        observed_level=observed_level,
        notes=notes,
        child_spoken_alone=child_spoken_alone,
        child_view_documented=child_view_documented,
        risk_assessment_made=risk_assessment_made,
        honour_risk_assessment_made=honour_risk_assessment_made,
        sign_off=sign_off,
    )


# --------------------------------------------------------------------------------------------
# Entrustment decisions (beslut om anförtroendenivå)
# --------------------------------------------------------------------------------------------
@transaction.atomic
def decide_entrustment(
    actor: User,
    *,
    person: User,
    case_type: CaseType,
    level: int,
    reviews: list[CaseReview] | tuple = (),
    valid_until: datetime.date | None = None,
    rationale: str = "",
) -> EntrustmentDecision:
    """Decide a person's entrustment level (anförtroendenivå) for a case type, resting on
    reviews. Append-only: a new level is a new decision, never an edit."""
    today = timezone.localdate()
    if actor.pk == person.pk:
        raise PermissionDenied(DECISION_ABOUT_ONESELF)
    reviews = list(reviews)
    if not permissions.may_decide_entrustment(
        actor, person=person, case_type=case_type, reviews=reviews, today=today
    ):
        raise PermissionDenied(NOT_QUALIFIED_TO_DECIDE)
    errors: dict[str, list] = {}
    # The person's row is the lock for their decisions: a second click, or two deciders at
    # once, see the first decision before comparing with it.
    User.objects.select_for_update().filter(pk=person.pk).first()
    current = (
        EntrustmentDecision.objects.filter(person=person, case_type=case_type)
        .valid_on(today)
        .order_by("-decided_on", "-created_at", "-pk")
        .first()
    )
    if current is not None and (current.level, current.valid_until) == (level, valid_until):
        errors["level"] = [ALREADY_DECIDED]
    if any(r.case.holder_id != person.pk or r.case.case_type_id != case_type.pk for r in reviews):
        errors["reviews"] = [REVIEWS_DO_NOT_MATCH]
    if valid_until is not None and valid_until < today:
        errors["valid_until"] = [VALID_UNTIL_BEFORE_DECIDED]
    decision = EntrustmentDecision(
        person=person,
        case_type=case_type,
        level=level,
        decided_by=actor,
        decided_on=today,
        valid_until=valid_until,
        rationale=(rationale or "").strip(),
    )
    full_clean_with(decision, errors)
    decision.save()
    decision.reviews.set(reviews)
    record_event(
        actor,
        action=AuditAction.CREATE,
        obj=decision,
        organisation=case_type.organisation_id,
        note=gettext_noop("Anförtroendenivå %(level)s"),
        note_values={"level": Choice("mentoring.entrustmentdecision", "level", level)},
    )
    return decision


# --------------------------------------------------------------------------------------------
# Alerts
# --------------------------------------------------------------------------------------------
def scan_case_alerts(today: datetime.date | None = None) -> list[CaseAlert]:
    """Daily: raise an alert for every case that meets an alert rule. One row per (case, kind,
    since), so a retried or repeated run never emails the same alert twice."""
    from mentoring.tasks import case_alert_email

    today = today or timezone.localdate()
    conditions = selectors.alert_conditions(selectors.open_cases_for_alerts(), today=today)
    managers = selectors.managers_of_units({c.case.unit_id for c in conditions})

    def deliver(alert: CaseAlert, case) -> None:
        recipients = {user.pk for user in managers[case.unit_id]}
        if case.supervisor_id is not None:
            recipients.add(case.supervisor_id)
        for user_id in sorted(recipients):
            outbox.enqueue(
                case_alert_email,
                args={"alert_id": alert.pk, "user_id": user_id},
                key=f"mentoring.case-alert:{alert.pk}:{user_id}",
                recipient_id=user_id,
                organisation_id=case.organisation_id,
            )

    created = []
    for condition in conditions:
        alert = queue_once(
            CaseAlert,
            lambda alert, case=condition.case: deliver(alert, case),
            case=condition.case,
            kind=condition.kind,
            since=condition.since,
        )
        if alert is not None:
            created.append(alert)
    return created


def purge_expired_cases(today: datetime.date | None = None) -> int:
    """Retention (gallring): delete closed cases, with their reviews and alerts, once the
    municipality's retention period after closing has passed; one audit line per case.
    Entrustment decisions are about the person, not the case, and stay."""
    today = today or timezone.localdate()
    default_months = MentoringSettings().case_retention_months
    months = dict(MentoringSettings.objects.values_list("organisation_id", "case_retention_months"))
    closed = SupervisedCase.objects.filter(closed_on__isnull=False).values_list(
        "pk", "organisation_id", "closed_on"
    )
    expired = [
        (pk, organisation_id)
        for pk, organisation_id, closed_on in closed
        if add_months(closed_on, months.get(organisation_id, default_months)) <= today
    ]
    for pk, organisation_id in expired:
        with transaction.atomic():
            deleted, _rows = SupervisedCase.objects.filter(pk=pk).delete()
            if deleted:
                record_event(
                    None,
                    action=AuditAction.DELETE,
                    organisation=organisation_id,
                    object_type="mentoring.supervisedcase",
                    object_id=pk,
                    summary="Gallrat efter lagringstiden",
                )
    return len(expired)
