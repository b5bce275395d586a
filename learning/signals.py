from django.db.models.signals import post_save
from django.dispatch import receiver

from core import outbox
from people.models import Membership, Role


@receiver(post_save, sender=Membership)
def schedule_onboarding(sender, instance, **kwargs):
    # A new hire's membership (new, or with a changed start date) gets its onboarding plan
    # applied through the outbox: the row commits with the membership, so a broker that is
    # down delays the plan but never loses it; applying it is idempotent.
    if instance.role == Role.NEW_HIRE:
        from learning.tasks import onboarding_plan

        outbox.enqueue(
            onboarding_plan,
            args={"membership_id": instance.pk},
            recipient_id=instance.user_id,
            organisation_id=instance.organisation_id,
            # add_membership saves twice in one transaction: one row is enough.
            coalesce=True,
        )
