"""Users, municipalities (kommuner), units (enheter) and memberships with roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from core.dates import DateStyle, format_date
from people.validators import validate_no_identity_number


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in with their email address; there are no usernames."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-postadress"), unique=True)
    full_name = models.CharField(
        _("fullständigt namn"), max_length=200, validators=[validate_no_identity_number]
    )
    preferred_language = models.CharField(
        _("språk"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    receives_digest = models.BooleanField(
        _("veckosammanfattning via e-post"),
        default=True,
        help_text=_("Chefer får varje vecka en sammanfattning av hur det går för enheten."),
    )
    # The day the account was closed (deactivated, invitation revoked, anonymised): follow-up
    # counts a new hire as retained (kvar) by it. Set only by people.staff.close_account and
    # cleared on reactivation, so is_active and this date never disagree.
    employment_ended_on = models.DateField(_("anställningen upphörde"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.get_full_name()

    def get_full_name(self):
        # The stored name of an anonymised person is in the language of whoever anonymised
        # them; the reader gets it in theirs.
        if self.is_anonymised:
            return str(_("Anonymiserad person"))
        return self.full_name or self.email

    @staticmethod
    def full_name_expression() -> models.Func:
        """get_full_name() in SQL, for reads that name people without loading them."""
        return Coalesce(
            NullIf("full_name", models.Value("")), "email", output_field=models.CharField()
        )

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]

    @property
    def is_anonymised(self) -> bool:
        return self.email.endswith(ANONYMISED_EMAIL_DOMAIN)

    @property
    def staff_status(self) -> "StaffStatus":
        """Where the person's account stands, as the staff list shows and filters it."""
        if self.is_anonymised:
            return StaffStatus.ANONYMISED
        if not self.is_active:
            return StaffStatus.DEACTIVATED
        if not self.has_usable_password():
            return StaffStatus.INVITED
        return StaffStatus.ACTIVE

    @property
    def is_invited(self) -> bool:
        return self.staff_status == StaffStatus.INVITED

    @property
    def is_deactivated(self) -> bool:
        return self.staff_status == StaffStatus.DEACTIVATED

    @property
    def display_email(self) -> str:
        """The address to show: none for an anonymised person (it is a random placeholder)."""
        return "" if self.is_anonymised else self.email


# The address an anonymised account gets (people.personal_data.anonymise_person): a random
# local part at a domain that can never receive mail.
ANONYMISED_EMAIL_DOMAIN = "@anonymiserad.invalid"


class StaffStatus(models.TextChoices):
    """An account's state on the staff list (Personal): not stored, read from the account."""

    ACTIVE = "aktiv", _("Aktivt")
    INVITED = "inbjuden", _("Inbjuden")
    DEACTIVATED = "avaktiverad", _("Avaktiverad")
    ANONYMISED = "anonymiserad", _("Anonymiserad")


class County(models.Model):
    """A county (län): the area a county coordinator (länssamordnare) follows up."""

    name = models.CharField(
        _("namn"), max_length=120, unique=True, validators=[validate_no_identity_number]
    )

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = _("län")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A municipality (kommun) in a county (län)."""

    name = models.CharField(
        _("namn"), max_length=120, unique=True, validators=[validate_no_identity_number]
    )
    county = models.CharField(_("län"), max_length=120, validators=[validate_no_identity_number])
    # The county as a record, for follow-up (uppföljning) by county; the text above stays what
    # mentor matching compares. The migration that added it linked every municipality by name.
    county_area = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("län (uppföljning)"),
    )

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A team inside a municipality, e.g. "Barn och unga – utredning"."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("kommun")
    )
    name = models.CharField(_("namn"), max_length=160, validators=[validate_no_identity_number])

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class Role(models.TextChoices):
    NEW_HIRE = "new_hire", _("Nyanställd socialsekreterare")
    SOCIAL_SECRETARY = "social_secretary", _("Socialsekreterare")
    MENTOR = "mentor", _("Mentor")
    MANAGER = "manager", _("Första linjens chef")
    EDITOR = "editor", _("Redaktör")
    MUNICIPAL_ADMIN = "municipal_admin", _("Kommunadministratör")
    COURSE_LEADER = "course_leader", _("Kursledare")


# Roles that belong to a unit; editors, municipal admins and course leaders work for the
# whole municipality.
UNIT_ROLES = (Role.NEW_HIRE, Role.SOCIAL_SECRETARY, Role.MENTOR, Role.MANAGER)
LEARNER_ROLES = (Role.NEW_HIRE, Role.SOCIAL_SECRETARY, Role.MENTOR, Role.MANAGER)
# The people a unit's manager follows (Mitt team, the weekly digest); other managers of the
# unit are colleagues, not team members.
TEAM_ROLES = (Role.NEW_HIRE, Role.SOCIAL_SECRETARY, Role.MENTOR)


# Messages for Membership's constraints, so a form that trips one says what to change.
ROLE_TAKEN_IN_UNIT = _("Personen har redan den rollen i enheten.")
ROLE_TAKEN_IN_MUNICIPALITY = _("Personen har redan den rollen i kommunen.")
ROLE_NEEDS_UNIT = _("Rollen gäller i en enhet: välj vilken.")


class Membership(models.Model):
    """A role in a municipality and, for unit roles, the unit (managers may have several)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("kommun"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("enhet"),
    )
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    start_date = models.DateField(_("startdatum"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["organisation__name", "unit__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_unique_unit_role",
                condition=Q(unit__isnull=False),
                violation_error_message=ROLE_TAKEN_IN_UNIT,
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique_org_role",
                condition=Q(unit__isnull=True),
                violation_error_message=ROLE_TAKEN_IN_MUNICIPALITY,
            ),
            models.CheckConstraint(
                condition=Q(role__in=["editor", "municipal_admin", "course_leader"])
                | Q(unit__isnull=False),
                name="membership_unit_role_has_unit",
                violation_error_message=ROLE_NEEDS_UNIT,
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role in UNIT_ROLES and not self.unit_id:
            raise ValidationError({"unit": _("Den här rollen kräver en enhet.")})
        if self.unit_id and self.unit.organisation_id != self.organisation_id:
            raise ValidationError({"unit": _("Enheten hör inte till kommunen.")})


class FollowUpLevel(models.TextChoices):
    COUNTY = "county", _("Länssamordnare")
    NATIONAL = "national", _("Nationell uppföljning")


COUNTY_LEVEL_NEEDS_COUNTY = _("En länssamordnare följer upp ett län: välj vilket.")
NATIONAL_LEVEL_HAS_NO_COUNTY = _("Nationell uppföljning gäller hela landet: lämna länet tomt.")
FOLLOW_UP_TAKEN = _("Personen har redan det uppdraget.")


class FollowUpAssignment(models.Model):
    """A follow-up role outside any municipality, given by the platform operator (superuser)
    in Django's admin: county coordinator (länssamordnare) for one county, or national
    follow-up (nationell uppföljning). Such a person sees figures, never a person or a case."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follow_up_assignments",
        verbose_name=_("person"),
    )
    level = models.CharField(_("uppdrag"), max_length=16, choices=FollowUpLevel.choices)
    county = models.ForeignKey(
        County,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_up_assignments",
        verbose_name=_("län"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uppföljningsuppdrag")
        verbose_name_plural = _("uppföljningsuppdrag")
        ordering = ["level", "county__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="national", county__isnull=True)
                | Q(level="county", county__isnull=False),
                name="follow_up_county_matches_level",
                violation_error_message=COUNTY_LEVEL_NEEDS_COUNTY,
            ),
            models.UniqueConstraint(
                Coalesce("county", models.Value(0)),
                "user",
                "level",
                name="follow_up_unique_assignment",
                violation_error_message=FOLLOW_UP_TAKEN,
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_level_display()} {self.county or ''}".strip()

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.level == FollowUpLevel.COUNTY and not self.county_id:
            raise ValidationError({"county": COUNTY_LEVEL_NEEDS_COUNTY})
        if self.level == FollowUpLevel.NATIONAL and self.county_id:
            raise ValidationError({"county": NATIONAL_LEVEL_HAS_NO_COUNTY})


# Wagtail admin groups that roles map to; created by content's migrations with page permissions.
EDITOR_GROUP_NAME = "Redaktörer"
MUNICIPAL_ADMIN_GROUP_NAME = "Kommunadministratörer"
ROLE_GROUPS = {Role.EDITOR: EDITOR_GROUP_NAME, Role.MUNICIPAL_ADMIN: MUNICIPAL_ADMIN_GROUP_NAME}


class AuditAction(models.TextChoices):
    READ = "read", _("Läsning")
    CREATE = "create", _("Skapande")
    UPDATE = "update", _("Ändring")
    DELETE = "delete", _("Radering")
    EXPORT = "export", _("Export")
    ROLE_CHANGE = "role_change", _("Rolländring")
    ANONYMISE = "anonymise", _("Anonymisering")
    INVITE = "invite", _("Inbjudan")


ANONYMISED_ACTOR = _("Anonymiserad person (id %(id)s)")


class AuditEvent(models.Model):
    """One append-only line of the audit log (granskningslogg): who did what to which record.

    The log names records by type and id only, never by content, so it holds no client data.
    """

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utförd av"),
    )
    # Kept as text so the line still names who acted if the account row is ever deleted;
    # anonymising the person blanks it (the line keeps their id in `actor`, not their name).
    actor_label = models.CharField(
        _("utförd av (namn)"), max_length=200, blank=True, validators=[validate_no_identity_number]
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="audit_events",
        verbose_name=_("kommun"),
    )
    action = models.CharField(_("händelse"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("posttyp"), max_length=64)
    object_id = models.CharField(_("post-id"), max_length=64, blank=True)
    # The person the line is about (the invited, the case holder, the mentee), read at display
    # time so that an anonymised person shows as such and the line needs no copy of the name.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gäller"),
    )
    # The values the description is composed from (role and unit name, previous values):
    # codes and names of units, never client data; the words come from translatable templates
    # in people.audit when the line is read, so the log reads in the reader's language.
    details = models.JSONField(_("detaljer"), default=dict, blank=True)
    summary = models.CharField(
        _("beskrivning"), max_length=240, blank=True, validators=[validate_no_identity_number]
    )

    class Meta:
        verbose_name = _("logghändelse")
        verbose_name_plural = _("granskningslogg")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_org_at")]

    def __str__(self):
        at = format_date(self.at, DateStyle.DATE_TIME)
        return f"{at} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")

    @property
    def actor_display(self) -> str:
        """Who acted, as the log shows it: an anonymised person as such, with their id (their
        name is gone from the line too, see anonymise_person); else the name kept on the line."""
        if self.actor_id is not None and self.actor.is_anonymised:
            return ANONYMISED_ACTOR % {"id": self.actor_id}
        return self.actor_label


class SubmittedForm(models.Model):
    """A form submission that has been acted on, keyed by the rendering it came from.

    The key is a hash of the person (or session) and the masked CSRF token of the page the
    form was rendered on: a second click, or a resubmit after going back, carries the same
    token and is recognised; a freshly loaded form carries a new one. The unique key makes the
    check hold across processes.
    """

    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("skickat formulär")
        verbose_name_plural = _("skickade formulär")

    def __str__(self):
        return self.key


class AccessibilityReport(models.Model):
    """A reported accessibility barrier (brist i tillgängligheten), which the law on
    accessibility of digital public services (2018:1937) requires a way to send in. It goes
    to the municipal admins of the reporter's municipality; without one, to the service's
    accessibility contact."""

    created_at = models.DateTimeField(_("inkommen"), auto_now_add=True, db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accessibility_reports",
        verbose_name=_("kommun"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inloggad rapportör"),
    )
    name = models.CharField(
        _("namn"), max_length=200, blank=True, validators=[validate_no_identity_number]
    )
    email = models.EmailField(_("e-postadress"), blank=True)
    page_url = models.CharField(
        _("sida"), max_length=500, blank=True, validators=[validate_no_identity_number]
    )
    description = models.TextField(
        _("beskrivning"), max_length=4000, validators=[validate_no_identity_number]
    )

    class Meta:
        verbose_name = _("rapporterad tillgänglighetsbrist")
        verbose_name_plural = _("rapporterade tillgänglighetsbrister")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{format_date(self.created_at)} {self.description[:60]}"
