import contextlib

from django.core.exceptions import ValidationError
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from content.models import ModulePage
from learning import selectors, services
from learning.models import OnboardingPlan
from learning.wagtail_admin import OnboardingPlanViewSet, plan_permission_policy


@hooks.register("before_serve_page")
def record_module_opened(page, request, serve_args, serve_kwargs):
    # Opening a module marks it started (påbörjad) for an enrolled learner; others just read.
    # The position is kept on the request so the page's template tags need not compute it again.
    if isinstance(page, ModulePage) and request.user.is_authenticated:
        position = selectors.module_position_for(request.user, module=page)
        request.module_position = position
        if position is not None and position.course.enrolment is not None:
            with contextlib.suppress(ValidationError):
                services.start_module(position)
    return None


register_permission_policy(OnboardingPlan, plan_permission_policy)
register_snippet(OnboardingPlanViewSet)
