"""Mentor profiles, mentee needs, matching runs, mentorships (mentorskap), supervision sessions
(handledningssamtal), the mentee's agenda, check-in reminders and the municipality's rules."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.dates import DateStyle, format_date
from people.validators import validate_no_identity_number

MAX_CAPACITY = 10
MAX_SESSION_MINUTES = 480

# Messages for the constraints below, so a form that trips one says what to change.
# The numbers are MAX_CAPACITY and MAX_SESSION_MINUTES (a lazy message cannot be formatted here).
CAPACITY_OUT_OF_RANGE = _("Ange hur många adepter du kan ta emot, från 1 till 10.")
MENTOR_IS_MENTEE = _("En person kan inte vara mentor åt sig själv.")
PAIR_ALREADY_OPEN = _(
    "Det finns redan ett föreslaget eller pågående mentorskap mellan de här två personerna."
)
MENTEE_ALREADY_MATCHED = _(
    "Adepten har redan ett föreslaget eller pågående mentorskap. Avsluta det först."
)
ACTIVE_NEEDS_START = _("Ett pågående mentorskap behöver ett startdatum.")
END_BEFORE_START = _("Slutdatumet kan inte ligga före mentorskapets startdatum.")
SESSION_DURATION_OUT_OF_RANGE = _("Ange hur länge träffen varade, från 1 till 480 minuter.")
ONE_OPEN_CHANGE_REQUEST = _("Du har redan bett om att få byta mentor. Vi hör av oss.")
MEETING_TIME_NEEDS_DATE = _("Ange ett datum för nästa träff.")

LANGUAGE_CHOICES = [
    ("sv", _("Svenska")),
    ("en", _("Engelska")),
    ("ar", _("Arabiska")),
    ("fa", _("Persiska")),
    ("fi", _("Finska")),
    ("so", _("Somaliska")),
    ("ti", _("Tigrinja")),
    ("pl", _("Polska")),
    ("bcs", _("Bosniska/kroatiska/serbiska")),
    ("es", _("Spanska")),
]


def default_languages() -> list[str]:
    return ["sv"]


# The specialisations and session topics mentoring's migration 0002 seeds, marked for
# translation here so that every reader gets them in their language (__str__).
STANDARD_NAMES = (
    gettext_noop("Förhandsbedömning"),
    gettext_noop("Barnavårdsutredning"),
    gettext_noop("Placering i familjehem/HVB"),
    gettext_noop("LVU"),
    gettext_noop("Hedersrelaterat våld och förtryck"),
    gettext_noop("Samtal med barn"),
    gettext_noop("Ärendeplanering"),
    gettext_noop("Dokumentation"),
    gettext_noop("Riskbedömning"),
    gettext_noop("Samverkan"),
    gettext_noop("Arbetsmiljö och återhämtning"),
    gettext_noop("Etik och bemötande"),
    gettext_noop("Juridik (SoL och LVU)"),
)


class Specialisation(models.Model):
    """A case-type specialisation (inriktning), e.g. LVU. `code` is the stable key that a later
    CaseType (with risk levels) maps onto, so the two taxonomies can be joined without renames."""

    code = models.SlugField(_("kod"), max_length=60, unique=True)
    name = models.CharField(
        _("namn"), max_length=120, unique=True, validators=[validate_no_identity_number]
    )

    class Meta:
        verbose_name = _("inriktning")
        verbose_name_plural = _("inriktningar")
        ordering = ["name"]

    def __str__(self):
        # The names the platform seeds are in the catalogue (STANDARD_NAMES) and read in the
        # reader's language; a name a municipality typed itself is shown as typed.
        return gettext(self.name)


class SessionTopic(models.Model):
    """A topic of a supervision session (samtalsämne), e.g. "Dokumentation"."""

    code = models.SlugField(_("kod"), max_length=60, unique=True)
    name = models.CharField(
        _("namn"), max_length=120, unique=True, validators=[validate_no_identity_number]
    )

    class Meta:
        verbose_name = _("samtalsämne")
        verbose_name_plural = _("samtalsämnen")
        ordering = ["name"]

    def __str__(self):
        # The names the platform seeds are in the catalogue (STANDARD_NAMES) and read in the
        # reader's language; a name a municipality typed itself is shown as typed.
        return gettext(self.name)


def _weight(label, default):
    return models.DecimalField(
        label,
        max_digits=3,
        decimal_places=1,
        default=default,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )


class MentoringSettings(models.Model):
    """The municipality's own rules for mentoring (who may mentor, reminder grace) and for
    caseload (ärendebelastning): risk weights and the guideline, lower for staff in their first
    12 months (skyddad ärendemängd)."""

    organisation = models.OneToOneField(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="mentoring_settings",
        verbose_name=_("kommun"),
    )
    min_years_experience = models.PositiveSmallIntegerField(
        _("minsta antal år i yrket för mentorer"), default=3, validators=[MaxValueValidator(40)]
    )
    reminder_grace_days = models.PositiveSmallIntegerField(
        _("respit före påminnelse (dagar)"), default=7, validators=[MaxValueValidator(60)]
    )
    weight_low = _weight(_("vikt för ärenden med låg risk"), 1)
    weight_medium = _weight(_("vikt för ärenden med medelhög risk"), 2)
    weight_high = _weight(_("vikt för ärenden med hög risk"), 3)
    weight_critical = _weight(_("vikt för ärenden med kritisk risk"), 4)
    caseload_guideline = models.PositiveSmallIntegerField(
        _("riktvärde för ärendebelastning (viktade ärenden)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    protected_caseload_guideline = models.PositiveSmallIntegerField(
        _("skyddad ärendemängd första 12 månaderna (viktade ärenden)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Gäller den som har arbetat kortare tid än 12 månader i kommunen."),
    )
    case_retention_months = models.PositiveSmallIntegerField(
        _("gallring av avslutade ärenden (månader)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Avslutade handledda ärenden och deras genomgångar raderas så här många månader "
            "efter avslutet, enligt kommunens dokumenthanteringsplan."
        ),
    )

    class Meta:
        verbose_name = _("inställningar för mentorskap")
        verbose_name_plural = _("inställningar för mentorskap")
        constraints = [
            models.CheckConstraint(
                condition=Q(protected_caseload_guideline__lte=F("caseload_guideline")),
                name="settings_protected_caseload_not_above_guideline",
                violation_error_message=_(
                    "Den skyddade ärendemängden kan inte vara högre än riktvärdet."
                ),
            )
        ]

    def __str__(self):
        return str(self.organisation)

    def weight_for(self, risk_level: str):
        """The weight of one open case of this risk level in the caseload."""
        return getattr(self, f"weight_{risk_level}")


class MentorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_profile",
        verbose_name=_("mentor"),
    )
    years_experience = models.PositiveSmallIntegerField(
        _("år i yrket"), validators=[MaxValueValidator(60)]
    )
    specialisations = models.ManyToManyField(
        Specialisation, blank=True, related_name="mentors", verbose_name=_("inriktningar")
    )
    capacity = models.PositiveSmallIntegerField(
        _("antal adepter som mest"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    languages = models.JSONField(_("språk"), default=default_languages, blank=True)
    accepts_other_municipalities = models.BooleanField(
        _("tar emot adepter från andra kommuner i länet"), default=False
    )
    is_active = models.BooleanField(_("tar emot adepter"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentorsprofil")
        verbose_name_plural = _("mentorsprofiler")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=MAX_CAPACITY),
                name="mentorprofile_capacity_range",
                violation_error_message=CAPACITY_OUT_OF_RANGE,
            )
        ]

    def __str__(self):
        return str(self.user)

    def clean(self):
        from django.core.exceptions import ValidationError

        known = {code for code, _label in LANGUAGE_CHOICES}
        if not isinstance(self.languages, list) or not set(self.languages) <= known:
            raise ValidationError({"languages": _("Välj språk ur listan.")})


class MenteeNeeds(models.Model):
    """What a mentee adds to what their membership already says (unit, start, municipality)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentee_needs",
        verbose_name=_("adept"),
    )
    specialisations = models.ManyToManyField(
        Specialisation, blank=True, related_name="mentees", verbose_name=_("vill prata om")
    )
    wishes = models.TextField(_("önskemål"), blank=True, validators=[validate_no_identity_number])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("adeptens önskemål")
        verbose_name_plural = _("adepters önskemål")

    def __str__(self):
        return str(self.user)


class MatchingRun(models.Model):
    """One run of the matching (matchning), kept with its parameters and scores."""

    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="matching_runs",
        verbose_name=_("kommun"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="matching_runs",
        verbose_name=_("enhet"),
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("körd av"),
    )
    created_at = models.DateTimeField(_("körd"), default=timezone.now)
    parameters = models.JSONField(_("parametrar"), default=dict)
    total_score = models.FloatField(_("total poäng"), default=0)
    greedy_total_score = models.FloatField(
        _("poäng om var och en fått bästa lediga mentor i tur och ordning"), default=0
    )
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bekräftad av"),
    )

    class Meta:
        verbose_name = _("matchning")
        verbose_name_plural = _("matchningar")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organisation} {format_date(self.created_at, DateStyle.DATE_TIME)}"


class MatchProposal(models.Model):
    run = models.ForeignKey(
        MatchingRun, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("körning")
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("adept"),
    )
    score = models.FloatField(_("poäng"))
    reasons = models.JSONField(_("skäl"), default=list)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("justerad av"),
    )

    class Meta:
        verbose_name = _("matchningsförslag")
        verbose_name_plural = _("matchningsförslag")
        ordering = ["mentee__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="proposal_unique_run_mentee"),
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")),
                name="proposal_mentor_not_mentee",
                violation_error_message=MENTOR_IS_MENTEE,
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"

    @property
    def reason_texts(self) -> list[str]:
        """The reasons in the reader's language (stored as [msgid, values])."""
        from mentoring.matching import render_reason  # numpy and scipy only when needed

        return [render_reason(reason) for reason in self.reasons]


OPEN_STATUSES = ("proposed", "active", "paused")


class EndReason(models.TextChoices):
    """Why a mentorship ended (skäl till avslut)."""

    COMPLETED = "completed", _("Introduktionen är klar")
    CHANGE_OF_MENTOR = "change_of_mentor", _("Byte av mentor")
    MENTOR_LEFT = "mentor_left", _("Mentorn har slutat eller bytt tjänst")
    MENTEE_LEFT = "mentee_left", _("Adepten har slutat eller bytt tjänst")
    NOT_WORKING = "not_working", _("Samarbetet fungerade inte")
    OTHER = "other", _("Annat skäl")


class Mentorship(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Föreslaget")
        ACTIVE = "active", _("Pågår")
        PAUSED = "paused", _("Pausat")
        ENDED = "ended", _("Avslutat")
        DECLINED = "declined", _("Avböjt")

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorships_as_mentor",
        verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorships_as_mentee",
        verbose_name=_("adept"),
    )
    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="mentorships",
        verbose_name=_("adeptens kommun"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    proposal = models.OneToOneField(
        MatchProposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorship",
        verbose_name=_("förslag"),
    )
    goals = models.TextField(_("mål"), blank=True, validators=[validate_no_identity_number])
    planned_frequency_days = models.PositiveSmallIntegerField(
        _("planerad frekvens (dagar)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text=_("Lämna tomt för standard: varje vecka, varannan vecka, sedan varje månad."),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("slut"), null=True, blank=True)
    mentor_accepted_at = models.DateTimeField(_("mentorn tackade ja"), null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(_("adepten tackade ja"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avböjt av"),
    )
    decline_reason = models.TextField(
        _("skäl"), blank=True, validators=[validate_no_identity_number]
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    # Ending (avslut): why, by whom, and which mentorship took over after a change of mentor,
    # so the mentee's history shows the whole chain.
    end_reason = models.CharField(
        _("skäl till avslut"), max_length=24, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(
        _("kommentar till avslutet"), blank=True, validators=[validate_no_identity_number]
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avslutat av"),
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successor",
        verbose_name=_("ersätter"),
    )
    # The next booked meeting (nästa träff): a time and a place or link, never client data.
    next_meeting_date = models.DateField(_("nästa träff, datum"), null=True, blank=True)
    next_meeting_time = models.TimeField(_("nästa träff, tid"), null=True, blank=True)
    next_meeting_place = models.CharField(
        _("nästa träff, plats eller länk"),
        max_length=300,
        blank=True,
        validators=[validate_no_identity_number],
    )

    class Meta:
        verbose_name = _("mentorskap")
        verbose_name_plural = _("mentorskap")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")),
                name="mentorship_mentor_not_mentee",
                violation_error_message=MENTOR_IS_MENTEE,
            ),
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=Q(status__in=OPEN_STATUSES),
                name="mentorship_one_open_per_pair",
                violation_error_message=PAIR_ALREADY_OPEN,
            ),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=OPEN_STATUSES),
                name="mentorship_one_open_per_mentee",
                violation_error_message=MENTEE_ALREADY_MATCHED,
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(start_date__isnull=False),
                name="mentorship_active_has_start",
                violation_error_message=ACTIVE_NEEDS_START,
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="mentorship_end_after_start",
                violation_error_message=END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(next_meeting_time__isnull=True) | Q(next_meeting_date__isnull=False),
                name="mentorship_meeting_time_has_date",
                violation_error_message=MEETING_TIME_NEEDS_DATE,
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.mentor_id and self.mentor_id == self.mentee_id:
            raise ValidationError(_("En mentor kan inte vara sin egen adept."))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_ended(self) -> bool:
        return self.status == self.Status.ENDED

    @property
    def has_booked_meeting(self) -> bool:
        """A meeting booked for today or later (a past booking is history, not a plan)."""
        return self.next_meeting_date is not None and self.next_meeting_date >= timezone.localdate()


class SupervisionSession(models.Model):
    """A logged supervision session (handledningssamtal); notes are for the two of them only."""

    class Kind(models.TextChoices):
        MENTORING = "mentoring", _("Mentorsamtal")
        CASE = "case", _("Ärendehandledning")
        GROUP = "group", _("Grupphandledning")
        # Logged from an incident (safety app), which links the session; notes stay the pair's.
        DEBRIEF = "debrief", _("Avlastningssamtal efter händelse")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("På plats")
        VIDEO = "video", _("Video")
        PHONE = "phone", _("Telefon")

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("mentorskap")
    )
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.MENTORING)
    date = models.DateField(_("datum"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("längd (minuter)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)],
    )
    format = models.CharField(
        _("form"), max_length=16, choices=Format.choices, default=Format.IN_PERSON
    )
    topics = models.ManyToManyField(
        SessionTopic, blank=True, related_name="sessions", verbose_name=_("ämnen")
    )
    modules = models.ManyToManyField(
        "content.ModulePage", blank=True, related_name="+", verbose_name=_("moduler som togs upp")
    )
    notes = models.TextField(
        _("anteckningar"), blank=True, validators=[validate_no_identity_number]
    )
    agreed_actions = models.TextField(
        _("överenskomna åtgärder"), blank=True, validators=[validate_no_identity_number]
    )
    mentee_reflection = models.TextField(
        _("adeptens reflektion"), blank=True, validators=[validate_no_identity_number]
    )
    confirmed_at = models.DateTimeField(_("bekräftat av adepten"), null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("loggat av"),
    )
    created_at = models.DateTimeField(_("loggat"), default=timezone.now)

    class Meta:
        verbose_name = _("handledningssamtal")
        verbose_name_plural = _("handledningssamtal")
        ordering = ["-date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=MAX_SESSION_MINUTES),
                name="session_duration_range",
                violation_error_message=SESSION_DURATION_OUT_OF_RANGE,
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {format_date(self.date)}"


class AgendaItem(models.Model):
    """ "Att ta upp med din mentor": a reflection prompt from a module the mentee completed."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("mentorskap")
    )
    module = models.ForeignKey(
        "content.ModulePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("modul")
    )
    position = models.PositiveSmallIntegerField(_("frågans nummer i modulen"))
    prompt = models.TextField(_("reflektionsfråga"), validators=[validate_no_identity_number])
    discussed_in = models.ForeignKey(
        SupervisionSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("togs upp i"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("punkt att ta upp")
        verbose_name_plural = _("att ta upp med din mentor")
        ordering = ["created_at", "module_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "module", "position"], name="agenda_unique_prompt"
            )
        ]

    def __str__(self):
        return self.prompt


class Reminder(models.Model):
    """A reminder that was sent; the unique key makes sending idempotent across retries."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("Dags för samtal")

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("mentorskap")
    )
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("gäller datum"))
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "kind", "date"], name="reminder_unique_key"
            )
        ]

    def __str__(self):
        return f"{self.mentorship} {self.get_kind_display()} {format_date(self.date)}"


class MentorChangeRequest(models.Model):
    """The mentee's private request for another mentor (önskemål om byte av mentor): read by the
    municipal admin and the mentee's managers, never by the mentor."""

    class Status(models.TextChoices):
        OPEN = "open", _("Väntar på beslut")
        CHANGED = "changed", _("Mentorn är bytt")
        ENDED = "ended", _("Mentorskapet är avslutat")
        CLOSED = "closed", _("Avslutad utan byte")

    mentorship = models.ForeignKey(
        Mentorship,
        on_delete=models.CASCADE,
        related_name="change_requests",
        verbose_name=_("mentorskap"),
    )
    reason = models.TextField(
        _("vad du vill att vi ska veta"), blank=True, validators=[validate_no_identity_number]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("skickad"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hanterad av"),
    )
    handled_at = models.DateTimeField(_("hanterad"), null=True, blank=True)

    class Meta:
        verbose_name = _("önskemål om byte av mentor")
        verbose_name_plural = _("önskemål om byte av mentor")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship"],
                condition=Q(status="open"),
                name="changerequest_one_open_per_mentorship",
                violation_error_message=ONE_OPEN_CHANGE_REQUEST,
            )
        ]

    def __str__(self):
        return str(self.mentorship)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
