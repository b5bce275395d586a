from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from learning import selectors, services
from learning.certificates import render_pdf
from learning.forms import KnowledgeCheckForm
from people.forms import add_service_errors

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
    position = selectors.module_position_for(request.user, module=module)
    if position.current.locked_reason:
        messages.warning(request, position.current.locked_reason)
        return redirect(module.url)
    attempts_left = services.attempts_left(position.current.progress, module=module)
    form = KnowledgeCheckForm(request.POST or None, module=module)
    if attempts_left == 0:
        context = {"module": module, "form": None, "attempts_left": 0}
        return render(request, "learning/knowledge_check.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.submit_knowledge_check(
                request.user, module=module, answers=form.answers()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("learning:attempt", attempt_id=attempt.pk)
    context = {"module": module, "form": form, "attempts_left": attempts_left}
    return render(request, "learning/knowledge_check.html", context)


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
        "attempts_left": services.attempts_left(attempt.progress, module=module),
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


@login_required
def certificates(request):
    """Who may use it: any logged-in person; "Mina intyg" lists their own certificates."""
    items = selectors.certificates_for(request.user)
    return render(request, "learning/certificates.html", {"certificates": items})


@login_required
def certificate_pdf(request, certificate_id: int):
    """Who may use it: the certificate's holder; anyone else gets a 404."""
    certificate = selectors.get_certificate_for(request.user, pk=certificate_id)
    verify_url = request.build_absolute_uri(reverse("verify", args=[certificate.code]))
    response = HttpResponse(render_pdf(certificate, verify_url=verify_url), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="intyg-{certificate.code}.pdf"'
    return response


def verify(request, code: str):
    """Who may use it: anyone, without logging in. Shows name, course, date and validity only."""
    certificate = selectors.verify_certificate(code)
    if certificate is None:
        return render(request, "learning/verify_not_found.html", status=404)
    return render(request, "learning/verify.html", {"certificate": certificate})
