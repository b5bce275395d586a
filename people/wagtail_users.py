"""Wagtail's user admin for our User: full name and language instead of first and last name.

People normally arrive through a municipal admin's invitation; this admin is for superusers.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from people.models import User
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


class UserViewSet(WagtailUserViewSet):
    create_template_name = "people/wagtail_users/create.html"
    edit_template_name = "people/wagtail_users/edit.html"

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm
