from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from learning import calendar as calendars
from learning import exports, run_management, selectors, services, signoffs
from learning.certificates import render_pdf
from learning.forms import (
    AttendanceForm,
    KnowledgeCheckForm,
    NominationForm,
    RevokeCertificateForm,
    RunMessageForm,
)
from learning.models import RunEnrolment
from learning.selectors import run_tools
from people import waiting
from people.forms import add_service_errors

ENROLLED = _("Du är anmäld till kursen %(course)s.")
MODULE_COMPLETED = _("Bra jobbat! Modulen är klar.")
COURSE_COMPLETED = _("Grattis! Du har slutfört kursen %(course)s.")
RUN_ENROLLED = _("Du har fått en plats i kursomgången %(run)s.")
RUN_WAITLISTED = _("Kursomgången är full. Du står som nummer %(position)s på reservlistan.")
RUN_REQUESTED = _("Din anmälan är skickad till din kommunadministratör för godkännande.")
RUN_WITHDRAWN = _("Du är avanmäld från kursomgången %(run)s.")
NOMINATED = _("%(name)s är anmäld till %(run)s: %(status)s.")
REQUEST_APPROVED = _("Anmälan från %(name)s är godkänd: %(status)s.")
REQUEST_DECLINED = _("Anmälan från %(name)s är avslagen.")
ATTENDANCE_SAVED = _("Närvaron är sparad.")
FEED_CREATED = _("Din kalenderlänk är klar. Lägg till den som prenumeration i din kalender.")
CHECK_RELOADED = _("Kunskapskontrollen har laddats om. Svara på frågorna och lämna in igen.")
ALREADY_SUBMITTED = _("Svaren är redan inlämnade. Här är resultatet.")
CERTIFICATE_REVOKED = _("Intyget är återkallat. Kontrollsidan visar det nu.")
ALREADY_REVOKED = _("Intyget är redan återkallat.")
AWAITING_SIGN_OFF = _(
    "Alla moduler i %(course)s är klara. Kursen är klar när din chef har godkänt den efter "
    "ert avslutande samtal; då får du ditt intyg."
)
FEED_REVOKED = _("Kalenderlänken är avstängd. Den gamla länken fungerar inte längre.")


@login_required
def dashboard(request):
    """Who may use it: any logged-in person; "Min introduktion" shows their own courses only."""
    courses = selectors.dashboard_for(request.user)
    context = {"courses": courses, "waiting": waiting.waiting_for(request.user, courses=courses)}
    return render(request, "learning/dashboard.html", context)


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
    """Who may use it: a learner enrolled in the module's course; anyone else gets a 404.

    A GET opens the learner's attempt (or shows their open one again, as it was); a POST
    submits the attempt it names, which must be the learner's own open attempt in this module.
    """
    module = selectors.get_module_for_learner(request.user, pk=module_id)
    if not module.has_knowledge_check:
        return redirect(module.url)
    position = selectors.module_position_for(request.user, module=module)
    if position.current.locked_reason:
        messages.warning(request, position.current.locked_reason)
        return redirect(module.url)
    if request.method == "POST":
        return _submit_check(request, module)
    try:
        attempt = services.open_attempt(request.user, module=module)
    except ValidationError as error:
        context = {"module": module, "form": None, "closed": error.messages}
        return render(request, "learning/knowledge_check.html", context)
    form = KnowledgeCheckForm(questions=selectors.drawn_questions(attempt, module=module))
    return _render_check(request, module, attempt, form)


def _submit_check(request, module):
    try:
        attempt_id = int(request.POST.get("attempt", ""))
    except ValueError:
        attempt_id = None
    if attempt_id is None or not 0 < attempt_id < 2**63:
        # A form from before attempts were drawn, or a forged one: show the check again.
        messages.warning(request, CHECK_RELOADED)
        return redirect("learning:check", module_id=module.pk)
    attempt = selectors.get_attempt_for(request.user, pk=attempt_id)  # another's: a 404
    if attempt.progress.module.translation_key != module.translation_key:
        raise Http404
    if attempt.is_submitted:
        # A double click or a replay: the attempt was graded once, its result stands.
        messages.info(request, ALREADY_SUBMITTED)
        return redirect("learning:attempt", attempt_id=attempt.pk)
    questions = selectors.drawn_questions(attempt, module=module)
    if questions is None:
        messages.warning(request, services.CHECK_CHANGED)
        return redirect("learning:check", module_id=module.pk)
    form = KnowledgeCheckForm(request.POST, questions=questions)
    if form.is_valid():
        try:
            attempt = services.submit_knowledge_check(
                request.user, module=module, attempt=attempt, answers=form.answers()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("learning:attempt", attempt_id=attempt.pk)
    return _render_check(request, module, attempt, form)


def _render_check(request, module, attempt, form):
    context = {
        "module": module,
        "form": form,
        "attempt": attempt,
        "attempts_left": selectors.attempts_left(attempt.progress, module=module),
    }
    return render(request, "learning/knowledge_check.html", context)


@login_required
def attempt(request, attempt_id: int):
    """Who may use it: the learner who made the attempt. Which questions were right or wrong,
    with the explanations; the right options only once the check is passed (or when the
    attempts have run out, if the editor chose so)."""
    attempt = selectors.get_attempt_for(request.user, pk=attempt_id)
    if attempt.is_open:
        return redirect("learning:check", module_id=attempt.progress.module.pk)
    module = attempt.progress.module
    position = selectors.module_position_for(request.user, module=module)
    context = {
        "attempt": attempt,
        "module": module,
        "review": selectors.attempt_review(attempt, module=module),
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
    enrolment = progress.enrolment
    if enrolment.status == enrolment.Status.COMPLETED:
        messages.success(request, COURSE_COMPLETED % {"course": enrolment.course.title})
    elif enrolment.modules_completed_at is not None:
        messages.info(request, AWAITING_SIGN_OFF % {"course": enrolment.course.title})
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
    """Who may use it: anyone, without logging in. Shows whether the certificate is valid,
    expired or revoked, and the minimal facts the PDF states: name, municipality and unit,
    course and modules, completion date, who signed it off, validity. The issuing
    municipality's admin also gets the way to revoke it."""
    verification = selectors.verify_certificate(code, viewer=request.user)
    if verification is None:
        return render(request, "learning/verify_not_found.html", status=404)
    context = {"certificate": verification.certificate, "may_revoke": verification.may_revoke}
    return render(request, "learning/verify.html", context)


@login_required
def revoke_certificate(request, certificate_id: int):
    """Who may use it: the municipal admin (kommunadministratör) of the municipality that
    issued the certificate; a 404 for anyone else. Revoke it with a reason, after confirming."""
    certificate = selectors.get_certificate_for_revoking(request.user, pk=certificate_id)
    form = RevokeCertificateForm(request.POST or None)
    if certificate.is_revoked:
        messages.info(request, ALREADY_REVOKED)
        return redirect("verify", code=certificate.code)
    if request.method == "POST" and form.is_valid():
        try:
            signoffs.revoke_certificate(
                request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, CERTIFICATE_REVOKED)
            return redirect("verify", code=certificate.code)
    return render(
        request, "learning/revoke_certificate.html", {"certificate": certificate, "form": form}
    )


def _place_message(place: RunEnrolment) -> str:
    if place.status == RunEnrolment.Status.ENROLLED:
        return RUN_ENROLLED % {"run": place.run.name}
    if place.status == RunEnrolment.Status.WAITLISTED:
        return RUN_WAITLISTED % {"position": place.waitlist_position}
    return RUN_REQUESTED


@login_required
@require_POST
def run_enrol(request, run_id: int):
    """Who may use it: a logged-in person in the course's audience (for the leadership course,
    first-line managers), for a run of a published course; anyone else is told why not and
    nothing changes. A missing run is a 404."""
    run = selectors.get_run_for_enrolment(run_id)
    try:
        place = services.enrol_in_course_run(request.user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _place_message(place))
    return redirect(run.course.url)


@login_required
def run_withdraw(request, run_id: int):
    """Who may use it: a person with a place (seat, waitlist or request) in the run; a 404 for
    anyone else. The page says what withdrawing means (whether the seat can be taken back)
    and asks to confirm; the POST withdraws (without a place: a message, nothing changes)."""
    if request.method != "POST":
        withdrawal = selectors.withdrawal_for(request.user, run_id=run_id)
        return render(request, "learning/run_withdraw.html", {"withdrawal": withdrawal})
    # A second click, or a stale tab, finds no place: the service says so, never a 404.
    run = selectors.get_run_for_enrolment(run_id)
    try:
        services.withdraw_from_course_run(request.user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, RUN_WITHDRAWN % {"run": run.name})
    return redirect(run.course.url)


@login_required
def run_ics(request, run_id: int):
    """Who may use it: the course's audience, the run's participants and leaders, editors and
    municipal admins; a 404 for anyone else. The run's sessions as an .ics file."""
    run, sessions = selectors.get_run_for_calendar(request.user, pk=run_id)
    events = [calendars.session_event(s, run=run) for s in sessions]
    response = HttpResponse(
        calendars.render_ics(events, name=f"{run.course.title} – {run.name}"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="kursomgang-{run.pk}.ics"'
    return response


@login_required
def runs_led(request):
    """Who may use it: course leaders (kursledare), for the runs they lead; municipal admins,
    for the runs their municipality arranges; editors, for every run; a 404 for anyone else."""
    items = run_tools.runs_managed_by(request.user)
    return render(request, "learning/runs_led.html", {"runs": items})


@login_required
def run_roster(request, run_id: int):
    """Who may use it: whoever manages the run (learning.permissions.may_manage_run: its
    course leaders, editors, the arranging municipality's admins); a 404 for anyone else.
    Participants, the waitlist with its actions, and attendance per session."""
    roster = run_tools.run_roster_for(request.user, pk=run_id)
    return render(request, "learning/run_roster.html", {"roster": roster})


# What each waitlist action is called in the URL, and what it does.
WAITLIST_ACTIONS = {
    "ge-plats": "seat",
    "flytta-upp": "move_up",
    "ta-bort": "remove",
}
WAITLIST_EXPLANATIONS = {
    "seat": _(
        "%(name)s får en av de lediga platserna i omgången, före dem som står före på "
        "reservlistan. De som står efter flyttas upp ett steg. %(name)s får ett mejl."
    ),
    "move_up": _(
        "%(name)s flyttas från plats %(position)s ett steg upp och byter plats med den som står "
        "före. Båda får ett mejl om sin nya plats."
    ),
    "remove": _(
        "%(name)s tas bort från reservlistan och får ett mejl om det. De som står efter flyttas "
        "upp ett steg. Vill personen tillbaka får hen anmäla sig igen och hamnar då sist."
    ),
}
WAITLIST_BUTTONS = {
    "seat": _("Ja, ge plats"),
    "move_up": _("Ja, flytta upp"),
    "remove": _("Ja, ta bort från reservlistan"),
}
WAITLIST_DONE = {
    "seat": _("%(name)s har fått en plats och får ett mejl om det."),
    "move_up": _(
        "%(name)s står nu som nummer %(position)s på reservlistan. Båda som bytte plats får "
        "ett mejl."
    ),
    "remove": _("%(name)s är borttagen från reservlistan och får ett mejl om det."),
}


@login_required
def run_waitlist(request, run_id: int, place_id: int, action: str):
    """Who may use it: whoever manages the run; a 404 for anyone else. A GET says what the
    action on the waitlist (give a seat, move up one step, remove) will do and asks to
    confirm; the POST does it. A second click is told what happened and changes nothing."""
    kind = WAITLIST_ACTIONS.get(action)
    if kind is None:
        raise Http404
    place = run_tools.get_place_for_manager(request.user, run_id=run_id, place_id=place_id)
    roster_url = reverse("learning:run_roster", args=[run_id])
    name = place.user.get_full_name()
    if request.method != "POST":
        if not place.is_waitlisted:
            messages.info(request, run_management.NOT_ON_WAITLIST % {"name": name})
            return redirect(roster_url)
        words = {"name": name, "position": place.waitlist_position}
        context = {
            "place": place,
            "run": place.run,
            "explanation": WAITLIST_EXPLANATIONS[kind] % words,
            "button": WAITLIST_BUTTONS[kind],
            "danger": kind == "remove",
        }
        return render(request, "learning/run_waitlist_confirm.html", context)
    try:
        if kind == "seat":
            place = run_management.seat_from_waitlist(request.user, place=place)
        elif kind == "move_up":
            try:
                expected = int(request.POST.get("from_position", ""))
            except ValueError:
                expected = 0
            place = run_management.move_up_waitlist(
                request.user, place=place, from_position=expected
            )
        else:
            place = run_management.remove_from_waitlist(request.user, place=place)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        done = WAITLIST_DONE[kind] % {"name": name, "position": place.waitlist_position}
        messages.success(request, done)
    return redirect(roster_url)


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def run_export(request, run_id: int, fmt: str):
    """Who may use it: whoever manages the run; a 404 for anyone else. The participant list
    (name, email, unit, municipality, status, attendance per session) as CSV or XLSX,
    written to the audit log as an export."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    participants = run_tools.participant_list_for(request.user, pk=run_id)
    run_management.audit_participant_export(request.user, participants=participants, fmt=fmt)
    if fmt == "csv":
        content = exports.participants_csv(participants)
    else:
        content = exports.participants_xlsx(participants)
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="deltagare-{run_id}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


MESSAGE_SENT = _("Meddelandet är skickat till %(count)s personer.")
MESSAGE_ALREADY_SENT = _("Meddelandet är redan skickat. Ingen får det två gånger.")


@login_required
def run_message(request, run_id: int):
    """Who may use it: whoever manages the run; a 404 for anyone else. Write a message to
    everyone with a seat (and, if chosen, the waitlist), see a preview with the recipients,
    then send it: once per person, however often the send button is pressed."""
    run = run_tools.get_run_for_manager(request.user, pk=run_id)
    form = RunMessageForm(request.POST or None)
    context = {"run": run, "form": form}
    if request.method == "POST" and "edit" in request.POST:
        return render(request, "learning/run_message.html", context)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "send" in request.POST:
            try:
                queued = run_management.message_run_participants(
                    request.user,
                    run=run,
                    subject=data["subject"],
                    message=data["message"],
                    include_waitlist=data["include_waitlist"],
                    token=data["token"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if queued:
                    messages.success(request, MESSAGE_SENT % {"count": queued})
                else:
                    messages.info(request, MESSAGE_ALREADY_SENT)
                return redirect("learning:run_roster", run_id=run.pk)
        else:
            recipients = run_tools.message_recipients(
                run, include_waitlist=data["include_waitlist"]
            )
            preview = RunMessageForm(initial={**data, "token": run_management.new_message_token()})
            context.update(form=preview, preview=data, recipients=recipients)
            return render(request, "learning/run_message_preview.html", context)
    return render(request, "learning/run_message.html", context, status=400 if form.errors else 200)


@login_required
def session_attendance(request, session_id: int):
    """Who may use it: the run's course leaders and editors; a 404 for anyone else. Mark who
    was at one session."""
    session, participants, present = selectors.get_session_for_marking(request.user, pk=session_id)
    form = AttendanceForm(
        request.POST or None, participants=participants, initial={"present": sorted(present)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_attendance(
                request.user, session=session, present=set(form.cleaned_data["present"])
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, ATTENDANCE_SAVED)
            return redirect("learning:run_roster", run_id=session.run_id)
    context = {"session": session, "run": session.run, "form": form}
    return render(request, "learning/session_attendance.html", context)


@login_required
def run_requests(request):
    """Who may use it: municipal admins (kommunadministratörer), for the managers of their own
    municipality: approve or decline requests, nominate a manager; a 404 for anyone else."""
    data = selectors.run_requests_for_admin(request.user)
    form = NominationForm(request.POST or None, managers=data.managers, runs=data.open_runs)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.nominate_for_course_run(
                request.user, manager=form.cleaned_data["manager"], run=form.cleaned_data["run"]
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError(str(error))
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                NOMINATED
                % {
                    "name": place.user.get_full_name(),
                    "run": place.run.name,
                    "status": place.get_status_display().lower(),
                },
            )
            return redirect("learning:run_requests")
    return render(request, "learning/run_requests.html", {"data": data, "form": form})


@login_required
@require_POST
def decide_request(request, enrolment_id: int, decision: str):
    """Who may use it: the municipal admin of the requesting manager's municipality; a 404 for
    anyone else, and for a request that is no longer pending."""
    if decision not in ("godkann", "avsla"):
        raise Http404
    place = selectors.get_request_for_admin(request.user, pk=enrolment_id)
    approve = decision == "godkann"
    try:
        place = services.decide_run_request(request.user, place=place, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = place.user.get_full_name()
        if approve:
            status = place.get_status_display().lower()
            messages.success(request, REQUEST_APPROVED % {"name": name, "status": status})
        else:
            messages.success(request, REQUEST_DECLINED % {"name": name})
    return redirect("learning:run_requests")


@login_required
def calendar(request):
    """Who may use it: any logged-in person, for their own sessions, due dates and private
    calendar-feed link."""
    feed = calendars.calendar_feed_of(request.user)
    feed_url = None
    if feed is not None:
        feed_url = request.build_absolute_uri(reverse("learning:calendar_feed", args=[feed.token]))
    events = calendars.calendar_events_for(request.user, since=timezone.localdate())
    context = {"feed_url": feed_url, "events": events}
    return render(request, "learning/calendar.html", context)


@login_required
@require_POST
def calendar_new_link(request):
    """Who may use it: any logged-in person, for their own feed; an earlier link stops working."""
    calendars.create_calendar_feed(request.user)
    messages.success(request, FEED_CREATED)
    return redirect("learning:calendar")


@login_required
@require_POST
def calendar_revoke(request):
    """Who may use it: any logged-in person, for their own feed."""
    calendars.revoke_calendar_feed(request.user)
    messages.success(request, FEED_REVOKED)
    return redirect("learning:calendar")


def calendar_feed(request, token: str):
    """Who may use it: whoever holds the feed's unguessable token (a calendar app cannot log
    in); a revoked or unknown token is a 404."""
    owner = calendars.feed_owner(token)
    events = calendars.calendar_events_for(owner)
    response = HttpResponse(
        calendars.render_ics(events, name="Introsteg"), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response
