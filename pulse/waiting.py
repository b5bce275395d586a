"""The pulse's part of "Väntar på mig" (people.waiting): a round the person may answer now,
with its last day, on every landing page that shows the block (it was a card of its own on
"Min introduktion" only). pulse sits above people, so it registers like the other apps."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from people import waiting
from people.models import UNIT_ROLES
from pulse import selectors
from pulse.models import PulseRound

ANSWER = _("Svara på pulsenkäten")
ANSWER_BY = _("Tre korta frågor, anonymt. Svara senast %(day)s.")


def pulse_parts(context) -> list[waiting.Part]:
    """The person's own invitations to open rounds not yet answered (selectors.
    open_invitations, in the block's one query): nobody else's, and none once answered or
    closed."""
    invitations = selectors.open_invitations(context.user, today=context.today)
    return [
        waiting.Part(
            invitations,
            kind="pulse",
            columns={"id": "pk", "text": "token", "day": "round__closes_on"},
        )
    ]


def pulse_items(rows, context) -> list[waiting.WaitingItem]:
    items = []
    for row in sorted(rows, key=lambda row: (row["w_day"], row["w_id"])):
        last_day = PulseRound(closes_on=row["w_day"]).last_day
        items.append(
            waiting.WaitingItem(
                title=str(ANSWER),
                url=reverse("pulse:answer", args=[row["w_text"]]),
                detail=str(ANSWER_BY % {"day": format_date(last_day)}),
                day=last_day,
            )
        )
    return items


def register() -> None:
    waiting.register(
        waiting.Provider(
            "pulse.answer",
            _("Pulsenkät: hur har du det på jobbet?"),
            parts=pulse_parts,
            render=pulse_items,
            order=70,
            roles=frozenset(UNIT_ROLES),
        )
    )
