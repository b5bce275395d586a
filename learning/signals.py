from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from people.models import Membership, Role


@receiver(post_save, sender=Membership)
def schedule_onboarding(sender, instance, **kwargs):
    # A new hire's membership (new, or with a changed start date) gets its onboarding plan
    # applied by a worker once the membership is committed; the task is idempotent.
    if instance.role == Role.NEW_HIRE:
        from learning.tasks import apply_onboarding_plan

        pk = instance.pk
        transaction.on_commit(lambda: apply_onboarding_plan.delay(pk))
