"""Wagtail's user admin for our User: full name and language instead of first and last name.

People normally arrive through a municipal admin's invitation; this admin is for superusers.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import EditView as WagtailEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from people import open_work
from people.models import User
from people.staff import set_account_active
from people.validators import validate_no_identity_number

_REPLACED = {"first_name", "last_name"}
_ADDED = {"full_name", "preferred_language"}


class AdminUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(
        label=_("Fullständigt namn"), max_length=200, validators=[validate_no_identity_number]
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = (UserCreationForm.Meta.fields - _REPLACED) | _ADDED


class AdminUserEditForm(UserEditForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(
        label=_("Fullständigt namn"), max_length=200, validators=[validate_no_identity_number]
    )

    class Meta(UserEditForm.Meta):
        model = User
        fields = (UserEditForm.Meta.fields - _REPLACED) | _ADDED

    @property
    def active_change(self) -> bool | None:
        """True or False when the "active" box was switched, None when it was left alone."""
        if "is_active" not in self.fields or "is_active" not in self.changed_data:
            return None
        return self.cleaned_data["is_active"]

    def clean(self):
        cleaned = super().clean()
        # The open work, listed, before anything is saved; the service checks again under lock.
        if self.active_change is False:
            try:
                open_work.refuse_if_open_work(self.instance)
            except ValidationError as error:
                self.add_error("is_active", error)
        return cleaned


class EditView(WagtailEditView):
    """Switching "active" goes through the staff service, as the municipal admin's
    deactivation does: a bare save of is_active would close the account without the end of
    employment follow-up counts by, and with the person's open work left hanging."""

    def save_instance(self):
        active = self.form.active_change
        if active is None:
            return super().save_instance()
        self.form.instance.is_active = not active
        user = super().save_instance()
        return set_account_active(self.request.user, person=user, active=active)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            # Open work that arrived between the form's check and the save: nothing was saved.
            form.add_error("is_active", error)
            return self.form_invalid(form)


class UserViewSet(WagtailUserViewSet):
    create_template_name = "people/wagtail_users/create.html"
    edit_template_name = "people/wagtail_users/edit.html"
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm
