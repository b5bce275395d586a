"""allauth's two-step forms, with what our pages need to say and decide (issue 17).

Registered through ``MFA_FORMS`` in settings; allauth's views stay as they are."""

from allauth.mfa.recovery_codes.forms import GenerateRecoveryCodesForm as _GenerateRecoveryCodesForm
from allauth.mfa.recovery_codes.internal.flows import can_generate_recovery_codes
from allauth.mfa.totp.forms import ActivateTOTPForm as _ActivateTOTPForm
from django.utils.translation import gettext_lazy as _


class ActivateTOTPForm(_ActivateTOTPForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # allauth's Swedish names it "Autentiseringskod"; the page asks for the app's code.
        self.fields["code"].label = _("Koden från appen")


class GenerateRecoveryCodesForm(_GenerateRecoveryCodesForm):
    @property
    def may_generate(self) -> bool:
        """Whether the page offers the button: new codes need an app (allauth refuses on POST
        alone, which left a card with nothing in it but the button for someone without one)."""
        return can_generate_recovery_codes(self.user)
