"""The pulse survey (pulsenkät): three questions, 1–5 and an optional comment, sent to new hires
at 1, 3, 6 and 12 months after their start date and to everyone in the units each quarter.

Anonymity is built into the tables. While a round (omgång) is open, an invitation records that
its person has answered (so nobody answers twice), and an answer points to its round only.
When the round closes, both links go: the invitations forget that anyone answered and the
answers forget their round. What is left of an answer is the municipality, the unit and the
quarter (never the milestone, which with the unit and the start dates would name the new
hire), its scores and its comment. Answers have random keys and no timestamps, so their order
says nothing either. Figures are shown only after close and only through core.disclosure.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import format_date, format_quarter, quarter_of
from people.models import Organisation, Unit
from people.validators import validate_no_identity_number

# Months after the start date at which a new hire is asked (issue 21).
MILESTONE_MONTHS = (1, 3, 6, 12)
SCALE = (1, 5)


class Question(models.TextChoices):
    """The three questions; the value is the answer's field name."""

    WORKLOAD = "workload", _("Min arbetsbelastning är hanterbar.")
    SUPPORT = "support", _("Jag får det stöd jag behöver från min mentor och min chef.")
    STAY = "stay", _("Jag tror att jag arbetar kvar här om 12 månader.")


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of the day's quarter: a pulse's answers count in the quarter it opened."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class PulseRound(models.Model):
    """A round of the pulse in one municipality: the quarterly one for everyone in the units,
    or the day's one for the new hires who reach a milestone that day."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("Nyanställda (1, 3, 6 och 12 månader)")
        QUARTERLY = "quarterly", _("Kvartalsvis för alla i enheterna")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="pulse_rounds",
        verbose_name=_("kommun"),
    )
    kind = models.CharField(_("slag"), max_length=16, choices=Kind.choices)
    opens_on = models.DateField(_("öppnar"))
    closes_on = models.DateField(_("stänger"))
    period_start = models.DateField(_("kvartal"))
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)

    class Meta:
        verbose_name = _("pulsomgång")
        verbose_name_plural = _("pulsomgångar")
        ordering = ["-opens_on", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period_start"],
                condition=Q(kind="quarterly"),
                name="pulse_one_quarterly_round",
                violation_error_message=_("Kommunen har redan en kvartalsomgång det kvartalet."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "opens_on"],
                condition=Q(kind="milestone"),
                name="pulse_one_milestone_round_a_day",
                violation_error_message=_(
                    "Kommunen har redan en omgång för nyanställda den dagen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gt=models.F("opens_on")),
                name="pulse_closes_after_opening",
                violation_error_message=_("En omgång stänger efter den dag den öppnar."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.get_kind_display()} {format_date(self.opens_on)}"

    @property
    def last_day(self) -> datetime.date:
        """The last day answers are taken (the round closes the day after)."""
        return self.closes_on - datetime.timedelta(days=1)

    def is_open_on(self, day: datetime.date) -> bool:
        return self.closed_at is None and self.opens_on <= day < self.closes_on


class PulseInvitation(models.Model):
    """One person asked in one round. `answered_at` exists only while the round is open."""

    round = models.ForeignKey(
        PulseRound, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("omgång")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pulse_invitations",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet"),
    )
    months = models.PositiveSmallIntegerField(
        _("månader efter start"),
        null=True,
        blank=True,
        choices=[(m, m) for m in MILESTONE_MONTHS],
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    answered_at = models.DateTimeField(_("svarat"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbjudan till pulsenkät")
        verbose_name_plural = _("inbjudningar till pulsenkät")
        ordering = ["-round__opens_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"], name="pulse_one_invitation_a_round"
            ),
            # A milestone is asked once, whether or not it was answered.
            models.UniqueConstraint(
                fields=["person", "months"],
                condition=Q(months__isnull=False),
                name="pulse_milestone_once",
                violation_error_message=_(
                    "Personen har redan fått pulsenkäten för den tidpunkten."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.round}"


class PulseAnswerQuerySet(models.QuerySet):
    def released(self):
        """Answers of closed rounds: the only ones any figure is made from (a count that moves
        while a round is open would show what the last person answered)."""
        return self.filter(round__isnull=True)


SCORE_VALIDATORS = [MinValueValidator(SCALE[0]), MaxValueValidator(SCALE[1])]


class PulseAnswer(models.Model):
    """One answer, with no person: see the module docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("kommun")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet"),
    )
    period_start = models.DateField(_("kvartal"))
    round = models.ForeignKey(
        PulseRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("omgång (tills den stänger)"),
    )
    workload = models.PositiveSmallIntegerField(
        Question.WORKLOAD.label, validators=SCORE_VALIDATORS
    )
    support = models.PositiveSmallIntegerField(Question.SUPPORT.label, validators=SCORE_VALIDATORS)
    stay = models.PositiveSmallIntegerField(Question.STAY.label, validators=SCORE_VALIDATORS)
    comment = models.TextField(
        _("kommentar"), max_length=2000, blank=True, validators=[validate_no_identity_number]
    )

    objects = PulseAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("svar på pulsenkät")
        verbose_name_plural = _("svar på pulsenkät")
        indexes = [models.Index(fields=["organisation", "period_start"], name="pulse_answer_org_q")]
        constraints = [
            models.CheckConstraint(
                condition=Q(workload__gte=1, workload__lte=5)
                & Q(support__gte=1, support__lte=5)
                & Q(stay__gte=1, stay__lte=5),
                name="pulse_scores_one_to_five",
                violation_error_message=_("Välj ett svar mellan 1 och 5."),
            )
        ]

    def __str__(self):
        return f"{self.organisation} {format_quarter(*quarter_of(self.period_start))}"
