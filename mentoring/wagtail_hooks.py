"""Mentoring settings in the Wagtail admin: each municipal admin sets their own municipality's
rules (mentor eligibility, reminder grace, caseload weights and guideline) and case types with
their risk levels; the taxonomies are national (superusers, editors)."""

from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from mentoring.models import CaseType, MentoringSettings, SessionTopic, Specialisation
from people.wagtail_scoping import OrganisationScopedPolicy, OrganisationScopedViewSet, YesNoColumn

settings_policy = OrganisationScopedPolicy(
    MentoringSettings, sees_all=lambda user: user.is_superuser
)
register_permission_policy(MentoringSettings, settings_policy)
case_type_policy = OrganisationScopedPolicy(CaseType, sees_all=lambda user: user.is_superuser)
register_permission_policy(CaseType, case_type_policy)


class MentoringSettingsViewSet(OrganisationScopedViewSet):
    model = MentoringSettings
    policy = settings_policy
    icon = "group"
    menu_label = _("Regler för mentorskap")
    list_display = [
        "organisation",
        "min_years_experience",
        "reminder_grace_days",
        "caseload_guideline",
        "protected_caseload_guideline",
        "case_retention_months",
    ]


class CaseTypeViewSet(OrganisationScopedViewSet):
    model = CaseType
    policy = case_type_policy
    icon = "folder-open-inverse"
    menu_label = _("Ärendetyper")
    list_display = [
        "name",
        "risk_level",
        YesNoColumn(
            "honour_related", label=CaseType._meta.get_field("honour_related").verbose_name
        ),
        YesNoColumn("is_active", label=CaseType._meta.get_field("is_active").verbose_name),
        "organisation",
    ]
    list_filter = ["risk_level", "is_active"]


class SpecialisationViewSet(SnippetViewSet):
    model = Specialisation
    icon = "tag"
    menu_label = _("Inriktningar")


class SessionTopicViewSet(SnippetViewSet):
    model = SessionTopic
    icon = "tag"
    menu_label = _("Samtalsämnen")


class MentoringViewSetGroup(SnippetViewSetGroup):
    items = (
        MentoringSettingsViewSet,
        CaseTypeViewSet,
        SpecialisationViewSet,
        SessionTopicViewSet,
    )
    menu_icon = "group"
    menu_label = _("Mentorskap")
    menu_order = 260


register_snippet(MentoringViewSetGroup)
