"""allauth's pages in our words (templates/account/, templates/mfa/).

allauth hands some of its wording to the templates as data, not as template text: the ways to
confirm who you are ("Use your password", "Send me a sign-in code") come from its adapter. The
template cannot translate them itself, so they are named here by their id."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

_REAUTHENTICATION_METHODS = {
    "reauthenticate": _("Med lösenordet"),
    "reauthenticate_by_code": _("Med en kod i e-posten"),
    "mfa_reauthenticate": _("Med tvåstegsverifiering"),
}


@register.filter
def reauthentication_method(method: dict) -> str:
    """Our name for one of allauth's reauthentication methods (its dict from the adapter)."""
    return str(_REAUTHENTICATION_METHODS.get(method.get("id", ""), method.get("description", "")))
