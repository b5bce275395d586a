"""Onboarding plans in the Wagtail admin, scoped: a municipal admin sees and edits only their
own municipality's plan; curriculum editors and superusers also keep the national default."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views

from learning.models import OnboardingPlan
from people import permissions
from people.models import Organisation


def _sees_all(user) -> bool:
    return user.is_superuser or permissions.can_edit_curriculum(user)


class PlanPermissionPolicy(ModelPermissionPolicy):
    def _in_scope(self, user, instance) -> bool:
        if _sees_all(user):
            return True
        return instance.organisation_id in permissions.administered_organisation_ids(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(user, action, instance) and self._in_scope(
            user, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(
            user, actions, instance
        ) and self._in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if _sees_all(user):
            return instances
        return instances.filter(organisation_id__in=permissions.administered_organisation_ids(user))


plan_permission_policy = PlanPermissionPolicy(OnboardingPlan)


class PlanForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not _sees_all(user) and "organisation" in self.fields:
            field = self.fields["organisation"]
            field.queryset = Organisation.objects.filter(
                pk__in=permissions.administered_organisation_ids(user)
            )
            field.required = True
            field.empty_label = None


class InScopeMixin:
    """Wagtail's object views check the model permission only; this adds the municipality."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not plan_permission_policy._in_scope(self.request.user, obj):
            raise Http404
        return obj


def _scoped(view_class):
    return type(f"Scoped{view_class.__name__}", (InScopeMixin, view_class), {})


class OnboardingPlanViewSet(snippet_views.SnippetViewSet):
    model = OnboardingPlan
    icon = "list-ol"
    menu_label = _("Introduktionsplaner")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "organisation"]
    edit_view_class = _scoped(snippet_views.EditView)
    delete_view_class = _scoped(snippet_views.DeleteView)
    copy_view_class = _scoped(snippet_views.CopyView)
    usage_view_class = _scoped(snippet_views.UsageView)
    history_view_class = _scoped(snippet_views.HistoryView)
    inspect_view_class = _scoped(snippet_views.InspectView)
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

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type("ScopedPlanForm", (PlanForm, form_class), {})

    def get_queryset(self, request):
        return plan_permission_policy.instances_user_has_any_permission_for(
            request.user, {"change", "view", "delete"}
        )
