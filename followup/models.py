"""Follow-up (uppföljning): per-quarter facts per unit, precomputed so that pages add up
numbers instead of scanning progress rows, and the cooperation groups (samverkansgrupper) a
county coordinator defines."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.validators import validate_no_identity_number


class CooperationGroup(models.Model):
    """Small municipalities of one county that are followed up together (samverkansgrupp).
    A municipality belongs to at most one group, so the groups never overlap and a group's
    figure cannot be subtracted from another's to reveal a small municipality."""

    county = models.ForeignKey(
        "people.County",
        on_delete=models.CASCADE,
        related_name="cooperation_groups",
        verbose_name=_("län"),
    )
    name = models.CharField(_("namn"), max_length=120, validators=[validate_no_identity_number])
    municipalities = models.ManyToManyField(
        "people.Organisation",
        through="CooperationMember",
        related_name="+",
        verbose_name=_("kommuner"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("samverkansgrupp")
        verbose_name_plural = _("samverkansgrupper")
        ordering = ["county__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="cooperation_group_unique_name",
                violation_error_message=_("Det finns redan en samverkansgrupp med det namnet."),
            )
        ]

    def __str__(self):
        return self.name


class CooperationMember(models.Model):
    group = models.ForeignKey(CooperationGroup, on_delete=models.CASCADE, related_name="members")
    organisation = models.OneToOneField(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="cooperation_membership",
        verbose_name=_("kommun"),
    )

    class Meta:
        verbose_name = _("kommun i samverkansgrupp")
        verbose_name_plural = _("kommuner i samverkansgrupper")

    def __str__(self):
        return f"{self.organisation} – {self.group}"


class QuarterFact(models.Model):
    """One indicator's raw counts for one unit and one quarter (kvartal), written by
    followup.services.refresh_quarter_facts. `people` is how many persons stand behind the
    figure: what disclosure control (röjandeskydd) counts. A median keeps its values so that
    a larger area's median is taken over all of them, not over the units' medians."""

    unit = models.ForeignKey(
        "people.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("enhet")
    )
    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("kommun"),
    )
    quarter = models.DateField(_("kvartalets första dag"))
    indicator = models.CharField(
        _("indikator"), max_length=40, validators=[validate_no_identity_number]
    )
    numerator = models.IntegerField(_("täljare"), default=0)
    denominator = models.IntegerField(_("nämnare"), default=0)
    people = models.IntegerField(_("antal personer"), default=0)
    values = models.JSONField(_("värden"), default=list, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kvartalsuppgift")
        verbose_name_plural = _("kvartalsuppgifter")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "quarter", "indicator"], name="quarter_fact_unique"
            )
        ]
        indexes = [
            models.Index(fields=["quarter", "indicator"], name="quarter_fact_quarter"),
            models.Index(fields=["organisation", "quarter"], name="quarter_fact_org"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.quarter} {self.indicator}"
