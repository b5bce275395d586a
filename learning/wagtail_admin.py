"""Onboarding plans in the Wagtail admin: a municipal admin sees and edits only their own
municipality's plan; curriculum editors and superusers also keep the national default."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel

from learning.models import OnboardingPlan
from people import permissions
from people.wagtail_scoping import OrganisationScopedPolicy, OrganisationScopedViewSet


def _sees_all(user) -> bool:
    return user.is_superuser or permissions.can_edit_curriculum(user)


plan_permission_policy = OrganisationScopedPolicy(OnboardingPlan, sees_all=_sees_all)


class OnboardingPlanViewSet(OrganisationScopedViewSet):
    model = OnboardingPlan
    policy = plan_permission_policy
    icon = "list-ol"
    menu_label = _("Introduktionsplaner")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "organisation"]
    panels = [
        FieldPanel("name"),
        FieldPanel("organisation"),
        InlinePanel("courses", heading=_("Kurser"), label=_("Kurs"), min_num=1),
        InlinePanel(
            "modules",
            heading=_("Egna tidsgränser för moduler"),
            label=_("Modul"),
            panels=[
                PageChooserPanel("module", page_type="content.ModulePage"),
                FieldPanel("due_days"),
            ],
        ),
    ]
