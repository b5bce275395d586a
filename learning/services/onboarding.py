"""Services for onboarding plans (introduktionsplaner): who gets which courses, due when."""

import datetime

from django.db import transaction
from django.db.models import Q

from learning import tallies
from learning.models import Enrolment, ModuleDeadline, OnboardingPlan
from learning.services.enrolment import enrol_in_course
from people.models import Membership, Role


def plan_for(organisation_id: int) -> OnboardingPlan | None:
    """The municipality's own plan, or else the national default plan."""
    plans = {
        plan.organisation_id: plan
        for plan in OnboardingPlan.objects.filter(
            Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
        )
    }
    return plans.get(organisation_id) or plans.get(None)


@transaction.atomic
def apply_onboarding_plan(membership: Membership) -> list[Enrolment]:
    """Enrol a new hire in their onboarding plan and date every module from their start date.

    Running it again changes nothing; after a start-date change it moves the due dates.
    """
    if membership.role != Role.NEW_HIRE:
        return []
    plan = plan_for(membership.organisation_id)
    if plan is None:
        return []
    start = membership.start_date
    module_days = {row.module_id: row.due_days for row in plan.modules.all()}
    enrolments = []
    for row in plan.courses.select_related("course").order_by("sort_order"):
        course = row.course
        if not course.live:
            continue
        due = start + datetime.timedelta(days=row.due_days)
        enrolment = enrol_in_course(None, learner=membership.user, course=course, due_date=due)
        if enrolment.due_date != due:
            enrolment.due_date = due
            enrolment.save(update_fields=["due_date", "updated_at"])
        existing = {d.module_id: d for d in enrolment.deadlines.all()}
        new, moved = [], []
        for module in course.modules():
            module_due = start + datetime.timedelta(days=module_days.get(module.pk, row.due_days))
            deadline = existing.get(module.pk)
            if deadline is None:
                new.append(ModuleDeadline(enrolment=enrolment, module=module, due_date=module_due))
            elif deadline.due_date != module_due:
                deadline.due_date = module_due
                moved.append(deadline)
        # One INSERT and one UPDATE for the enrolment's deadlines, then its stored module counts
        # rebuilt once (learning.tallies): a save() each rebuilt them once per module, 9 times
        # for a new hire of the introduction course (seed_followup: 891 rebuilds of its 1,124,
        # ~4,500 of its 18,600 queries). bulk_create and bulk_update send no post_save.
        ModuleDeadline.objects.bulk_create(new)
        ModuleDeadline.objects.bulk_update(moved, ["due_date"])
        if new or moved:
            tallies.rebuild(enrolments=[enrolment.pk])
        enrolments.append(enrolment)
    return enrolments
