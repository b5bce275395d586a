"""Team's emails (outbox handlers): telling the person who takes over a leaver's work."""

from django.conf import settings
from django.urls import reverse

from core import outbox
from mentoring.models import Mentorship, SupervisedCase
from people.emails import build_email
from people.models import User

# What was handed over, as the outbox row names it.
CASE_HELD = "case_held"
CASE_SUPERVISED = "case_supervised"
NEW_MENTOR = "new_mentor"
NEW_MENTOR_TO_MENTEE = "new_mentor_to_mentee"
HANDOVER_KINDS = (CASE_HELD, CASE_SUPERVISED, NEW_MENTOR, NEW_MENTOR_TO_MENTEE)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@outbox.handler
def handover_email(what: str, object_id: int, to_id: int, leaver_id: int, actor_id: int | None):
    """Tell the person who took over a leaver's case, supervision or mentee (and the mentee
    who got a new mentor): what, after whom, handed over by whom. The case is named by the
    municipality's pseudonymous reference only: no client data."""
    to = User.objects.filter(pk=to_id, is_active=True).first()
    if to is None or what not in HANDOVER_KINDS:
        return None
    context = {
        "recipient": to,
        "what": what,
        "leaver": User.objects.filter(pk=leaver_id).first(),
        "actor": User.objects.filter(pk=actor_id).first() if actor_id else None,
        "is_case": what in (CASE_HELD, CASE_SUPERVISED),
        "is_supervision": what == CASE_SUPERVISED,
        "to_mentee": what == NEW_MENTOR_TO_MENTEE,
    }
    if context["is_case"]:
        case = (
            SupervisedCase.objects.filter(pk=object_id)
            .select_related("case_type", "holder")
            .first()
        )
        if case is None:
            return None
        context.update(case=case, url=_absolute(reverse("mentoring:case", args=[case.pk])))
    else:
        mentorship = (
            Mentorship.objects.filter(pk=object_id).select_related("mentor", "mentee").first()
        )
        if mentorship is None:
            return None
        url = _absolute(reverse("mentoring:mentorship", args=[mentorship.pk]))
        context.update(mentorship=mentorship, url=url)
    return build_email("team/email/handover", to=to, context=context)
