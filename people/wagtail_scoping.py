"""Municipality-scoped objects in the Wagtail admin.

Wagtail checks model permissions; objects that belong to a municipality (`organisation`) also
need the instance checked: a municipal admin sees and edits only their own municipality's
objects, and gets a 404 for any other. Who sees everything is decided per model. The same scope
applies wherever Wagtail lists such objects: the listing, the chooser and the bulk actions'
confirmation pages.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_list_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views

from people import permissions
from people.models import Organisation


class OrganisationScopedPolicy(ModelPermissionPolicy):
    def __init__(self, model, *, sees_all: Callable, auth_model=None):
        super().__init__(model, auth_model=auth_model)
        self.sees_all = sees_all

    def organisation_ids(self, user) -> set[int] | None:
        """The municipalities whose objects the user reaches here; None for all of them. The
        one home of the rule: the listing, the chooser, the bulk actions and the single-object
        views all ask it."""
        if self.sees_all(user):
            return None
        return permissions.administered_organisation_ids(user)

    def scope(self, user, queryset: QuerySet) -> QuerySet:
        organisation_ids = self.organisation_ids(user)
        if organisation_ids is None:
            return queryset
        return queryset.filter(organisation_id__in=organisation_ids)

    def in_scope(self, user, instance) -> bool:
        organisation_ids = self.organisation_ids(user)
        return organisation_ids is None or instance.organisation_id in organisation_ids

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(user, action, instance) and self.in_scope(
            user, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(
            user, actions, instance
        ) and self.in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.scope(user, super().instances_user_has_any_permission_for(user, actions))


def scope_queryset(user, queryset: QuerySet) -> QuerySet:
    """The rows of a queryset the user may see in the Wagtail admin: for a model with a
    municipality-scoped policy, only their own municipalities' (all for those who see all);
    other models unchanged."""
    policy = policy_registry.get_by_type(queryset.model)
    if isinstance(policy, OrganisationScopedPolicy):
        return policy.scope(user, queryset)
    return queryset


class _ScopedListMixin:
    def get_object_list(self):
        return scope_queryset(self.request.user, super().get_object_list())


class ScopedChooseView(_ScopedListMixin, chooser_views.ChooseView):
    pass


class ScopedChooseResultsView(_ScopedListMixin, chooser_views.ChooseResultsView):
    pass


class ScopedChosenView(chooser_views.SnippetChosenView):
    def get_object(self, pk):
        return scope_queryset(self.request.user, self.model_class.objects.all()).get(pk=pk)


class ScopedChosenMultipleView(chooser_views.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return scope_queryset(self.request.user, self.model_class.objects.filter(pk__in=pks))


class ScopedSnippetChooserViewSet(chooser_views.SnippetChooserViewSet):
    """The chooser modal lists, and answers for, only the objects in the user's scope."""

    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


class ScopedDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete for snippets, whose confirmation page names every selected object,
    including those the user may not delete ("you do not have permission for: …"). Objects out
    of the user's scope are left out altogether, as the listing leaves them out: a municipal
    admin who puts another municipality's ids in the address gets a 404, not their names."""

    def get_queryset(self, model, object_ids):
        return get_list_or_404(
            scope_queryset(self.request.user, model.objects.all()), pk__in=object_ids
        )

    def get_all_objects_in_listing_query(self, parent_id):
        return scope_queryset(self.request.user, self.model.objects.all()).values_list(
            "pk", flat=True
        )


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
    chooser_viewset_class = ScopedSnippetChooserViewSet

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


class YesNoColumn(Column):
    """A boolean as "Ja"/"Nej" in a Wagtail listing (its own column shows "True"/"False")."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if value is None:
            return ""
        return _("Ja") if value else _("Nej")
