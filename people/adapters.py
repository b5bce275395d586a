from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a municipal admin's invitation; public sign-up is closed."""

    def is_open_for_signup(self, request):
        return False
