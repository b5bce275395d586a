from allauth.account.signals import password_reset
from django.dispatch import receiver

from people import services


@receiver(password_reset)
def verify_email_on_password_reset(sender, request, user, **kwargs):
    # The invitation link was sent to this address, so using it proves the person controls it.
    services.mark_email_verified(user)
