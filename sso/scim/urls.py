from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

app_name = "scim"


def _on_first_request(name: str):
    """The view sso.scim.views.<name>, imported when a SCIM request first arrives.

    Importing scim2-models builds its generic pydantic models and reads their source files for
    the attribute docstrings: django.setup() and the URLconf took 2.23 s of CPU with it and
    1.39 s without (min of 3 fresh processes each, load 4 on 2 cores). Every process that
    loaded the URLconf paid it (each web and test worker, each Celery worker, each manage.py
    command), though only the directory's connector calls these URLs. Now the first SCIM
    request in a process pays 0.66 s once; the next ones 1 ms, as before.

    The endpoint is token-authenticated, never by session, so CSRF does not apply: the
    exemption is on this callback, because it is what the CSRF middleware looks at."""

    @csrf_exempt
    def view(request, *args, **kwargs):
        from sso.scim import views

        return getattr(views, name)(request, *args, **kwargs)

    view.__name__ = view.__qualname__ = name
    view.__module__ = "sso.scim.views"
    return view


urlpatterns = [
    path("", _on_first_request("root"), name="root"),
    path("Users", _on_first_request("users"), name="users"),
    path("Users/<str:resource_id>", _on_first_request("user"), name="user"),
    path("Groups", _on_first_request("groups"), name="groups"),
    path("Groups/<str:resource_id>", _on_first_request("group"), name="group"),
    path(
        "ServiceProviderConfig",
        _on_first_request("service_provider_config"),
        name="service_provider_config",
    ),
    path("ResourceTypes", _on_first_request("resource_types"), name="resource_types"),
    path(
        "ResourceTypes/<str:resource_id>", _on_first_request("resource_types"), name="resource_type"
    ),
    path("Schemas", _on_first_request("schemas"), name="schemas"),
    path("Schemas/<str:resource_id>", _on_first_request("schemas"), name="schema"),
    # Anything else under /scim/v2/ is a SCIM 404 (after the token), not the site's pages.
    re_path(r"^.+$", _on_first_request("root"), name="unknown"),
]
