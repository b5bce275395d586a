"""Municipality-scoped objects in the Wagtail admin.

Wagtail checks model permissions; objects that belong to a municipality (`organisation`) also
need the instance checked: a municipal admin sees and edits only their own municipality's
objects, and gets a 404 for any other. Who sees everything is decided per model.
"""

from collections.abc import Callable

from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views

from people import permissions
from people.models import Organisation


class OrganisationScopedPolicy(ModelPermissionPolicy):
    def __init__(self, model, *, sees_all: Callable, auth_model=None):
        super().__init__(model, auth_model=auth_model)
        self.sees_all = sees_all

    def in_scope(self, user, instance) -> bool:
        if self.sees_all(user):
            return True
        return instance.organisation_id in permissions.administered_organisation_ids(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(user, action, instance) and self.in_scope(
            user, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(
            user, actions, instance
        ) and self.in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if self.sees_all(user):
            return instances
        return instances.filter(organisation_id__in=permissions.administered_organisation_ids(user))


class _InScopeMixin:
    policy: OrganisationScopedPolicy

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.policy.in_scope(self.request.user, obj):
            raise Http404
        return obj


class OrganisationScopedViewSet(snippet_views.SnippetViewSet):
    """A snippet viewset whose every view, list and form is limited to the user's scope."""

    policy: OrganisationScopedPolicy

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("edit", "delete", "copy", "usage", "history", "inspect"):
            view_class = getattr(self, f"{name}_view_class")
            scoped = type(
                f"Scoped{view_class.__name__}",
                (_InScopeMixin, view_class),
                {"policy": self.policy},
            )
            setattr(self, f"{name}_view_class", scoped)

    def get_queryset(self, request):
        return self.policy.instances_user_has_any_permission_for(
            request.user, {"change", "view", "delete"}
        )

    def get_form_class(self, for_update=False):
        policy = self.policy

        class ScopedForm(super().get_form_class(for_update)):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                user = self.for_user
                field = self.fields.get("organisation")
                if user is not None and field is not None and not policy.sees_all(user):
                    field.queryset = Organisation.objects.filter(
                        pk__in=permissions.administered_organisation_ids(user)
                    )
                    field.required = True
                    field.empty_label = None

        return ScopedForm
