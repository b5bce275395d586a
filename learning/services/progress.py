"""Module progress and course completion: opening a module, completing it, and the course
complete when every module is (with the attendance share and the sign-off where they apply)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import ModulePage
from learning.models import Enrolment, ModuleProgress, QuizAttempt
from learning.selectors import attendance_requirement_met, module_position_for, requires_sign_off
from learning.services.certificates import issue_certificate
from people.models import User

NOT_ENROLLED = _("Du är inte anmäld till den här kursen.")
PASS_CHECK_FIRST = _("Klara kunskapskontrollen för att slutföra modulen.")


@transaction.atomic
def open_module(learner: User, *, module: ModulePage) -> ModuleProgress:
    """Record that a learner has started a module; opening it again changes nothing.

    A locked module (prerequisites or the previous module unfinished) cannot be started.
    """
    return _open_module(learner, module=module)[0]


def _open_module(learner: User, *, module: ModulePage) -> tuple[ModuleProgress, bool]:
    """open_module in the caller's transaction, and whether it inserted the row. For the
    knowledge check's services, which lock the row next: no savepoint around it (two round
    trips a call), and no lock of a row they inserted themselves."""
    position = module_position_for(learner, module=module)
    if position is None or position.course.enrolment is None:
        raise ValidationError(NOT_ENROLLED)
    return _start_module(position)


def start_module(position) -> ModuleProgress:
    """Record that the learner in `position` (from selectors.module_position_for) has started
    the module, unless it is locked; the position is updated so a page can show it as is."""
    return _start_module(position)[0]


def _start_module(position) -> tuple[ModuleProgress, bool]:
    """start_module, and whether it inserted the row."""
    if position.current.locked_reason:
        raise ValidationError(position.current.locked_reason)
    created = False
    if position.current.progress is None:
        position.current.progress, created = ModuleProgress.objects.get_or_create(
            enrolment=position.course.enrolment, module=position.current.module
        )
    return position.current.progress, created


@transaction.atomic
def complete_module(learner: User, *, module: ModulePage) -> ModuleProgress:
    """Mark a module without a knowledge check as read; a module with one needs a pass."""
    progress = _open_module(learner, module=module)[0]
    passed = progress.attempts.filter(state=QuizAttempt.State.SUBMITTED, passed=True)
    if module.has_knowledge_check and not passed.exists():
        raise ValidationError(PASS_CHECK_FIRST)
    return _mark_module_completed(progress)


def _mark_module_completed(
    progress: ModuleProgress, *, changed: tuple[str, ...] = ()
) -> ModuleProgress:
    """Complete the module (if it is not yet) and then its course if it is done. `changed`:
    fields the caller has set on the row, saved in the same UPDATE (a passed knowledge check's
    scores: one statement and one post_save, so one tally rebuild)."""
    fields = list(changed)
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        fields.append("completed_at")
    if fields:
        progress.save(update_fields=fields)
    # Read after the save: when the module is newly complete, its tally rebuild has locked the
    # enrolment row (learning.tallies), so the status is as the module completed before this
    # one left it. With its course, which the completion reads (one query, not two).
    enrolment = Enrolment.objects.select_related("course").get(pk=progress.enrolment_id)
    ModuleProgress.enrolment.field.set_cached_value(progress, enrolment)
    complete_course_if_done(enrolment)
    return progress


# No savepoint of its own (Django's savepoint=False): it raises nothing a caller handles, and
# a database error rolls the caller's block back all the same; a savepoint was two round trips
# of every module completed.
@transaction.atomic(savepoint=False)
def complete_course_if_done(enrolment: Enrolment) -> bool:
    """A course is complete when every published module in it is complete and, for a cohort
    course, the learner has the course's minimum attendance share (närvarokrav) in their run.

    The introduction then waits for the manager's sign-off (godkännande) after the closing
    conversation (learning.signoffs); its certificate is issued with the sign-off, not before.
    """
    if enrolment.status == Enrolment.Status.COMPLETED:
        return True
    if not modules_done(enrolment):
        return False
    if not attendance_requirement_met(enrolment):
        return False
    if requires_sign_off(enrolment.course):
        if enrolment.modules_completed_at is None:
            enrolment.modules_completed_at = timezone.now()
            enrolment.save(update_fields=["modules_completed_at", "updated_at"])
        return False
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["status", "completed_at", "updated_at"])
    issue_certificate(enrolment)
    return True


def modules_done(enrolment: Enrolment) -> bool:
    """Every published module of the enrolment's course is complete (and it has one)."""
    done = enrolment.progress.filter(module=OuterRef("pk"), completed_at__isnull=False)
    # One query: the course's live modules counted, and those not done.
    counts = (
        ModulePage.objects.live()
        .child_of(enrolment.course)
        .aggregate(modules=Count("pk"), left=Count("pk", filter=~Exists(done)))
    )
    return counts["modules"] > 0 and counts["left"] == 0
