"""Supervised cases (ärenden) and what supervision records about them: case types with risk
levels, reviews (ärendegenomgångar) with the child-perspective checklist, entrustment decisions
(anförtroendenivå) and the alerts that were sent.

No client data: a case is known by the municipality's own pseudonymous reference, and every
free-text field is checked for personal identity numbers.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from mentoring.models.mentorship import Specialisation
from people.validators import validate_no_identity_number

# Messages for the constraints below, so a form that trips one says what to change.
CLOSED_BEFORE_OPENED_ON = _("Avslutsdatumet kan inte ligga före ärendets startdatum.")
CLOSED_NEEDS_DATE = _(
    "Ett avslutat ärende behöver ett avslutsdatum, och bara ett avslutat ärende kan ha ett."
)
SUPERVISOR_IS_HOLDER = _("Handläggaren kan inte vara handledare i sitt eget ärende.")
SIGNED_ONLY_AT_DECISION = _("En genomgång signeras i beslutsskedet.")
LEVEL_OUT_OF_RANGE = _("Välj en anförtroendenivå från 1 till 5.")
VALID_UNTIL_BEFORE_DECIDED = _("”Giltigt till” kan inte ligga före beslutsdatumet.")
DECISION_ABOUT_ONESELF = _("Du kan inte besluta om din egen anförtroendenivå.")


REVIEW_SIGNED = _(
    "En signerad genomgång kan inte ändras. Gör en ny genomgång om något behöver rättas."
)
DECISIONS_APPEND_ONLY = _(
    "Ett beslut om anförtroendenivå kan inte ändras eller tas bort. Fatta ett nytt beslut."
)
REFERENCE_TAKEN = _("Referensen används redan i kommunen. Välj en annan.")
UNKNOWN_CASE_TYPE = _("Välj en ärendetyp ur listan.")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Låg")
    MEDIUM = "medium", _("Medel")
    HIGH = "high", _("Hög")
    CRITICAL = "critical", _("Kritisk")


# Case types where a person below "acts independently" must not pass the decision alone.
HIGH_RISK_LEVELS = (RiskLevel.HIGH, RiskLevel.CRITICAL)


class EntrustmentLevel(models.IntegerChoices):
    OBSERVES = 1, _("1 – Observerar")
    DIRECT_SUPERVISION = 2, _("2 – Agerar under direkt handledning")
    INDIRECT_SUPERVISION = 3, _("3 – Agerar under indirekt handledning")
    INDEPENDENT = 4, _("4 – Arbetar självständigt")
    SUPERVISES = 5, _("5 – Kan handleda andra")


class CaseStage(models.TextChoices):
    PLANNING = "planning", _("Planering")
    INVESTIGATION = "investigation", _("Utredning")
    DECISION = "decision", _("Beslut")
    FOLLOW_UP = "follow_up", _("Uppföljning")
    CLOSED = "closed", _("Avslutat")


STAGE_ORDER = {stage: index for index, stage in enumerate(CaseStage.values)}


def is_past_decision(stage: str) -> bool:
    return STAGE_ORDER[stage] > STAGE_ORDER[CaseStage.DECISION]


class CheckAnswer(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nej")
    NOT_APPLICABLE = "na", _("Ej aktuellt")


# The case types the demo and new municipalities start with (seed_mentoring), marked for
# translation so that their names read in the reader's language (CaseType.__str__).
STANDARD_CASE_TYPES = (
    gettext_noop("Förhandsbedömning"),
    gettext_noop("Barnavårdsutredning"),
    gettext_noop("Placering i familjehem/HVB"),
    gettext_noop("Ansökan om vård enligt LVU"),
    gettext_noop("Omedelbart omhändertagande enligt 6 § LVU"),
    gettext_noop("Riskbedömning vid hedersrelaterat våld"),
)


class CaseType(models.Model):
    """A kind of case (ärendetyp) in one municipality, with the risk level that decides how
    much supervision a practitioner needs before deciding alone."""

    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="case_types",
        verbose_name=_("kommun"),
    )
    name = models.CharField(_("namn"), max_length=120, validators=[validate_no_identity_number])
    risk_level = models.CharField(_("risknivå"), max_length=16, choices=RiskLevel.choices)
    honour_related = models.BooleanField(
        _("hedersrelaterat"),
        default=False,
        help_text=_(
            "Genomgångar av ärenden av den här typen frågar efter den särskilda "
            "riskbedömningen vid hedersrelaterat våld och förtryck."
        ),
    )
    specialisation = models.ForeignKey(
        Specialisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_types",
        verbose_name=_("inriktning"),
    )
    is_active = models.BooleanField(
        _("används"),
        default=True,
        help_text=_("Ta bort bocken i stället för att radera: gamla ärenden behåller typen."),
    )

    class Meta:
        verbose_name = _("ärendetyp")
        verbose_name_plural = _("ärendetyper")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="casetype_unique_name_per_organisation"
            )
        ]

    def __str__(self):
        return self.label_of(self.name)

    @staticmethod
    def label_of(name: str) -> str:
        """A type's name as people read it, for lists read as values (Mitt team's alerts)."""
        # The standard case types (STANDARD_CASE_TYPES) read in the reader's language; a type
        # a municipality named itself is shown as typed.
        return gettext(name)

    @property
    def is_high_risk(self) -> bool:
        return self.risk_level in HIGH_RISK_LEVELS


class SupervisedCase(models.Model):
    """A case (ärende) a practitioner handles under supervision, known by the municipality's own
    pseudonymous reference only: never a client's name or personal identity number."""

    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="supervised_cases",
        verbose_name=_("kommun"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        related_name="supervised_cases",
        verbose_name=_("enhet"),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supervised_cases",
        verbose_name=_("handläggare"),
    )
    reference = models.CharField(
        _("ärendereferens"),
        max_length=40,
        validators=[validate_no_identity_number],
        help_text=_("Kommunens egen pseudonyma kod för ärendet. Aldrig namn eller personnummer."),
    )
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="cases", verbose_name=_("ärendetyp")
    )
    stage = models.CharField(
        _("skede"), max_length=16, choices=CaseStage.choices, default=CaseStage.PLANNING
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_as_supervisor",
        verbose_name=_("namngiven handledare"),
    )
    opened_on = models.DateField(_("startdatum"))
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    # Kept when the case first moves past the decision stage, so supervision coverage reads
    # the holder's level as it was then, not as it is after later decisions.
    passed_decision_on = models.DateField(_("passerade beslut"), null=True, blank=True)
    holder_level_at_decision = models.PositiveSmallIntegerField(
        _("handläggarens nivå vid beslut"),
        null=True,
        blank=True,
        choices=EntrustmentLevel.choices,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerat av"),
    )
    created_at = models.DateTimeField(_("registrerat"), default=timezone.now)

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("reference"),
                "organisation",
                name="case_unique_reference_per_organisation",
                violation_error_message=REFERENCE_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="case_closed_after_opened",
                violation_error_message=CLOSED_BEFORE_OPENED_ON,
            ),
            models.CheckConstraint(
                condition=Q(stage="closed", closed_on__isnull=False)
                | (~Q(stage="closed") & Q(closed_on__isnull=True)),
                name="case_closed_stage_has_date",
                violation_error_message=CLOSED_NEEDS_DATE,
            ),
            models.CheckConstraint(
                condition=~Q(supervisor=F("holder")),
                name="case_supervisor_not_holder",
                violation_error_message=SUPERVISOR_IS_HOLDER,
            ),
        ]
        indexes = [models.Index(fields=["unit", "stage"], name="case_unit_stage")]

    def __str__(self):
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("mentoring:case", args=[self.pk])

    def clean(self):
        if (
            self.case_type_id
            and self.organisation_id
            and self.case_type.organisation_id != self.organisation_id
        ):
            raise ValidationError({"case_type": UNKNOWN_CASE_TYPE})
        if self.supervisor_id and self.supervisor_id == self.holder_id:
            raise ValidationError({"supervisor": _("Du kan inte vara din egen handledare.")})

    @property
    def is_open(self) -> bool:
        return self.stage != CaseStage.CLOSED

    @property
    def is_at_decision(self) -> bool:
        return self.stage == CaseStage.DECISION


class CaseReview(models.Model):
    """A supervision review of a case (ärendegenomgång): what the supervisor observed (evidence
    for the entrustment level, not a decision) and, in the decision stage, their sign-off.

    A signed review is final; a correction is a new review. The child-perspective checklist
    (barnperspektivet) records only yes / no / not applicable, never what the child said.
    """

    case = models.ForeignKey(
        SupervisedCase, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("ärende")
    )
    date = models.DateField(_("datum"))
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_reviews",
        verbose_name=_("handledare"),
    )
    stage = models.CharField(_("skede"), max_length=16, choices=CaseStage.choices)
    observed_level = models.PositiveSmallIntegerField(
        _("observerad anförtroendenivå"),
        choices=EntrustmentLevel.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    notes = models.TextField(
        _("anteckningar"), blank=True, validators=[validate_no_identity_number]
    )
    child_spoken_alone = models.CharField(
        _("barnet har fått tala enskilt"), max_length=3, choices=CheckAnswer.choices
    )
    child_view_documented = models.CharField(
        _("barnets egen syn är dokumenterad"), max_length=3, choices=CheckAnswer.choices
    )
    risk_assessment_made = models.CharField(
        _("riskbedömning är gjord"), max_length=3, choices=CheckAnswer.choices
    )
    honour_risk_assessment_made = models.CharField(
        _("särskild riskbedömning vid hedersrelaterat våld är gjord"),
        max_length=3,
        choices=CheckAnswer.choices,
        default=CheckAnswer.NOT_APPLICABLE,
    )
    signed_at = models.DateTimeField(_("signerad"), null=True, blank=True)
    created_at = models.DateTimeField(_("registrerad"), default=timezone.now)

    class Meta:
        verbose_name = _("ärendegenomgång")
        verbose_name_plural = _("ärendegenomgångar")
        ordering = ["-date", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(stage="decision"),
                name="review_signed_only_at_decision",
                violation_error_message=SIGNED_ONLY_AT_DECISION,
            ),
            models.CheckConstraint(
                condition=Q(observed_level__gte=1) & Q(observed_level__lte=5),
                name="review_observed_level_range",
                violation_error_message=LEVEL_OUT_OF_RANGE,
            ),
        ]
        indexes = [
            # "Last review per case" (case alerts on Mitt team, the daily alert job) is read
            # from this index alone instead of scanning every review (benchmarks/README.md).
            models.Index(fields=["case", "date"], name="review_case_date"),
        ]

    def __str__(self):
        return f"{self.case} {format_date(self.date)}"

    def save(self, *args, **kwargs):
        self._refuse_if_signed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_signed()
        return super().delete(*args, **kwargs)

    def _refuse_if_signed(self) -> None:
        # The database row, not this instance, says whether the review was already signed:
        # a stale instance must not overwrite a sign-off.
        if (
            self.pk is not None
            and CaseReview.objects.filter(pk=self.pk, signed_at__isnull=False).exists()
        ):
            raise ValidationError(REVIEW_SIGNED, code="signed")

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_at_decision(self) -> bool:
        return self.stage == CaseStage.DECISION


class EntrustmentDecisionQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Decisions already taken and not expired on the day."""
        return self.filter(decided_on__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class EntrustmentDecision(models.Model):
    """A decision on a person's entrustment level (anförtroendenivå) for a case type. Append-only:
    a change is a new decision, and the current level is the latest one still valid. The reviews
    it rests on are the evidence; the guardrail reads decisions only."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="entrustment_decisions",
        verbose_name=_("person"),
    )
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("ärendetyp")
    )
    level = models.PositiveSmallIntegerField(
        _("anförtroendenivå"),
        choices=EntrustmentLevel.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beslutat av"),
    )
    decided_on = models.DateField(_("beslutsdatum"))
    valid_until = models.DateField(_("giltigt till"), null=True, blank=True)
    reviews = models.ManyToManyField(
        CaseReview, blank=True, related_name="decisions", verbose_name=_("grundas på")
    )
    rationale = models.TextField(
        _("motivering"), blank=True, validators=[validate_no_identity_number]
    )
    created_at = models.DateTimeField(_("registrerat"), default=timezone.now)

    objects = EntrustmentDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("beslut om anförtroendenivå")
        verbose_name_plural = _("beslut om anförtroendenivå")
        ordering = ["-decided_on", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=5),
                name="decision_level_range",
                violation_error_message=LEVEL_OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("decided_on")),
                name="decision_valid_after_decided",
                violation_error_message=VALID_UNTIL_BEFORE_DECIDED,
            ),
            models.CheckConstraint(
                condition=~Q(person=F("decided_by")),
                name="decision_not_about_oneself",
                violation_error_message=DECISION_ABOUT_ONESELF,
            ),
        ]
        indexes = [
            models.Index(fields=["person", "case_type", "decided_on"], name="decision_lookup")
        ]

    def __str__(self):
        return f"{self.person} {self.case_type}: {self.level}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(DECISIONS_APPEND_ONLY, code="append_only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(DECISIONS_APPEND_ONLY, code="append_only")


class CaseAlert(models.Model):
    """An alert about a case that was raised (and emailed); the unique key makes the daily scan
    idempotent: one alert per case, kind and the date the condition began."""

    class Kind(models.TextChoices):
        NO_RECENT_REVIEW = "no_review", _("Ingen genomgång på 14 dagar")
        NO_SUPERVISOR = "no_supervisor", _("Ingen namngiven handledare")

    case = models.ForeignKey(
        SupervisedCase, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("ärende")
    )
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    since = models.DateField(_("gäller sedan"))
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("varning om ärende")
        verbose_name_plural = _("varningar om ärenden")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "since"], name="casealert_unique_key")
        ]

    def __str__(self):
        return f"{self.case} {self.kind} {self.since}"

    @property
    def is_no_supervisor(self) -> bool:
        return self.kind == self.Kind.NO_SUPERVISOR
