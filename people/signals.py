from allauth.account.internal.flows.login import record_authentication
from allauth.account.signals import password_reset
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from people import services
from people.middleware import SessionLifetimeMiddleware


@receiver(password_reset)
def verify_email_on_password_reset(sender, request, user, **kwargs):
    # The invitation link was sent to this address, so using it proves the person controls it.
    services.mark_email_verified(user)


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    # The absolute and idle session limits count from here (people.middleware).
    SessionLifetimeMiddleware.start(request.session)


@receiver(authenticator_added)
def count_set_up_as_used(sender, request, user, authenticator, **kwargs):
    # Setting up an authenticator means typing a code from it, in a session that is already
    # logged in with the password: both factors, so the person need not wait for the next
    # code to go on (people.middleware.MFARequiredMiddleware reads allauth's session record).
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
    )
