"""Enrolments (kursdeltagande), module progress and knowledge-check attempts."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Pågår")
        COMPLETED = "completed", _("Avslutad")
        WITHDRAWN = "withdrawn", _("Avbruten")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("deltagare"),
    )
    course = models.ForeignKey(
        "content.CoursePage",
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("kurs"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    due_date = models.DateField(_("klart senast"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    enrolled_at = models.DateTimeField(_("registrerad"), default=timezone.now)
    completed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kursdeltagande")
        verbose_name_plural = _("kursdeltaganden")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_unique_user_course"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="enrolment_completed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.course}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.ACTIVE and bool(self.due_date) and self.due_date < today


class ModuleProgress(models.Model):
    """A learner's progress in one module: started, completed, best knowledge-check score."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="progress", verbose_name=_("deltagande")
    )
    module = models.ForeignKey(
        "content.ModulePage",
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("modul"),
    )
    started_at = models.DateTimeField(_("påbörjad"), default=timezone.now)
    completed_at = models.DateTimeField(_("klar"), null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(_("bästa resultat (%)"), null=True, blank=True)

    class Meta:
        verbose_name = _("modulframsteg")
        verbose_name_plural = _("modulframsteg")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "module"], name="progress_unique_enrolment_module"
            ),
            models.CheckConstraint(
                condition=Q(best_score__isnull=True) | Q(best_score__lte=100),
                name="progress_score_percent",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment.user} – {self.module}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class QuizAttempt(models.Model):
    """One submitted knowledge check (kunskapskontroll), graded on the server."""

    progress = models.ForeignKey(
        ModuleProgress, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("modul")
    )
    answers = models.JSONField(_("svar"), default=dict)
    results = models.JSONField(_("rättning"), default=dict)
    score = models.PositiveSmallIntegerField(_("resultat (%)"))
    passed = models.BooleanField(_("godkänd"))
    submitted_at = models.DateTimeField(_("inlämnad"), default=timezone.now)

    class Meta:
        verbose_name = _("försök")
        verbose_name_plural = _("försök")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="attempt_score_percent")
        ]

    def __str__(self):
        return f"{self.progress} – {self.score} %"


class Certificate(models.Model):
    """Proof that a course is complete (intyg), verifiable by anyone with its code."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="certificate", verbose_name=_("kurs")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("innehavare"),
    )
    course = models.ForeignKey(
        "content.CoursePage",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("kurs"),
    )
    course_title = models.CharField(_("kursens namn"), max_length=255)
    hours = models.PositiveSmallIntegerField(_("omfattning (timmar)"), default=0)
    code = models.CharField(_("verifieringskod"), max_length=24, unique=True, editable=False)
    issued_at = models.DateTimeField(_("utfärdat"), default=timezone.now)
    expires_on = models.DateField(_("giltigt till och med"), null=True, blank=True)

    class Meta:
        verbose_name = _("intyg")
        verbose_name_plural = _("intyg")
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.course_title} – {self.user}"

    def is_valid(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is None or self.expires_on >= today


class OnboardingPlan(ClusterableModel):
    """A municipality's onboarding plan (introduktionsplan); without a municipality, the national
    default that every municipality without its own plan uses."""

    organisation = models.OneToOneField(
        "people.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="onboarding_plan",
        verbose_name=_("kommun"),
        help_text=_("Lämna tomt för den nationella standardplanen."),
    )
    name = models.CharField(_("namn"), max_length=160)

    class Meta:
        verbose_name = _("introduktionsplan")
        verbose_name_plural = _("introduktionsplaner")
        constraints = [
            # At most one national default: a missing municipality counts as municipality 0.
            models.UniqueConstraint(
                Coalesce("organisation", Value(0)), name="plan_one_per_municipality"
            )
        ]

    def __str__(self):
        return self.name


def _not_before_start(value):
    from django.core.exceptions import ValidationError

    if value is not None and value < 0:
        raise ValidationError(_("Ett förfallodatum kan inte ligga före startdatumet."))


class PlanCourse(Orderable):
    """A course in an onboarding plan, due a number of days after the new hire's start date."""

    plan = ParentalKey(OnboardingPlan, on_delete=models.CASCADE, related_name="courses")
    course = models.ForeignKey(
        "content.CoursePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("kurs")
    )
    due_days = models.IntegerField(
        _("klar inom (dagar från start)"), default=90, validators=[_not_before_start]
    )

    class Meta(Orderable.Meta):
        verbose_name = _("kurs i planen")
        verbose_name_plural = _("kurser i planen")
        constraints = [
            models.UniqueConstraint(fields=["plan", "course"], name="plan_course_unique"),
            models.CheckConstraint(condition=Q(due_days__gte=0), name="plan_course_due_after"),
        ]

    def __str__(self):
        return f"{self.course} ({self.due_days})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.course_id and not self.course.live:
            raise ValidationError(
                {"course": _("Kursen är inte publicerad. Publicera den innan den läggs i en plan.")}
            )


class PlanModule(Orderable):
    """A module's own deadline in a plan; modules not listed are due with their course."""

    plan = ParentalKey(OnboardingPlan, on_delete=models.CASCADE, related_name="modules")
    module = models.ForeignKey(
        "content.ModulePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("modul")
    )
    due_days = models.IntegerField(
        _("klar inom (dagar från start)"), default=14, validators=[_not_before_start]
    )

    class Meta(Orderable.Meta):
        verbose_name = _("modultidsgräns")
        verbose_name_plural = _("modultidsgränser")
        constraints = [
            models.UniqueConstraint(fields=["plan", "module"], name="plan_module_unique"),
            models.CheckConstraint(condition=Q(due_days__gte=0), name="plan_module_due_after"),
        ]

    def __str__(self):
        return f"{self.module} ({self.due_days})"


class ModuleDeadline(models.Model):
    """When a learner must have completed a module (set by their onboarding plan)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("deltagande")
    )
    module = models.ForeignKey(
        "content.ModulePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("modul")
    )
    due_date = models.DateField(_("klart senast"))

    class Meta:
        verbose_name = _("modultidsgräns")
        verbose_name_plural = _("modultidsgränser")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "module"], name="deadline_unique_enrolment_module"
            )
        ]
        indexes = [models.Index(fields=["due_date"], name="deadline_due_date")]

    def __str__(self):
        return f"{self.enrolment.user} – {self.module} – {self.due_date}"


class Reminder(models.Model):
    """A reminder in the outbox: decided and written in one transaction, marked sent by the
    sender. The unique key (person, kind, subject, date) means a retried or duplicated task
    never sends the same reminder twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Snart dags")
        OVERDUE = "overdue", _("Försenad")
        CERTIFICATE_EXPIRING = "certificate_expiring", _("Intyg går snart ut")
        DIGEST = "digest", _("Veckosammanfattning")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    subject = models.CharField(max_length=64, help_text="e.g. module:12, certificate:3, week")
    for_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "subject", "for_date"], name="learning_reminder_unique_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="learning_reminder_unsent",
                condition=Q(sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.kind} – {self.subject} – {self.for_date}"
