from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a municipal admin's invitation; public sign-up is closed."""

    def is_open_for_signup(self, request):
        return False


class MFAAdapter(DefaultMFAAdapter):
    """Roles that must use two-step verification cannot remove their authenticator."""

    def can_delete_authenticator(self, authenticator) -> bool:
        from people.permissions import requires_mfa

        return not requires_mfa(authenticator.user)
