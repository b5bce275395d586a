"""Reads for supervised cases (ärenden), already scoped to the requesting user.

A case that is missing and one the user may not read give the same 404. Entrustment levels are
read from decisions only; what a supervisor observed in a review is evidence, never a level.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mentoring import permissions
from mentoring.models import (
    CaseReview,
    CaseStage,
    CaseType,
    EntrustmentDecision,
    EntrustmentLevel,
    Mentorship,
    SupervisedCase,
    is_past_decision,
)
from people import permissions as people_permissions
from people.models import Membership, Unit, User

GUARDRAIL_NO_SUPERVISOR = _(
    "Ärendet har ingen namngiven handledare. Ange en handledare under ”Ändra skede eller "
    "handledare”."
)
GUARDRAIL_NO_SIGNED_REVIEW = _(
    "Det finns ingen signerad genomgång i beslutsskedet. Be en kvalificerad handledare gå "
    "igenom beslutet med dig och signera genomgången."
)
GUARDRAIL_INTRO = _(
    "%(case_type)s har risknivå %(risk)s, och handläggarens beslutade anförtroendenivå för "
    "ärendetypen är %(level)s. Under nivå 4 kan ärendet inte gå vidare efter beslutsskedet "
    "förrän det här är klart:"
)
SIGN_OFF_IS_SUPPORT = _(
    "Handledarens signering är ett stöd för handläggaren. Den är inte det formella beslutet: "
    "det fattas av den som har delegation enligt kommunens delegationsordning."
)


# --------------------------------------------------------------------------------------------
# Entrustment levels (anförtroendenivå)
# --------------------------------------------------------------------------------------------
def latest_valid_level(decisions: Iterable[EntrustmentDecision], *, today) -> int | None:
    """The level of the latest decision still valid on the day; None when there is none."""
    valid = [
        d
        for d in decisions
        if d.decided_on <= today and (d.valid_until is None or d.valid_until >= today)
    ]
    if not valid:
        return None
    return max(valid, key=lambda d: (d.decided_on, d.created_at, d.pk)).level


def current_levels(
    person_ids: Iterable[int], case_type_ids: Iterable[int], *, today: datetime.date
) -> dict[tuple[int, int], int]:
    """{(person id, case type id): current level} in one query; pairs without a valid decision
    are left out."""
    rows = (
        EntrustmentDecision.objects.filter(
            person_id__in=set(person_ids), case_type_id__in=set(case_type_ids)
        )
        .valid_on(today)
        .order_by("decided_on", "created_at", "pk")
        .values_list("person_id", "case_type_id", "level")
    )
    # Ordered oldest first, so the last row written per pair is the latest decision.
    return {(person_id, case_type_id): level for person_id, case_type_id, level in rows}


def current_level_subquery(person_field: str, case_type_field: str, *, today: datetime.date):
    """current_levels for one row of an outer query (its person and case type fields): the
    latest decision valid on the day, or NULL."""
    latest = (
        EntrustmentDecision.objects.filter(
            person_id=OuterRef(person_field), case_type_id=OuterRef(case_type_field)
        )
        .valid_on(today)
        .order_by("-decided_on", "-created_at", "-pk")
    )
    return Subquery(latest.values("level")[:1])


def current_level(person: User, case_type: CaseType, *, today: datetime.date) -> int | None:
    return current_levels([person.pk], [case_type.pk], today=today).get((person.pk, case_type.pk))


def level_label(level: int | None) -> str:
    if level is None:
        return str(_("1 – Observerar (inget beslut ännu)"))
    return str(EntrustmentLevel(level).label)


# --------------------------------------------------------------------------------------------
# Guardrail
# --------------------------------------------------------------------------------------------
@dataclass
class Guardrail:
    """Whether the case may pass the decision stage, and what is missing if not."""

    applies: bool
    level: int | None
    missing: list[str] = field(default_factory=list)
    intro: str = ""

    @property
    def blocks(self) -> bool:
        return self.applies and bool(self.missing)


def guardrail_for(
    case: SupervisedCase, *, level: int | None, has_signed_decision_review: bool
) -> Guardrail:
    """High or critical case type and a holder below level 4 (from decisions, never from
    review evidence): passing the decision stage needs a named supervisor and a signed review
    in the decision stage."""
    effective = level or EntrustmentLevel.OBSERVES
    applies = case.case_type.is_high_risk and effective < permissions.INDEPENDENT_LEVEL
    if not applies:
        return Guardrail(applies=False, level=level)
    missing = []
    if case.supervisor_id is None:
        missing.append(str(GUARDRAIL_NO_SUPERVISOR))
    if not has_signed_decision_review:
        missing.append(str(GUARDRAIL_NO_SIGNED_REVIEW))
    intro = GUARDRAIL_INTRO % {
        "case_type": str(case.case_type),
        # The level's own name, as the case page's tag shows it ("Kritisk" is not "hög").
        "risk": str(case.case_type.get_risk_level_display()).lower(),
        "level": level_label(level),
    }
    return Guardrail(applies=True, level=level, missing=missing, intro=intro)


def signed_decision_reviews() -> QuerySet[CaseReview]:
    """Signed reviews in the decision stage: what the guardrail asks for."""
    return CaseReview.objects.filter(stage=CaseStage.DECISION, signed_at__isnull=False)


def has_signed_decision_review(case: SupervisedCase) -> bool:
    return signed_decision_reviews().filter(case=case).exists()


def guardrail_of(case: SupervisedCase, *, today: datetime.date) -> Guardrail:
    """The guardrail read fresh from the database (two queries), for services."""
    return guardrail_for(
        case,
        level=current_level(case.holder, case.case_type, today=today),
        has_signed_decision_review=has_signed_decision_review(case),
    )


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------
def visible_cases(user: User) -> QuerySet[SupervisedCase]:
    return SupervisedCase.objects.filter(permissions.case_scope(user))


@dataclass
class CaseRow:
    case: SupervisedCase
    relation: str
    level: int | None
    review_count: int
    last_review: datetime.date | None
    guardrail: Guardrail

    @property
    def level_label(self) -> str:
        return level_label(self.level)


def cases_for(user: User, *, today: datetime.date, include_closed: bool = True) -> list[CaseRow]:
    """ "Ärenden": every case the user may read, with how they relate to it; four queries
    whatever the number of cases."""
    cases = (
        visible_cases(user)
        .select_related("case_type", "holder", "supervisor", "unit")
        .annotate(
            review_count=Count("reviews"),
            last_review=Max("reviews__date"),
            signed=Exists(signed_decision_reviews().filter(case=OuterRef("pk"))),
        )
        .order_by("-opened_on", "-pk")
    )
    if not include_closed:
        cases = cases.exclude(stage=CaseStage.CLOSED)
    cases = list(cases)
    levels = current_levels(
        {c.holder_id for c in cases}, {c.case_type_id for c in cases}, today=today
    )
    mentee_ids = set(
        Mentorship.objects.filter(mentor=user, status=Mentorship.Status.ACTIVE).values_list(
            "mentee_id", flat=True
        )
    )
    managed = people_permissions.managed_unit_ids(user)
    rows = []
    for case in cases:
        if case.holder_id == user.pk:
            relation = _("Mitt ärende")
        elif case.supervisor_id == user.pk:
            relation = _("Jag är handledare")
        elif case.holder_id in mentee_ids:
            relation = _("Min adepts ärende")
        elif case.unit_id in managed:
            relation = _("Min enhet")
        else:  # pragma: no cover - case_scope admits nobody else
            continue
        level = levels.get((case.holder_id, case.case_type_id))
        rows.append(
            CaseRow(
                case=case,
                relation=str(relation),
                level=level,
                review_count=case.review_count,
                last_review=case.last_review,
                guardrail=guardrail_for(case, level=level, has_signed_decision_review=case.signed),
            )
        )
    rows.sort(key=lambda row: (not row.case.is_open, -row.case.opened_on.toordinal()))
    return rows


def get_case_for(user: User, *, pk: int) -> SupervisedCase:
    """A case the user may read; 404 whether it is missing or not theirs to read."""
    case = (
        visible_cases(user)
        .filter(pk=pk)
        .select_related("case_type", "holder", "supervisor", "unit", "organisation")
        .first()
    )
    if case is None:
        raise Http404
    return case


def get_case_to_manage(user: User, *, pk: int, open_only: bool = False) -> SupervisedCase:
    """A case the user may manage (move the stage, name the supervisor, close: the holder and
    the unit's managers); 404 for everyone else, and for a closed case when `open_only`."""
    case = get_case_for(user, pk=pk)
    if not permissions.case_access(user, case).can_manage or (open_only and not case.is_open):
        raise Http404
    return case


def get_case_to_review(user: User, *, pk: int) -> SupervisedCase:
    """An open case the user may review (supervisor, the holder's mentor, a unit manager, never
    the holder); 404 otherwise."""
    case = get_case_for(user, pk=pk)
    if not permissions.case_access(user, case).can_review or not case.is_open:
        raise Http404
    return case


@dataclass
class CaseDetail:
    case: SupervisedCase
    access: permissions.CaseAccess
    reviews: list[CaseReview]
    decisions: list[EntrustmentDecision]
    level: int | None
    guardrail: Guardrail
    qualified: bool
    # Reviews this user may still change: their own, unsigned, while the case is open.
    editable_review_ids: frozenset[int] = frozenset()
    # Reviews from which this user may decide the holder's level (the same rule as
    # `permissions.may_decide_entrustment`, from what is already loaded).
    decidable_review_ids: frozenset[int] = frozenset()

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def is_past_decision(self) -> bool:
        return is_past_decision(self.case.stage)


def case_detail_for(user: User, *, case: SupervisedCase, today: datetime.date) -> CaseDetail:
    """Everything the case page shows, in a fixed number of queries: the reviews, the holder's
    decisions for the case type (the current level is computed from them), and what the user
    may do."""
    access = permissions.case_access(user, case)
    reviews = list(
        case.reviews.select_related("supervisor").order_by("-date", "-created_at", "-pk")
    )
    decisions = list(
        EntrustmentDecision.objects.filter(person_id=case.holder_id, case_type_id=case.case_type_id)
        .select_related("decided_by")
        .order_by("-decided_on", "-created_at", "-pk")
    )
    level = latest_valid_level(decisions, today=today)
    signed = any(r.is_signed and r.is_at_decision for r in reviews)
    qualified = access.can_review and (
        access.is_mentor
        or access.is_manager
        or permissions.is_qualified_for(
            user, person=case.holder, case_type=case.case_type, today=today
        )
    )
    return CaseDetail(
        case=case,
        access=access,
        reviews=reviews,
        decisions=decisions,
        level=level,
        guardrail=guardrail_for(case, level=level, has_signed_decision_review=signed),
        qualified=qualified,
        editable_review_ids=frozenset(
            r.pk
            for r in reviews
            if case.is_open and not r.is_signed and permissions.may_edit_review(user, r)
        ),
        decidable_review_ids=frozenset(
            r.pk
            for r in reviews
            if access.can_review
            and (qualified or access.is_supervisor or r.supervisor_id == user.pk)
        ),
    )


def get_review_for(user: User, *, pk: int) -> CaseReview:
    """A review of a case the user may read; 404 otherwise."""
    review = (
        CaseReview.objects.filter(pk=pk, case__in=visible_cases(user))
        .select_related(
            "case__case_type", "case__holder", "case__supervisor", "case__unit", "supervisor"
        )
        .first()
    )
    if review is None:
        raise Http404
    return review


def get_review_to_edit(user: User, *, pk: int) -> CaseReview:
    """A review the user wrote as supervisor; 404 for anyone else. (A signed review refuses
    the change itself, with a message.)"""
    review = get_review_for(user, pk=pk)
    if not permissions.may_edit_review(user, review):
        raise Http404
    return review


def get_review_to_decide(user: User, *, pk: int, today: datetime.date) -> CaseReview:
    """A review from which the user may decide the holder's entrustment level
    (`permissions.may_decide_entrustment`); 404 otherwise."""
    review = get_review_for(user, pk=pk)
    case = review.case
    if not permissions.may_decide_entrustment(
        user, person=case.holder, case_type=case.case_type, reviews=[review], today=today
    ):
        raise Http404
    return review


def holder_units_for(user: User) -> QuerySet[Unit]:
    """Units where the user may register a case of their own; 404 for anyone with none."""
    unit_ids = permissions.holder_unit_ids(user)
    if not unit_ids:
        raise Http404
    return Unit.objects.filter(pk__in=unit_ids).select_related("organisation")


def case_types_for(organisation_ids: Iterable[int]) -> QuerySet[CaseType]:
    """The active case types a case may be registered under."""
    return CaseType.objects.filter(organisation_id__in=list(organisation_ids), is_active=True)


def supervisor_choices(organisation_ids: Iterable[int], *, exclude: User) -> QuerySet[User]:
    """Who may be named supervisor: experienced staff and managers of the municipality."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=list(organisation_ids),
            memberships__role__in=permissions.SUPERVISOR_ROLES,
        )
        .exclude(pk=exclude.pk)
        .distinct()
        .order_by("full_name")
    )


def is_supervisor_candidate(user: User, *, organisation_id: int) -> bool:
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role__in=permissions.SUPERVISOR_ROLES
    ).exists()


def cases_nav_for(user: User) -> dict:
    """Links the mentoring start page offers for cases."""
    return {
        "can_open_case": bool(permissions.holder_unit_ids(user)),
        "has_cases": visible_cases(user).exists(),
    }
