import contextlib

from django.core.exceptions import ValidationError
from wagtail import hooks

from content.models import ModulePage
from learning import services


@hooks.register("before_serve_page")
def record_module_opened(page, request, serve_args, serve_kwargs):
    # Opening a module marks it started (påbörjad) for an enrolled learner; others just read.
    if isinstance(page, ModulePage) and request.user.is_authenticated:
        with contextlib.suppress(ValidationError):
            services.open_module(request.user, module=page)
    return None
