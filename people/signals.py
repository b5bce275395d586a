from allauth.account.signals import password_reset
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
