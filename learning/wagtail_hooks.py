import contextlib

from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from content.models import ModulePage
from learning import permissions, selectors, services
from learning.models import OnboardingPlan
from learning.wagtail_admin import (
    CourseRunViewSet,
    ItemAnalysisIndexView,
    ItemAnalysisView,
    OnboardingPlanViewSet,
    plan_permission_policy,
)


@hooks.register("before_serve_page")
def record_module_opened(page, request, serve_args, serve_kwargs):
    # A GET that writes, on purpose: opening a module is the "started" (påbörjad) event the
    # learner, mentor and manager see. It is idempotent (one progress row per module, created
    # once), so a reload, a prefetch or a crawler with the learner's session changes nothing
    # more. Locked modules and people who are not enrolled only read.
    if isinstance(page, ModulePage) and request.user.is_authenticated:
        position = selectors.module_position_in_request(request, module=page)
        if position is not None and position.course.enrolment is not None:
            with contextlib.suppress(ValidationError):
                services.start_module(position)
    return None


register_permission_policy(OnboardingPlan, plan_permission_policy)
register_snippet(OnboardingPlanViewSet)
register_snippet(CourseRunViewSet)


@hooks.register("register_admin_urls")
def item_analysis_urls():
    return [
        path(
            "kunskapskontroller/",
            ItemAnalysisIndexView.as_view(),
            name="learning_item_analysis",
        ),
        path(
            "kunskapskontroller/<int:module_id>/",
            ItemAnalysisView.as_view(),
            name="learning_item_analysis_module",
        ),
    ]


class ItemAnalysisMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_see_item_analysis(request.user)


@hooks.register("register_reports_menu_item")
def item_analysis_menu_item():
    return ItemAnalysisMenuItem(
        _("Kunskapskontroller"), reverse("learning_item_analysis"), icon_name="help", order=900
    )
