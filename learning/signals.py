from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from content.models import CoursePage, ModulePage
from core import outbox
from learning import tallies
from learning.models import Enrolment, ModuleDeadline, ModuleProgress
from people.models import Membership, Role


@receiver(post_save, sender=Membership)
def schedule_onboarding(sender, instance, created, **kwargs):
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
            # A start date moved while the plan's row waits: one row is enough. A new membership
            # has no row yet, so nothing to look for (a query a new hire).
            coalesce=not created,
        )


# The stored module counts (learning.tallies, issue 23): a learner's change rebuilds their
# enrolment in the writer's transaction; a course's structure change is recounted after commit.


def _changes(kwargs, *fields) -> bool:
    update_fields = kwargs.get("update_fields")
    return update_fields is None or any(f in update_fields for f in fields)


@receiver(post_save, sender=ModuleProgress)
def tally_progress(sender, instance, created, **kwargs):
    # A progress row that is opened, not completed, changes no count.
    if (created and instance.completed_at is None) or not _changes(kwargs, "completed_at"):
        return
    tallies.rebuild(enrolments=[instance.enrolment_id])


@receiver(post_delete, sender=ModuleProgress)
@receiver(post_save, sender=ModuleDeadline)
@receiver(post_delete, sender=ModuleDeadline)
def tally_enrolment(sender, instance, **kwargs):
    tallies.rebuild(enrolments=[instance.enrolment_id])


@receiver(post_save, sender=Enrolment)
def tally_enrolment_dates(sender, instance, created, **kwargs):
    if created or _changes(kwargs, "due_date"):
        tallies.rebuild(enrolments=[instance.pk])


@receiver(post_delete, sender=Enrolment)
def tally_forget(sender, instance, **kwargs):
    tallies.forget(enrolment_id=instance.pk)


@receiver(post_save, sender=ModulePage)
def tally_module_added(sender, instance, created, **kwargs):
    # A module created live (copied, or added through code) is counted; one published later
    # is counted by page_published. A course-wide recount, after commit (learning.tallies).
    if created and instance.live:
        tallies.recount_module_course(instance)


@receiver(page_published)
@receiver(page_unpublished)
def tally_page_published(sender, instance, **kwargs):
    if isinstance(instance, ModulePage):
        tallies.recount_module_course(instance)
    elif isinstance(instance, CoursePage):
        tallies.recount_courses(courses=[instance.pk])


@receiver(post_page_move)
def tally_module_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if isinstance(instance.specific_deferred, ModulePage):
        tallies.recount_courses(courses={parent_page_before.pk, parent_page_after.pk})


@receiver(post_delete, sender=ModulePage)
def tally_module_deleted(sender, instance, **kwargs):
    tallies.recount_module_course(instance)
