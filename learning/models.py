"""Enrolments (kursdeltagande), module progress, knowledge-check attempts, certificates,
onboarding plans, reminders, and course runs (kursomgångar) with sessions and attendance."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from core.dates import DateStyle, format_date
from people.validators import validate_no_identity_number

# Messages for the constraints below, so a form (or the Wagtail admin) that trips one says what
# to change instead of naming the constraint.
COMPLETED_NEEDS_TIME = _("En avslutad kurs behöver ett datum för när den avslutades.")
SCORE_IS_PERCENT = _("Resultatet anges i procent, från 0 till 100.")
GRADED_WHEN_SUBMITTED = _("Ett inlämnat försök har ett resultat, och ett öppet försök har inget.")
ONE_OPEN_ATTEMPT = _("Det finns redan ett öppet försök på kunskapskontrollen. Lämna in det först.")
ONE_PLAN_PER_MUNICIPALITY = _(
    "Kommunen har redan en introduktionsplan. Ändra den i stället för att skapa en ny."
)
DUE_DAYS_NOT_NEGATIVE = _("Antalet dagar efter startdatumet kan inte vara negativt.")
REVOKED_NEEDS_REASON = _(
    "Ett återkallat intyg behöver ett skäl, och bara ett återkallat intyg har ett."
)
POSITION_ONLY_ON_WAITLIST = _("Bara den som står på reservlistan har en plats i kön.")


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
    # When the last module was done, for a course that then waits for the manager's sign-off
    # (godkännande): the enrolment stays active until then, and no certificate is issued.
    modules_completed_at = models.DateTimeField(_("alla moduler klara"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kursdeltagande")
        verbose_name_plural = _("kursdeltaganden")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_unique_user_course"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="enrolment_completed_has_time",
                violation_error_message=COMPLETED_NEEDS_TIME,
            ),
        ]
        indexes = [
            # Mitt team's sign-off list (learning.selectors.awaiting_sign_off_for): the few
            # introductions whose modules are done and that wait for the manager. Without it
            # PostgreSQL read every enrolment of the introduction courses (12,455 a course at
            # 30,000 staff) to find them: 73-79 ms; with it 0.1 ms.
            models.Index(
                fields=["user"],
                condition=Q(status="active", modules_completed_at__isnull=False),
                name="enrolment_awaiting_sign_off",
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
    # Kept with the row (set with each attempt) so the module page need not look up attempts.
    latest_score = models.PositiveSmallIntegerField(
        _("senaste resultat (%)"), null=True, blank=True
    )
    # Also kept with the row, for the module page and the knowledge check's pause rules (read
    # under the row's lock): failed attempts so far, and when the next one may open.
    failed_attempts = models.PositiveSmallIntegerField(
        _("underkända försök"), default=0, db_default=0
    )
    next_attempt_at = models.DateTimeField(_("nästa försök öppnar"), null=True, blank=True)

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
                violation_error_message=SCORE_IS_PERCENT,
            ),
            models.CheckConstraint(
                condition=Q(latest_score__isnull=True) | Q(latest_score__lte=100),
                name="progress_latest_score_percent",
                violation_error_message=SCORE_IS_PERCENT,
            ),
        ]

    def __str__(self):
        return f"{self.enrolment.user} – {self.module}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class QuizAttempt(models.Model):
    """One knowledge check (kunskapskontroll) as shown to the learner: opened with the
    questions drawn from the module's pool and their choices in the order shown, then submitted
    once and graded on the server against exactly that set."""

    class State(models.TextChoices):
        OPEN = "open", _("Pågår")
        SUBMITTED = "submitted", _("Inlämnad")

    progress = models.ForeignKey(
        ModuleProgress, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("modul")
    )
    # Rows written before attempts were opened first are submitted ones.
    state = models.CharField(
        _("status"), max_length=16, choices=State.choices, default=State.SUBMITTED
    )
    # [{"id": question id, "choices": [choice ids in the order shown]}, ...], in order shown.
    questions = models.JSONField(_("frågor som visades"), default=list, blank=True)
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    results = models.JSONField(_("rättning"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("resultat (%)"), null=True, blank=True)
    passed = models.BooleanField(_("godkänd"), null=True, blank=True)
    opened_at = models.DateTimeField(_("öppnad"), default=timezone.now)
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True, default=timezone.now)
    # From the module's "started" progress row to the submission.
    seconds_on_module = models.PositiveIntegerField(
        _("tid i modulen (sekunder)"), null=True, blank=True
    )
    too_fast = models.BooleanField(
        _("inlämnad snabbare än modulens minsta tid"), default=False, db_default=False
    )

    class Meta:
        verbose_name = _("försök")
        verbose_name_plural = _("försök")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__lte=100),
                name="attempt_score_percent",
                violation_error_message=SCORE_IS_PERCENT,
            ),
            models.CheckConstraint(
                condition=Q(state="open", score__isnull=True, passed__isnull=True)
                | Q(
                    state="submitted",
                    score__isnull=False,
                    passed__isnull=False,
                    submitted_at__isnull=False,
                ),
                name="attempt_graded_iff_submitted",
                violation_error_message=GRADED_WHEN_SUBMITTED,
            ),
            # A reload shows the same attempt: one open attempt per learner and module.
            models.UniqueConstraint(
                fields=["progress"],
                condition=Q(state="open"),
                name="attempt_one_open",
                violation_error_message=ONE_OPEN_ATTEMPT,
            ),
        ]

    def __str__(self):
        return f"{self.progress} – {self.score} %"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def question_ids(self) -> list[str]:
        return [item["id"] for item in self.questions]


class AttemptQuestion(models.Model):
    """A question drawn for an attempt and, once submitted, whether it was answered right: the
    rows the editors' item analysis (uppgiftsanalys) counts per question in one query."""

    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="drawn", verbose_name=_("försök")
    )
    # The original module (as the attempt's progress row), denormalised for the index.
    module = models.ForeignKey(
        "content.ModulePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("modul")
    )
    question_id = models.CharField(_("fråga"), max_length=64)
    position = models.PositiveSmallIntegerField(_("plats"), default=0)
    correct = models.BooleanField(_("rätt"), null=True, blank=True)

    class Meta:
        verbose_name = _("dragen fråga")
        verbose_name_plural = _("dragna frågor")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id"], name="attempt_question_unique"
            )
        ]
        indexes = [models.Index(fields=["module", "question_id"], name="attempt_question_item")]

    def __str__(self):
        return f"{self.attempt_id} – {self.question_id}"


class SignOff(models.Model):
    """The manager's (or a delegate's) sign-off (godkännande) of a new hire's introduction after
    the closing conversation (avslutande samtal); the certificate is issued with it."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="sign_off", verbose_name=_("kurs")
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("godkänd av"),
    )
    # Kept as text: the certificate still names the signer after their account is anonymised.
    signed_by_name = models.CharField(
        _("godkänd av (namn)"), max_length=200, validators=[validate_no_identity_number]
    )
    conversation_date = models.DateField(_("datum för avslutande samtal"))
    comment = models.TextField(
        _("kommentar"), blank=True, max_length=1000, validators=[validate_no_identity_number]
    )
    signed_at = models.DateTimeField(_("godkänd"), default=timezone.now)

    class Meta:
        verbose_name = _("godkännande av introduktion")
        verbose_name_plural = _("godkännanden av introduktioner")

    def __str__(self):
        return f"{self.enrolment} – {self.signed_by_name}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Giltigt")
    EXPIRED = "expired", _("Har gått ut")
    REVOKED = "revoked", _("Återkallat")


class Certificate(models.Model):
    """Proof that a course is complete (intyg), verifiable by anyone with its code.

    What the certificate says (municipality, unit, modules, signer) is copied onto it when it is
    issued: a document does not change when the curriculum or the organisation does later."""

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
    credits = models.DecimalField(
        _("högskolepoäng"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    code = models.CharField(_("verifieringskod"), max_length=24, unique=True, editable=False)
    issued_at = models.DateTimeField(_("utfärdat"), default=timezone.now)
    expires_on = models.DateField(_("giltigt till och med"), null=True, blank=True)
    # The municipality that issues it (and whose admins may revoke it).
    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("kommun"),
    )
    organisation_name = models.CharField(
        _("kommun (namn)"), max_length=120, blank=True, validators=[validate_no_identity_number]
    )
    unit_name = models.CharField(
        _("enhet"), max_length=160, blank=True, validators=[validate_no_identity_number]
    )
    # [{"title": ..., "minutes": ...}] in course order: the modules the certificate covers.
    modules = models.JSONField(_("moduler"), default=list, blank=True)
    completed_on = models.DateField(_("genomförd"), null=True, blank=True)
    signed_off_by_name = models.CharField(
        _("godkänd av"), max_length=200, blank=True, validators=[validate_no_identity_number]
    )
    revoked_at = models.DateTimeField(_("återkallat"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("återkallat av"),
    )
    revocation_reason = models.TextField(
        _("skäl till återkallelse"),
        blank=True,
        max_length=1000,
        validators=[validate_no_identity_number],
    )

    class Meta:
        verbose_name = _("intyg")
        verbose_name_plural = _("intyg")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revocation_reason="")
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="certificate_revoked_with_reason",
                violation_error_message=REVOKED_NEEDS_REASON,
            )
        ]

    def __str__(self):
        return f"{self.course_title} – {self.user}"

    def is_valid(self, today=None) -> bool:
        return self.status(today) == CertificateStatus.VALID

    def status(self, today=None) -> CertificateStatus:
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        today = today or timezone.localdate()
        if self.expires_on is not None and self.expires_on < today:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.status() == CertificateStatus.EXPIRED

    @property
    def status_label(self) -> str:
        return self.status().label

    @property
    def module_times(self) -> list[dict]:
        """The modules with their estimated time, as the certificate prints them."""
        return [
            {"title": item["title"], "time": time_label(item["minutes"])} for item in self.modules
        ]


def time_label(minutes: int) -> str:
    """An estimated time as people write it: 45 min, 1 h, 1 h 15 min (the same in Swedish
    and English)."""
    hours, rest = divmod(int(minutes), 60)
    parts = ([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest or not hours else [])
    return " ".join(parts)


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
    name = models.CharField(_("namn"), max_length=160, validators=[validate_no_identity_number])

    class Meta:
        verbose_name = _("introduktionsplan")
        verbose_name_plural = _("introduktionsplaner")
        constraints = [
            # At most one national default: a missing municipality counts as municipality 0.
            models.UniqueConstraint(
                Coalesce("organisation", Value(0)),
                name="plan_one_per_municipality",
                violation_error_message=ONE_PLAN_PER_MUNICIPALITY,
            )
        ]

    def __str__(self):
        return self.name


def _not_before_start(value):
    if value is not None and value < 0:
        raise ValidationError(_("Ett förfallodatum kan inte ligga före startdatumet."))


class PlanCourse(Orderable):
    """A course in an onboarding plan, due a number of days after the new hire's start date."""

    plan = ParentalKey(
        OnboardingPlan,
        on_delete=models.CASCADE,
        related_name="courses",
        verbose_name=_("introduktionsplan"),
    )
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
            models.CheckConstraint(
                condition=Q(due_days__gte=0),
                name="plan_course_due_after",
                violation_error_message=DUE_DAYS_NOT_NEGATIVE,
            ),
        ]

    def __str__(self):
        return f"{self.course} ({self.due_days})"

    def clean(self):
        if self.course_id and not self.course.live:
            raise ValidationError(
                {"course": _("Kursen är inte publicerad. Publicera den innan den läggs i en plan.")}
            )


class PlanModule(Orderable):
    """A module's own deadline in a plan; modules not listed are due with their course."""

    plan = ParentalKey(
        OnboardingPlan,
        on_delete=models.CASCADE,
        related_name="modules",
        verbose_name=_("introduktionsplan"),
    )
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
            models.CheckConstraint(
                condition=Q(due_days__gte=0),
                name="plan_module_due_after",
                violation_error_message=DUE_DAYS_NOT_NEGATIVE,
            ),
        ]

    def __str__(self):
        return f"{self.module} ({self.due_days})"


class ModuleDeadline(models.Model):
    """When a learner must have completed a module (set by their onboarding plan, which dates
    the enrolment too: only dated enrolments have module deadlines)."""

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
        return f"{self.enrolment.user} – {self.module} – {format_date(self.due_date)}"


NEGATIVE_SEATS = _("Antalet platser kan inte vara negativt.")
END_BEFORE_START = _("Kursomgången kan inte sluta före startdatumet.")
DEADLINE_AFTER_START = _("Sista anmälningsdag kan inte ligga efter kursomgångens startdatum.")
PLACE_OR_LINK = _("Ange en plats eller en länk till distansmötet.")
SESSION_OUTSIDE_RUN = _("Passet måste ligga mellan kursomgångens start- och slutdatum.")
SESSION_ENDS_BEFORE_START = _("Passet måste sluta efter att det har börjat.")
ALREADY_ENROLLED = _("Du är redan anmäld till den här kursomgången.")
WRONG_RUN = _("Deltagaren hör inte till passets kursomgång.")


class CourseRun(ClusterableModel):
    """A run (kursomgång) of a cohort course: dates, place or online link, seats, sessions."""

    class Status(models.TextChoices):
        OPEN = "open", _("Öppen för anmälan")
        CLOSED = "closed", _("Stängd för anmälan")
        CANCELLED = "cancelled", _("Inställd")

    course = models.ForeignKey(
        "content.CoursePage",
        on_delete=models.CASCADE,
        related_name="runs",
        verbose_name=_("kurs"),
        limit_choices_to={"kind": "cohort"},
    )
    name = models.CharField(
        _("namn"),
        max_length=120,
        help_text=_("Till exempel ”Vintern 2027, Malmö”."),
        validators=[validate_no_identity_number],
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"))
    enrolment_deadline = models.DateField(_("sista anmälningsdag"))
    place = models.CharField(
        _("plats"), max_length=200, blank=True, validators=[validate_no_identity_number]
    )
    online_url = models.URLField(_("länk till distansmöte"), blank=True)
    seats = models.IntegerField(
        _("antal platser"), validators=[MinValueValidator(0, message=NEGATIVE_SEATS)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    # A run arranged by a municipality is also managed by its municipal admins (waitlist,
    # participant list, messages); a national run only by its leaders and the editors.
    organiser = models.ForeignKey(
        "people.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arranged_course_runs",
        verbose_name=_("arrangerande kommun"),
        help_text=_(
            "Kommunens administratörer får hantera reservlistan, deltagarlistan och utskick "
            "för omgången. Lämna tomt för en nationell omgång."
        ),
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_course_runs",
        verbose_name=_("kursledare"),
        limit_choices_to={"memberships__role": "course_leader"},
        help_text=_("Kursledare får markera närvaro i kursomgången."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("kursomgång")
        verbose_name_plural = _("kursomgångar")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=0),
                name="course_run_seats_not_negative",
                violation_error_message=NEGATIVE_SEATS,
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="course_run_ends_after_start",
                violation_error_message=END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(enrolment_deadline__lte=F("start_date")),
                name="course_run_deadline_before_start",
                violation_error_message=DEADLINE_AFTER_START,
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""),
                name="course_run_place_or_link",
                violation_error_message=PLACE_OR_LINK,
            ),
        ]

    def __str__(self):
        return f"{self.course.title} – {self.name}"

    def clean(self):
        if self.course_id and not self.course.is_cohort:
            raise ValidationError(
                {"course": _("Bara kurser som ges i kursomgångar med grupp kan ha omgångar.")}
            )

    def is_open_for_enrolment(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and today <= self.enrolment_deadline


class RunSession(Orderable):
    """One meeting (pass) of a course run: a date, a time and, when it differs, a place."""

    run = ParentalKey(
        CourseRun, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("kursomgång")
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("börjar"))
    end_time = models.TimeField(_("slutar"))
    place = models.CharField(
        _("plats"),
        max_length=200,
        blank=True,
        help_text=_("Lämna tomt för omgångens plats."),
        validators=[validate_no_identity_number],
    )

    class Meta(Orderable.Meta):
        verbose_name = _("pass")
        verbose_name_plural = _("pass")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="run_session_ends_after_start",
                violation_error_message=SESSION_ENDS_BEFORE_START,
            )
        ]

    def __str__(self):
        day = format_date(self.date, DateStyle.WEEKDAY)
        return f"{day} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def has_started(self, now=None) -> bool:
        """Attendance is marked for a session that has begun, in the service's time zone."""
        now = timezone.localtime(now)
        return (self.date, self.start_time) <= (now.date(), now.time())

    def clean(self):
        # Cross-row rule: the database cannot compare a session with its run's dates.
        run = getattr(self, "run", None)
        if run is None or self.date is None or run.start_date is None or run.end_date is None:
            return
        if not run.start_date <= self.date <= run.end_date:
            raise ValidationError({"date": SESSION_OUTSIDE_RUN})


class RunEnrolment(models.Model):
    """A person's place in a course run (anmälan till kursomgång): a seat, a place on the
    waitlist (reservlista), or a request waiting for the municipal admin's approval."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar på godkännande")
        ENROLLED = "enrolled", _("Antagen")
        WAITLISTED = "waitlisted", _("På reservlistan")
        DECLINED = "declined", _("Inte godkänd")
        WITHDRAWN = "withdrawn", _("Avanmäld")

    run = models.ForeignKey(
        CourseRun, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("omgång")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="run_enrolments",
        verbose_name=_("deltagare"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(
        _("plats på reservlistan"), null=True, blank=True
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("anmäld av"),
    )
    requested_at = models.DateTimeField(_("anmäld"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutad av"),
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("anmälan till kursomgång")
        verbose_name_plural = _("anmälningar till kursomgångar")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "user"],
                name="run_enrolment_unique_user",
                violation_error_message=ALREADY_ENROLLED,
            ),
            # NULLs never collide: only waitlisted rows hold a position.
            models.UniqueConstraint(
                fields=["run", "waitlist_position"], name="run_enrolment_unique_position"
            ),
            models.CheckConstraint(
                condition=(Q(status="waitlisted") & Q(waitlist_position__gte=1))
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="run_enrolment_position_iff_waitlisted",
                violation_error_message=POSITION_ONLY_ON_WAITLIST,
            ),
        ]
        indexes = [models.Index(fields=["run", "status"], name="run_enrolment_run_status")]

    def __str__(self):
        return f"{self.user} – {self.run}"

    @property
    def is_enrolled(self) -> bool:
        return self.status == self.Status.ENROLLED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED


# A place that counts: holding a seat, queueing for one, or waiting for the admin's approval.
ACTIVE_PLACE_STATUSES = (
    RunEnrolment.Status.PENDING,
    RunEnrolment.Status.ENROLLED,
    RunEnrolment.Status.WAITLISTED,
)


class Attendance(models.Model):
    """Whether a participant was at a session (närvaro), marked by a course leader or editor."""

    session = models.ForeignKey(
        RunSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("pass")
    )
    participant = models.ForeignKey(
        RunEnrolment,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("deltagare"),
    )
    present = models.BooleanField(_("närvarande"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("markerad av"),
    )
    marked_at = models.DateTimeField(_("markerad"), default=timezone.now)

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="attendance_unique_session_participant"
            )
        ]

    def __str__(self):
        return f"{self.participant.user} – {self.session}"

    def clean(self):
        if self.session.run_id != self.participant.run_id:
            raise ValidationError(WRONG_RUN)


class CalendarFeed(models.Model):
    """A person's private calendar feed (kalenderprenumeration): the unguessable token in its
    URL is the only key, so revoking it deletes the row and the old URL answers 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kalenderprenumeration")
        verbose_name_plural = _("kalenderprenumerationer")

    def __str__(self):
        return str(self.user)


class ModuleDue(models.Model):
    """One module a person has to do: a live module of a live course they are enrolled in, with
    the date it is due and when it was completed. Read-only, a database view (migration 0016,
    `learning_moduledue`); learning.selectors.figures reads it for every "overdue" and "due
    soon" figure, so the dashboard, Mitt team, the digest and the reminders count the same rows.

    The module is due on its own deadline from the onboarding plan, otherwise with its course
    (the enrolment's due date); a module published after the plan was applied has no deadline of
    its own and is due with the course. Neither date: not due.
    """

    pk = models.CompositePrimaryKey("enrolment", "module")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    module = models.ForeignKey(
        "content.ModulePage", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # The enrolment's person, copied by the view so figures per person need no join. A plain
    # id, not a foreign key: these rows are derived, not records about the person, so the
    # personal-data export and anonymisation (people.personal_data) rightly pass them by.
    user_id = models.IntegerField()
    # The enrolment's course, status and enrolment time, copied by the view (migration 0019)
    # for the same reason: a figure that joined learning_enrolment again made the query too
    # large for PostgreSQL to plan as one (from_collapse_limit), so the person filter no longer
    # drove it and Mitt team computed the view for all 30,000 staff (issue 23).
    course = models.ForeignKey(
        "content.CoursePage", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=Enrolment.Status.choices, validators=[validate_no_identity_number]
    )
    enrolled_at = models.DateTimeField()
    due_date = models.DateField(null=True)
    completed_at = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "learning_moduledue"
        verbose_name = _("modul att göra")
        verbose_name_plural = _("moduler att göra")

    def __str__(self):
        return f"{self.enrolment_id} – {self.module_id} – {format_date(self.due_date)}"


class ModuleTally(models.Model):
    """Stored counts per enrolment (issue 23): how many of its live modules are due on a date
    and done or open, so Mitt team counts about two rows per enrolment (3,300 for 500 people)
    instead of every module of the team in learning_moduledue (69,500). Rebuilt from that view
    for an enrolment whenever something it depends on changes (learning.tallies): progress, a
    deadline, the enrolment's due date, and a module published, unpublished, added, moved or
    deleted. What "overdue" means stays in learning.selectors.figures, counted over these rows
    for a day.

    A module done on or before its due date (or with none) has `done_late_on` empty: it was
    never overdue. A module done late keeps the day it was done (in the site's time zone),
    because it was overdue on the days between.

    The enrolment's person, course, status and enrolment time are copied, as in ModuleDue, so
    the figures need no join to learning_enrolment (which PostgreSQL scanned whole, all 88,000
    rows, to find the team's 1,500). A database trigger (migration 0021) copies a changed
    status or enrolment time from learning_enrolment, whoever writes it, QuerySet.update too.
    """

    # Not a constraint: a cascade deletes progress before the enrolment, and rebuilding after
    # the progress row went would insert rows the cascade no longer deletes; the enrolment's
    # own post_delete clears them (learning.tallies).
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # A plain id, not a foreign key, for the reason ModuleDue.user_id gives.
    user_id = models.IntegerField(db_index=True)
    course = models.ForeignKey(
        "content.CoursePage", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=Enrolment.Status.choices, validators=[validate_no_identity_number]
    )
    enrolled_at = models.DateTimeField()
    due_date = models.DateField(null=True)
    done = models.BooleanField()
    done_late_on = models.DateField(null=True)
    modules = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("modulräkning")
        verbose_name_plural = _("modulräkningar")

    def __str__(self):
        return f"{self.enrolment_id} – {format_date(self.due_date)} – {self.modules}"
