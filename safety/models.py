"""Threats and violence (hot och våld): the safety check (säkerhetsbedömning) a person makes
before a planned home visit or meeting, and the recommendation it ends in.

No client data: a check records yes / no / don't know answers, the kind of place and the date,
never an address or a name; its one free-text field is checked for identity numbers and street
addresses. It supports the person and the supervision around them; it never replaces the
municipality's own incident reporting or safety routine.
"""

import datetime

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from people.validators import validate_no_identity_number
from safety.validators import validate_no_street_address


class Answer(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nej")
    UNKNOWN = "unknown", _("Vet inte")


class Location(models.TextChoices):
    HOME = "home", _("Hembesök")
    OTHER = "other", _("Annan plats utanför kontoret (till exempel skola eller förskola)")
    OFFICE = "office", _("På kontoret, i besöksrum")


class WhoKnows(models.TextChoices):
    COLLEAGUE = "colleague", _("En kollega vet var jag är och när jag ska vara tillbaka")
    CALENDAR = "calendar", _("Det står i min kalender, men ingen följer upp")
    NOBODY = "nobody", _("Ingen vet var jag är")


class Recommendation(models.TextChoices):
    """From the mildest to the strictest; the order is the rule's (safety.rules)."""

    AS_PLANNED = "as_planned", _("Gå som planerat")
    TWO_TOGETHER = "two_together", _("Gå två tillsammans")
    AT_OFFICE = "at_office", _("Träffas på kontoret")
    MANAGER_FIRST = "manager_first", _("Prata med chefen först")


SEVERITY = {value: index for index, value in enumerate(Recommendation.values)}


# The checklist's questions with their national wording. A municipality may reword each one
# (SafetySettings) but not add or drop any: the rule (safety.rules) reads every answer.
DEFAULT_QUESTIONS = {
    "location": _("Var ska ni träffas?"),
    "known_threats": _(
        "Finns det kända hot mot personal i ärendet eller från personer som kan vara där?"
    ),
    "weapons": _("Finns det uppgifter om vapen hos någon som kan vara där?"),
    "animals": _("Kan det finnas djur på platsen som kan skada, till exempel hundar?"),
    "earlier_incidents": _("Har det förekommit hot, våld eller otillåten påverkan tidigare?"),
    "decision_to_communicate": _("Ett beslut ska delges vid mötet"),
    "who_knows": _("Vem vet var du är?"),
}


class SafetyCheck(models.Model):
    """A safety check (säkerhetsbedömning) before one planned home visit or meeting, by the
    person who will go, on their own page or on one of their supervised cases."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="safety_checks",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="safety_checks",
        verbose_name=_("kommun"),
    )
    # The unit whose managers follow the check: the case's unit, or the person's own.
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.PROTECT,
        related_name="safety_checks",
        verbose_name=_("enhet"),
    )
    # Goes with the case when the case's retention period ends (mentoring's retention job).
    case = models.ForeignKey(
        "mentoring.SupervisedCase",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="safety_checks",
        verbose_name=_("ärende"),
    )
    planned_on = models.DateField(_("planerat datum"))
    location = models.CharField(_("var ni ska träffas"), max_length=16, choices=Location.choices)
    known_threats = models.CharField(
        _("finns det kända hot mot personal?"), max_length=8, choices=Answer.choices
    )
    weapons = models.CharField(
        _("finns det uppgifter om vapen?"), max_length=8, choices=Answer.choices
    )
    animals = models.CharField(
        _("kan det finnas djur som kan skada, till exempel hundar?"),
        max_length=8,
        choices=Answer.choices,
    )
    earlier_incidents = models.CharField(
        _("har det förekommit hot eller våld tidigare?"), max_length=8, choices=Answer.choices
    )
    decision_to_communicate = models.BooleanField(
        _("ett beslut ska delges vid mötet"), default=False
    )
    who_knows = models.CharField(_("vem vet var du är?"), max_length=16, choices=WhoKnows.choices)
    notes = models.TextField(
        _("annat att tänka på"),
        blank=True,
        max_length=500,
        validators=[validate_no_identity_number, validate_no_street_address],
    )
    recommendation = models.CharField(
        _("rekommendation"), max_length=16, choices=Recommendation.choices
    )
    # The questions as the person saw them (the municipality's wording or the national one),
    # so a later change of wording never changes what an earlier check's answers meant. Empty
    # for checks made before the wording could change: they were asked the national questions.
    questions = models.JSONField(_("frågorna som ställdes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("gjord"), default=timezone.now)

    class Meta:
        verbose_name = _("säkerhetsbedömning")
        verbose_name_plural = _("säkerhetsbedömningar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__in=Recommendation.values),
                name="safetycheck_known_recommendation",
                violation_error_message=_("Rekommendationen är inte en av de fyra som finns."),
            ),
        ]
        indexes = [models.Index(fields=["unit", "created_at"], name="safetycheck_unit_created")]

    def __str__(self):
        return f"{self.person} {format_date(self.planned_on)}"

    def get_absolute_url(self) -> str:
        return reverse("safety:check", args=[self.pk])

    @property
    def severity(self) -> int:
        return SEVERITY[self.recommendation]

    @property
    def answered_questions(self) -> list[tuple[str, str]]:
        """(question as asked, answer) for the check's page, in the checklist's order."""
        answers = {
            "location": self.get_location_display(),
            "known_threats": self.get_known_threats_display(),
            "weapons": self.get_weapons_display(),
            "animals": self.get_animals_display(),
            "earlier_incidents": self.get_earlier_incidents_display(),
            "decision_to_communicate": Answer.YES.label
            if self.decision_to_communicate
            else Answer.NO.label,
            "who_knows": self.get_who_knows_display(),
        }
        return [
            (self.questions.get(name) or DEFAULT_QUESTIONS[name], answers[name])
            for name in DEFAULT_QUESTIONS
        ]

    @property
    def is_as_planned(self) -> bool:
        return self.recommendation == Recommendation.AS_PLANNED

    @property
    def is_manager_first(self) -> bool:
        return self.recommendation == Recommendation.MANAGER_FIRST

    @property
    def tells_manager_and_mentor(self) -> bool:
        """ "Two together" or stricter: in the person's first year, their manager and mentor
        are told (safety.services)."""
        return self.severity >= SEVERITY[Recommendation.TWO_TOGETHER]


# --------------------------------------------------------------------------------------------
# Incidents (händelser) and the employer's follow-up
# --------------------------------------------------------------------------------------------
class IncidentKind(models.TextChoices):
    VERBAL_THREAT = "verbal_threat", _("Verbalt hot")
    THREAT_OF_VIOLENCE = "threat_of_violence", _("Hot om våld")
    VIOLENCE = "violence", _("Våld")
    THREAT_AGAINST_FAMILY = "threat_against_family", _("Hot mot familj eller närstående")
    ONLINE_HARASSMENT = "online_harassment", _("Trakasserier på nätet")


class Incident(models.Model):
    """That something happened (händelse): the date, the kind and whether it is reported in the
    municipality's own system, never what was said or by whom. The person's manager is always
    told and offers a debrief (avlastningssamtal) within 72 hours and a follow-up after two
    weeks, as AFS 2023:2 asks of the employer; the mentor is told if the person chooses."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="incidents",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="incidents",
        verbose_name=_("kommun"),
    )
    unit = models.ForeignKey(
        "people.Unit", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("enhet")
    )
    occurred_on = models.DateField(_("datum för händelsen"))
    kind = models.CharField(_("typ av händelse"), max_length=24, choices=IncidentKind.choices)
    reported_in_system = models.BooleanField(_("rapporterad i kommunens system"), default=False)
    tell_mentor = models.BooleanField(_("min mentor får veta"), default=False)
    created_at = models.DateTimeField(_("registrerad"), default=timezone.now)
    debrief_offered_at = models.DateTimeField(
        _("avlastningssamtal erbjudet"), null=True, blank=True
    )
    debrief_offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erbjudet av"),
    )
    # The debrief in supervision (avlastningssamtal), a session in the mentor's log: its notes
    # are the pair's alone, the incident only knows that it took place.
    debrief_session = models.OneToOneField(
        "mentoring.SupervisionSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="debriefed_incident",
        verbose_name=_("avlastningssamtal i handledningen"),
    )
    followed_up_at = models.DateTimeField(_("uppföljning gjord"), null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uppföljd av"),
    )

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(followed_up_at__isnull=True) | Q(debrief_offered_at__isnull=False),
                name="incident_follow_up_after_debrief",
                violation_error_message=_(
                    "Uppföljningen kan markeras först när avlastningssamtalet är erbjudet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=IncidentKind.values),
                name="incident_known_kind",
                violation_error_message=_("Välj vilken sorts händelse det var."),
            ),
        ]
        indexes = [models.Index(fields=["unit", "occurred_on"], name="incident_unit_occurred")]

    def __str__(self):
        return f"{self.person} {format_date(self.occurred_on)}"

    def get_absolute_url(self) -> str:
        return reverse("safety:incident", args=[self.pk])

    @property
    def debrief_due(self):
        return self.created_at + DEBRIEF_WITHIN

    @property
    def follow_up_due(self):
        return self.created_at + FOLLOW_UP_AFTER

    @property
    def is_done(self) -> bool:
        return self.followed_up_at is not None

    @property
    def needs_debrief(self) -> bool:
        return self.debrief_offered_at is None

    @property
    def needs_follow_up(self) -> bool:
        return self.debrief_offered_at is not None and self.followed_up_at is None


# AFS 2023:2 asks for quick support; the rule: a debrief offered within 72 hours, a
# follow-up after two weeks.
DEBRIEF_WITHIN = datetime.timedelta(hours=72)
FOLLOW_UP_AFTER = datetime.timedelta(days=14)


class IncidentReminder(models.Model):
    """A reminder to the manager that a debrief or follow-up is due; one per incident, task and
    day, so a repeated or retried daily run sends nothing twice."""

    class Task(models.TextChoices):
        DEBRIEF = "debrief", _("Erbjud avlastningssamtal")
        FOLLOW_UP = "follow_up", _("Följ upp")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("händelse")
    )
    task = models.CharField(_("uppgift"), max_length=16, choices=Task.choices)
    day = models.DateField(_("dag"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("påminnelse om händelse")
        verbose_name_plural = _("påminnelser om händelser")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "task", "day"], name="incidentreminder_unique_day"
            )
        ]

    def __str__(self):
        return f"{self.incident} {self.get_task_display()} {format_date(self.day)}"


# --------------------------------------------------------------------------------------------
# The municipality's own routine (kommunens rutin)
# --------------------------------------------------------------------------------------------
def _question_field(name: str):
    return models.CharField(
        DEFAULT_QUESTIONS[name],
        max_length=300,
        blank=True,
        validators=[validate_no_identity_number, validate_no_street_address],
        help_text=_("Lämna tomt för den nationella formuleringen."),
    )


class SafetySettings(models.Model):
    """A municipality's own safety routine, set by its municipal admin: where and how incidents
    are reported in its own system (KIA, Afa's IA-systemet or another) and, where it wants other
    words, the wording of the safety check's questions. Anything left empty is the national
    default."""

    organisation = models.OneToOneField(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="safety_settings",
        verbose_name=_("kommun"),
    )
    reporting_url = models.URLField(
        _("länk till kommunens rapportering av tillbud och arbetsskador"),
        max_length=500,
        blank=True,
        # A link people click from the incident page: web addresses only, never javascript:.
        validators=[URLValidator(schemes=["https", "http"]), validate_no_identity_number],
    )
    reporting_text = models.TextField(
        _("så rapporterar du i vår kommun"),
        max_length=1000,
        blank=True,
        validators=[validate_no_identity_number, validate_no_street_address],
    )
    location_question = _question_field("location")
    known_threats_question = _question_field("known_threats")
    weapons_question = _question_field("weapons")
    animals_question = _question_field("animals")
    earlier_incidents_question = _question_field("earlier_incidents")
    decision_to_communicate_question = _question_field("decision_to_communicate")
    who_knows_question = _question_field("who_knows")
    updated_at = models.DateTimeField(_("ändrad"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    class Meta:
        verbose_name = _("kommunens rutin för hot och våld")
        verbose_name_plural = _("kommunernas rutiner för hot och våld")

    def __str__(self):
        return str(self.organisation_id)

    def questions(self) -> dict:
        """Every question's wording for this municipality: its own, else the national one."""
        return {
            name: getattr(self, f"{name}_question") or default
            for name, default in DEFAULT_QUESTIONS.items()
        }
