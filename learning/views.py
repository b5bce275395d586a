from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from learning import selectors, services
from learning.forms import KnowledgeCheckForm

ENROLLED = _("Du är anmäld till kursen %(course)s.")
MODULE_COMPLETED = _("Bra jobbat! Modulen är klar.")
COURSE_COMPLETED = _("Grattis! Du har slutfört kursen %(course)s.")


@login_required
def dashboard(request):
    """Who may use it: any logged-in person; "Min introduktion" shows their own courses only."""
    courses = selectors.dashboard_for(request.user)
    return render(request, "learning/dashboard.html", {"courses": courses})


@login_required
@require_POST
def enrol(request, course_id: int):
    """Who may use it: any logged-in person, for a published self-paced course."""
    course = selectors.get_course_for_enrolment(course_id)
    try:
        services.self_enrol(request.user, course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(course.url)
    messages.success(request, ENROLLED % {"course": course.title})
    next_module = course.modules().first()
    return redirect(next_module.url if next_module else course.url)


@login_required
def knowledge_check(request, module_id: int):
    """Who may use it: a learner enrolled in the module's course; anyone else gets a 404."""
    module = selectors.get_module_for_learner(request.user, pk=module_id)
    if not module.has_knowledge_check:
        return redirect(module.url)
    form = KnowledgeCheckForm(request.POST or None, module=module)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.submit_knowledge_check(
                request.user, module=module, answers=form.answers()
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("learning:attempt", attempt_id=attempt.pk)
    return render(request, "learning/knowledge_check.html", {"module": module, "form": form})


@login_required
def attempt(request, attempt_id: int):
    """Who may use it: the learner who made the attempt; feedback with explanations."""
    attempt = selectors.get_attempt_for(request.user, pk=attempt_id)
    module = attempt.progress.module
    position = selectors.module_position_for(request.user, module=module)
    feedback = []
    for question in module.questions():
        result = attempt.results.get(question.id, {})
        selected = set(result.get("selected", []))
        feedback.append(
            {
                "question": question,
                "correct": result.get("correct", False),
                "choices": [
                    {"choice": c, "selected": c.id in selected, "right": c.correct}
                    for c in question.choices
                ],
            }
        )
    context = {
        "attempt": attempt,
        "module": module,
        "feedback": feedback,
        "position": position,
    }
    return render(request, "learning/attempt.html", context)


@login_required
@require_POST
def complete(request, module_id: int):
    """Who may use it: a learner enrolled in the module's course (modules without a check)."""
    module = selectors.get_module_for_learner(request.user, pk=module_id)
    try:
        progress = services.complete_module(request.user, module=module)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(module.url)
    messages.success(request, MODULE_COMPLETED)
    if progress.enrolment.status == progress.enrolment.Status.COMPLETED:
        messages.success(request, COURSE_COMPLETED % {"course": progress.enrolment.course.title})
    position = selectors.module_position_for(request.user, module=module)
    if position and position.next:
        return redirect(position.next.url)
    return redirect("learning:dashboard")
