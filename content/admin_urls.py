"""Wagtail's admin URLs with one repair: a chooser's "chosen" views answer 404, not 500, for an
id that cannot be an id.

Wagtail's generic choosers (images, documents, snippets, and any chooser a viewset adds) take the
object's id from the path (`chosen/<str:pk>/`) or from `?id=` (the multiple choice) and hand it
straight to the database lookup; `chosen/x/` raises ValueError in the int conversion, so a
mistyped or tampered link gave an editor a 500. Each such view is wrapped once, at import, to
check the ids against the model's primary key first (so a UUID key takes UUIDs) and answer 404
otherwise. tests/content/test_admin_choosers.py asks every chooser the admin has."""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import URLPattern, URLResolver
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.generic.chooser import ChosenMultipleViewMixin, ChosenViewMixin
from wagtail.coreutils import resolve_model_string

CHOSEN_VIEWS = (ChosenViewMixin, ChosenMultipleViewMixin)


def _model_of(view):
    model = view.view_initkwargs.get("model") or view.view_class.model
    return resolve_model_string(model) if model else None


def _guarded(view, model):
    @wraps(view)
    def chosen(request, *args, **kwargs):
        ids = [kwargs["pk"]] if "pk" in kwargs else request.GET.getlist("id")
        try:
            for pk in ids:
                model._meta.pk.to_python(unquote(str(pk)))
        except ValidationError as error:
            raise Http404 from error
        return view(request, *args, **kwargs)

    chosen.guarded_ids = True
    return chosen


def chosen_views(patterns):
    """(pattern, view class) of every chooser "chosen" view under these patterns."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from chosen_views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is not None and issubclass(view_class, CHOSEN_VIEWS):
                yield pattern, view_class


def _guard(patterns):
    for pattern, _view_class in chosen_views(patterns):
        model = _model_of(pattern.callback)
        if model is not None and not getattr(pattern.callback, "guarded_ids", False):
            pattern.callback = _guarded(pattern.callback, model)


_guard(wagtailadmin_urls.urlpatterns)
urlpatterns = wagtailadmin_urls.urlpatterns
