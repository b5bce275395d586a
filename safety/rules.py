"""The one rule that turns a safety check's answers into a recommendation.

Each answer that signals risk raises the recommendation to at least its own level; the
strictest level wins and every reason is shown. The levels follow the employer's duties in
AFS 2023:2 (no lone work where the risk is clear; the manager decides when the risk is serious)
and the routine the introduction's module teaches.

| signal                                                        | at least            |
|---------------------------------------------------------------|---------------------|
| weapons: yes                                                  | talk to the manager |
| known threats and earlier incidents, both yes                 | talk to the manager |
| known threats or earlier incidents, and a decision to deliver | talk to the manager |
| known threats or earlier incidents: yes                       | meet at the office* |
| threats, weapons or earlier incidents: don't know             | two together        |
| animals that may hurt (outside the office): yes               | two together        |
| a decision to be communicated                                 | two together        |
| nobody knows where you are                                    | two together        |
| nothing of the above                                          | go as planned       |

* a meeting already planned at the office is held there two together.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from safety.models import SEVERITY, Answer, Location, Recommendation, WhoKnows

REASON_WEAPONS = _("Det finns uppgifter om vapen.")
REASON_THREATS_AND_INCIDENTS = _("Det finns kända hot och det har förekommit hot eller våld förut.")
REASON_RISK_AND_DECISION = _("Ett beslut ska delges någon som har hotat eller varit våldsam förut.")
REASON_THREATS = _("Det finns kända hot mot personal.")
REASON_INCIDENTS = _("Det har förekommit hot eller våld tidigare.")
REASON_UNKNOWN = _("Du vet inte om det finns hot, vapen eller tidigare händelser.")
REASON_ANIMALS = _("Det kan finnas djur på platsen som kan skada.")
REASON_DECISION = _("Ett beslut ska delges. Beslut kan väcka starka reaktioner.")
REASON_NOBODY_KNOWS = _("Ingen vet var du är.")

ADVICE = {
    Recommendation.AS_PLANNED: _(
        "Inget i svaren talar för förhöjd risk. Gå som planerat och följ enhetens rutin, "
        "till exempel om att alltid vara två vid hembesök. Se till att en kollega vet var du "
        "är och när du ska vara tillbaka."
    ),
    Recommendation.TWO_TOGETHER: _(
        "Gå inte ensam. Bestäm i förväg vem som leder samtalet, var ni sitter och hur ni "
        "avbryter mötet om det blir hotfullt. Ha telefon och larm tillgängliga och kom överens "
        "med en kollega om när ni hör av er efteråt."
    ),
    Recommendation.AT_OFFICE: _(
        "Flytta mötet till ett besöksrum på kontoret, med larm och fri väg ut, och var två. "
        "Om mötet redan är på kontoret: var två och berätta för receptionen vem ni väntar."
    ),
    Recommendation.MANAGER_FIRST: _(
        "Genomför inte mötet förrän du har pratat med din chef. Chefen tar ställning till "
        "hur mötet ska gå till, till exempel om det ska hållas på kontoret med fler personer, "
        "om beslutet ska delges på annat sätt eller om polisen ska kontaktas."
    ),
}


@dataclass(frozen=True)
class Assessment:
    recommendation: Recommendation
    reasons: tuple  # lazy translations: shown in the reader's language

    @property
    def advice(self):
        return ADVICE[self.recommendation]


def assess(
    *,
    location: str,
    known_threats: str,
    weapons: str,
    animals: str,
    earlier_incidents: str,
    decision_to_communicate: bool,
    who_knows: str,
) -> Assessment:
    """The recommendation for one set of answers (the table in this module's docstring)."""
    at_office = location == Location.OFFICE
    move_or_pair = Recommendation.TWO_TOGETHER if at_office else Recommendation.AT_OFFICE
    threats, incidents = known_threats == Answer.YES, earlier_incidents == Answer.YES
    signals = [
        (weapons == Answer.YES, Recommendation.MANAGER_FIRST, REASON_WEAPONS),
        (threats and incidents, Recommendation.MANAGER_FIRST, REASON_THREATS_AND_INCIDENTS),
        (
            (threats or incidents) and decision_to_communicate,
            Recommendation.MANAGER_FIRST,
            REASON_RISK_AND_DECISION,
        ),
        (threats and not incidents, move_or_pair, REASON_THREATS),
        (incidents and not threats, move_or_pair, REASON_INCIDENTS),
        (
            Answer.UNKNOWN in (known_threats, weapons, earlier_incidents),
            Recommendation.TWO_TOGETHER,
            REASON_UNKNOWN,
        ),
        (
            not at_office and animals == Answer.YES,
            Recommendation.TWO_TOGETHER,
            REASON_ANIMALS,
        ),
        (
            decision_to_communicate and not (threats or incidents),
            Recommendation.TWO_TOGETHER,
            REASON_DECISION,
        ),
        (who_knows == WhoKnows.NOBODY, Recommendation.TWO_TOGETHER, REASON_NOBODY_KNOWS),
    ]
    raised = [(level, reason) for applies, level, reason in signals if applies]
    if not raised:
        return Assessment(Recommendation.AS_PLANNED, ())
    strictest = max((level for level, _reason in raised), key=SEVERITY.__getitem__)
    return Assessment(Recommendation(strictest), tuple(reason for _level, reason in raised))


def assessment_of(check) -> Assessment:
    """The rule applied again to a saved check's answers, for its reasons and advice."""
    return assess(
        location=check.location,
        known_threats=check.known_threats,
        weapons=check.weapons,
        animals=check.animals,
        earlier_incidents=check.earlier_incidents,
        decision_to_communicate=check.decision_to_communicate,
        who_knows=check.who_knows,
    )
