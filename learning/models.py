"""Enrolments (kursdeltagande), module progress and knowledge-check attempts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
