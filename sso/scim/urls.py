from django.urls import path, re_path

from sso.scim import views

app_name = "scim"
urlpatterns = [
    path("", views.root, name="root"),
    path("Users", views.users, name="users"),
    path("Users/<str:resource_id>", views.user, name="user"),
    path("Groups", views.groups, name="groups"),
    path("Groups/<str:resource_id>", views.group, name="group"),
    path("ServiceProviderConfig", views.service_provider_config, name="service_provider_config"),
    path("ResourceTypes", views.resource_types, name="resource_types"),
    path("ResourceTypes/<str:resource_id>", views.resource_types, name="resource_type"),
    path("Schemas", views.schemas, name="schemas"),
    path("Schemas/<str:resource_id>", views.schemas, name="schema"),
    # Anything else under /scim/v2/ is a SCIM 404 (after the token), not the site's pages.
    re_path(r"^.+$", views.root, name="unknown"),
]
