"""Reads for people pages, scoped to the requesting user."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core.models import OutboxMessage
from people import permissions, personal_data
from people.models import ANONYMISED_EMAIL_DOMAIN, Membership, StaffStatus, Unit, User
from people.tasks import invitation_email


def staff_for_admin(user: User) -> QuerySet[Membership]:
    """Memberships in the municipalities the user administers; 404 for anyone else."""
    organisation_ids = permissions.administered_organisation_ids(user)
    if not organisation_ids:
        raise Http404
    anonymisable = personal_data.departed_candidates(user).filter(pk=OuterRef("user_id"))
    return (
        Membership.objects.filter(organisation_id__in=organisation_ids)
        .annotate(anonymisable=Exists(anonymisable))
        .select_related("user", "unit", "organisation")
        .order_by("organisation__name", "unit__name", "user__full_name")
    )


# An unusable password (set_unusable_password) starts with this: an invited person who has
# not yet chosen one, or an anonymised account.
_UNUSABLE_PASSWORD = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
_ANONYMISED = Q(email__endswith=ANONYMISED_EMAIL_DOMAIN)
STATUS_FILTERS = {
    StaffStatus.ACTIVE: Q(is_active=True) & ~_UNUSABLE_PASSWORD,
    StaffStatus.INVITED: Q(is_active=True) & _UNUSABLE_PASSWORD,
    StaffStatus.DEACTIVATED: Q(is_active=False) & ~_ANONYMISED,
    StaffStatus.ANONYMISED: _ANONYMISED,
}


def staff_list_for(
    user: User,
    *,
    query: str = "",
    unit: Unit | None = None,
    role: str = "",
    status: str = "",
) -> QuerySet[User]:
    """The municipality's staff (Personal), one row per person whatever their number of
    memberships, filtered by name or email, unit, role and account status. Each person carries
    `staff_memberships` (in the admin's municipalities only) and `manageable` (within the
    admin's reach, so the row offers actions). Three queries whatever the size: the count,
    the page, the memberships. 404 for anyone but municipal admins."""
    organisation_ids = permissions.administered_organisation_ids(user)
    if not organisation_ids:
        raise Http404
    in_municipality = Membership.objects.filter(
        user=OuterRef("pk"), organisation_id__in=organisation_ids
    )
    people = User.objects.filter(Exists(in_municipality))
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    if unit is not None:
        people = people.filter(Exists(in_municipality.filter(unit=unit)))
    if role:
        people = people.filter(Exists(in_municipality.filter(role=role)))
    if status in STATUS_FILTERS:
        people = people.filter(STATUS_FILTERS[status])
    memberships = (
        Membership.objects.filter(organisation_id__in=organisation_ids)
        .select_related("unit", "organisation")
        .order_by("unit__name", "role")
    )
    reach = permissions.people_within_reach(user).filter(pk=OuterRef("pk"))
    return (
        people.annotate(manageable=Exists(reach))
        .prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="staff_memberships")
        )
        .order_by("full_name", "email", "pk")
    )


def person_for_admin(user: User, *, user_id: int) -> User:
    """A person the admin may act on (permissions.people_within_reach); 404 otherwise, whether
    the person exists or not."""
    return get_object_or_404(permissions.people_within_reach(user), pk=user_id)


def memberships_of(user: User, *, person: User) -> QuerySet[Membership]:
    """The person's memberships in the admin's municipalities."""
    return (
        Membership.objects.filter(
            user=person, organisation_id__in=permissions.administered_organisation_ids(user)
        )
        .select_related("unit", "organisation")
        .order_by("unit__name", "role")
    )


def membership_for_admin(user: User, *, person: User, membership_id: int) -> Membership:
    return get_object_or_404(memberships_of(user, person=person), pk=membership_id)


def units_for_admin(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(
        organisation_id__in=permissions.administered_organisation_ids(user)
    ).select_related("organisation")


# --------------------------------------------------------------------------------------------
# Failed deliveries (utskick som inte kom fram), for the municipal admin
# --------------------------------------------------------------------------------------------
# What each outbox handler sends, in the admin's words; every registered handler has a label
# (tests/core/test_outbox.py). Names only: people sits below the apps that own them.
DELIVERY_KINDS = {
    "people.tasks.invitation_email": _("Inbjudan"),
    "people.tasks.existing_account_email": _("Besked om försök till inbjudan"),
    "people.accessibility.services.accessibility_report_email": _("Tillgänglighetsrapport"),
    "learning.tasks.onboarding_plan": _("Introduktionsplan"),
    "learning.tasks.run_email": _("Besked om kursomgång"),
    "learning.tasks.reminder_email": _("Påminnelse om kurs eller veckosammanfattning"),
    "mentoring.tasks.proposal_email": _("Förslag på mentorskap"),
    "mentoring.tasks.checkin_reminder_email": _("Påminnelse om samtal"),
    "mentoring.tasks.case_alert_email": _("Varning om ärende"),
    "mentoring.tasks.caseload_warning_email": _("Varning om ärendebelastning"),
    "safety.tasks.check_told_email": _("Besked om säkerhetsbedömning"),
    "safety.tasks.incident_told_email": _("Besked om händelse (hot eller våld)"),
    "safety.tasks.incident_reminder_email": _("Påminnelse om stöd efter händelse"),
    "pulse.tasks.invitation_email": _("Inbjudan till pulsenkät"),
    "learning.tasks.run_message_email": _("Meddelande till deltagare i kursomgång"),
    "mentoring.tasks.mentorship_notice_email": _("Besked om mentorskap"),
    "sso.tasks.directory_refusal_email": _("Besked om stoppad avaktivering från katalogen"),
    "team.tasks.handover_email": _("Besked om överlämnat arbete"),
    "people.tasks.account_email": _("Besked om kontot (lösenord, e-postadress, inloggning)"),
    "learning.tallies.recount_course": _("Omräkning av Mitt teams siffror för en kurs"),
    "learning.tallies.recount_enrolments": _("Omräkning av Mitt teams siffror (en del av en kurs)"),
    "core.tasks.renew_cache_version": _("Förnyade kursupplägg och länkar efter avbrott"),
}
INVITATION_HANDLER = invitation_email.outbox_name


@dataclass(frozen=True)
class FailedDelivery:
    pk: int
    kind: str
    recipient: User | None
    created_at: datetime.datetime
    attempts: int
    last_error: str
    can_resend: bool


def _failed_deliveries(user: User, *, resent: bool = False) -> QuerySet[OutboxMessage]:
    """Failed rows addressed to staff of the municipalities the user administers (a row about
    another municipality's person never shows), without those sent again unless `resent`;
    404 for anyone but municipal admins."""
    organisation_ids = permissions.administered_organisation_ids(user)
    if not organisation_ids:
        raise Http404
    staff = Membership.objects.filter(organisation_id__in=organisation_ids).values("user_id")
    rows = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED, recipient_id__in=staff)
    return rows if resent else rows.filter(replaced_by__isnull=True)


def failed_delivery_count(user: User) -> int:
    return _failed_deliveries(user).count()


def failed_deliveries_for(user: User, *, limit: int = 200) -> list[FailedDelivery]:
    """The latest failed deliveries to the admin's staff, newest first; two queries."""
    rows = list(_failed_deliveries(user).order_by("-created_at", "-pk")[:limit])
    people = User.objects.in_bulk({row.recipient_id for row in rows})
    result = []
    for row in rows:
        person = people.get(row.recipient_id)
        result.append(
            FailedDelivery(
                pk=row.pk,
                kind=str(DELIVERY_KINDS.get(row.handler, row.handler)),
                recipient=person,
                created_at=row.created_at,
                attempts=row.attempts,
                last_error=row.last_error,
                can_resend=(
                    row.handler == INVITATION_HANDLER
                    and person is not None
                    and person.is_active
                    and not person.has_usable_password()
                ),
            )
        )
    return result


def failed_invitation_for(user: User, *, pk: int) -> OutboxMessage:
    """A failed invitation to the admin's staff (sent again or not, so a second click gets an
    answer); 404 whether missing or someone else's."""
    rows = _failed_deliveries(user, resent=True).filter(handler=INVITATION_HANDLER)
    return get_object_or_404(rows, pk=pk)
