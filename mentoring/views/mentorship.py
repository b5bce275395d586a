from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mentoring import forms, permissions, selectors, services
from people import waiting
from people.forms import add_service_errors, message_service_error, service_error_messages

MATCHING_DONE = _("Matchningen är klar: %(count)s förslag. Granska och bekräfta.")
PROPOSAL_ADJUSTED = _("Förslaget är ändrat.")
RUN_CONFIRMED = _("Matchningen är bekräftad. Mentorer och adepter får ett mejl.")
ACCEPTED = _("Du har tackat ja.")
DECLINED = _("Du har tackat nej. Adepten får ett nytt förslag vid nästa matchning.")
SESSION_LOGGED = _("Samtalet är loggat. Adepten kan nu bekräfta det.")
SESSION_CONFIRMED = _("Tack! Samtalet är bekräftat.")
SAVED = _("Sparat.")


@login_required
def home(request):
    """Who may use it: any logged-in person; links to the mentoring pages that fit their roles."""
    context = {
        "nav": selectors.nav_for(request.user),
        "cases_nav": selectors.cases_nav_for(request.user),
    }
    return render(request, "mentoring/home.html", context)


@login_required
def my_mentees(request):
    """Who may use it: a mentor; "Mina adepter" lists only their own mentees."""
    summaries = selectors.mentees_for_mentor(request.user)
    context = {"summaries": summaries, "waiting": waiting.waiting_for(request.user)}
    return render(request, "mentoring/my_mentees.html", context)


@login_required
def my_mentor(request):
    """Who may use it: a mentee; "Min mentor" shows their own mentorship and agenda."""
    summaries = selectors.mentorships_for_mentee(request.user)
    current = summaries[0] if summaries else None
    context = {
        "summary": current,
        "sessions": [],
        "agenda": [],
        "history": selectors.history_for_mentee(request.user),
    }
    if current is not None:
        context["sessions"] = selectors.sessions_of(current.mentorship)
        context["agenda"] = selectors.agenda_for(current.mentorship)
    return render(request, "mentoring/my_mentor.html", context)


@login_required
def units(request):
    """Who may use it: first-line managers, for new hires in their units; dates and counts
    only, never session notes."""
    rows = selectors.unit_overview_for(request.user)
    return render(request, "mentoring/units.html", {"rows": rows})


@login_required
def matching(request):
    """Who may use it: municipal admins (own municipality) and first-line managers (own units)."""
    scopes = selectors.matching_scopes_for(request.user)
    form = forms.RunMatchingForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        scope = form.selected()
        try:
            run = services.run_matching(
                request.user, organisation=scope.organisation, unit=scope.unit
            )
        except PermissionDenied as error:
            add_service_errors(form, error)
        else:
            messages.success(request, MATCHING_DONE % {"count": run.proposals.count()})
            return redirect("mentoring:run", run_id=run.pk)
    runs = selectors.recent_runs_for(request.user)
    return render(request, "mentoring/matching.html", {"form": form, "runs": runs})


@login_required
def run_detail(request, run_id: int):
    """Who may use it: whoever may match in the run's municipality or unit; review proposals."""
    run = selectors.get_run_for(request.user, pk=run_id)
    proposals = forms.AdjustProposalForm.for_proposals(
        selectors.proposals_of(run), mentors=selectors.mentor_choices_for(run)
    )
    no_proposal = selectors.no_proposal_of(run, today=timezone.localdate())
    context = {"run": run, "proposals": proposals, "no_proposal": no_proposal}
    return render(request, "mentoring/run.html", context)


@login_required
def adjust(request, proposal_id: int):
    """Who may use it: whoever may match in the run's scope; change one proposal's mentor."""
    proposal = selectors.get_proposal_for(request.user, pk=proposal_id)
    mentors = selectors.mentor_choices_for(proposal.run)
    # The proposed mentor is preselected, as on the run page, so the admin sees whom they
    # replace and an accidental submit changes nothing.
    form = forms.AdjustProposalForm(
        request.POST or None, mentors=mentors, initial={"mentor": proposal.mentor_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.adjust_proposal(
                request.user, proposal=proposal, mentor=form.cleaned_data["mentor"]
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, PROPOSAL_ADJUSTED)
            return redirect("mentoring:run", run_id=proposal.run_id)
    return render(request, "mentoring/adjust.html", {"proposal": proposal, "form": form})


@login_required
@require_POST
def confirm_run(request, run_id: int):
    """Who may use it: whoever may match in the run's scope; proposals become mentorships."""
    run = selectors.get_run_for(request.user, pk=run_id)
    try:
        services.confirm_run(request.user, run=run)
    except (ValidationError, PermissionDenied) as error:
        message_service_error(request, error)
    else:
        messages.success(request, RUN_CONFIRMED)
    return redirect("mentoring:run", run_id=run.pk)


@login_required
def mentorship_detail(request, mentorship_id: int):
    """Who may use it: the mentor and the mentee of this mentorship; others get a 404."""
    mentorship = selectors.get_mentorship_for(request.user, pk=mentorship_id)
    form = forms.MentorshipForm(
        request.POST or None,
        initial={
            "goals": mentorship.goals,
            "planned_frequency_days": mentorship.planned_frequency_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_mentorship(request.user, mentorship=mentorship, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, SAVED)
            return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
    context = {
        "mentorship": mentorship,
        "form": form,
        "sessions": selectors.sessions_of(mentorship),
        "agenda": selectors.agenda_for(mentorship),
        "access": permissions.mentorship_access(request.user, mentorship),
    }
    return render(request, "mentoring/mentorship.html", context)


@login_required
def respond(request, mentorship_id: int):
    """Who may use it: the proposed mentor or mentee; accept, or decline with a reason."""
    mentorship = selectors.get_mentorship_for(request.user, pk=mentorship_id)
    form = forms.RespondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.respond_to_proposal(
                request.user,
                mentorship=mentorship,
                accept=form.cleaned_data["accept"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, ACCEPTED if form.cleaned_data["accept"] else DECLINED)
            return redirect("mentoring:home")
    context = {
        "mentorship": mentorship,
        "form": form,
        "access": permissions.mentorship_access(request.user, mentorship),
        "brief": selectors.proposal_brief_for(mentorship),
    }
    return render(request, "mentoring/respond.html", context)


@login_required
def log_session(request, mentorship_id: int):
    """Who may use it: the mentor of this mentorship; the mentee and everyone else get a 404."""
    mentorship = selectors.get_mentorship_to_log(request.user, pk=mentorship_id)
    agenda = selectors.agenda_for(mentorship)
    form = forms.SessionForm(
        request.POST or None,
        modules=selectors.modules_for_mentee(mentorship),
        agenda=agenda,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.log_session(request.user, mentorship=mentorship, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, SESSION_LOGGED)
            return redirect("mentoring:session", session_id=session.pk)
    context = {"mentorship": mentorship, "form": form, "agenda": agenda}
    return render(request, "mentoring/log_session.html", context)


@login_required
def session_detail(request, session_id: int):
    """Who may use it: the mentor and the mentee of the session's mentorship; others get 404."""
    session = selectors.get_session_for(request.user, pk=session_id)
    services.record_session_read(request.user, session=session)
    context = {
        "session": session,
        "access": permissions.mentorship_access(request.user, session.mentorship),
        "may_edit": services.may_still_edit(session),
    }
    return render(request, "mentoring/session.html", context)


@login_required
def confirm_session(request, session_id: int):
    """Who may use it: the mentee of the session's mentorship; confirm and add a reflection."""
    session = selectors.get_session_to_confirm(request.user, pk=session_id)
    form = forms.ConfirmSessionForm(
        request.POST or None, initial={"reflection": session.mentee_reflection}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_session(
                request.user, session=session, reflection=form.cleaned_data["reflection"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, SESSION_CONFIRMED)
            return redirect("mentoring:session", session_id=session.pk)
    return render(request, "mentoring/confirm_session.html", {"session": session, "form": form})


@login_required
def profile(request):
    """Who may use it: any logged-in mentor or social secretary; their own mentor profile."""
    if not permissions.may_mentor(request.user):
        raise Http404
    existing = selectors.mentor_profile_of(request.user)
    initial = {"languages": ["sv"], "is_active": True, "capacity": 2}
    if existing is not None:
        initial = {
            "years_experience": existing.years_experience,
            "capacity": existing.capacity,
            "specialisations": list(existing.specialisations.all()),
            "languages": existing.languages,
            "accepts_other_municipalities": existing.accepts_other_municipalities,
            "is_active": existing.is_active,
        }
    form = forms.MentorProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_mentor_profile(request.user, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, SAVED)
            return redirect("mentoring:home")
    return render(request, "mentoring/profile.html", {"form": form})


@login_required
def needs(request):
    """Who may use it: any logged-in person; their own wishes for matching."""
    existing = selectors.mentee_needs_of(request.user)
    initial = {}
    if existing is not None:
        initial = {
            "wishes": existing.wishes,
            "specialisations": list(existing.specialisations.all()),
        }
    form = forms.MenteeNeedsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_mentee_needs(request.user, mentee=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, SAVED)
            return redirect("mentoring:home")
    return render(request, "mentoring/needs.html", {"form": form})


# --------------------------------------------------------------------------------------------
# Lifecycle (issue 18)
# --------------------------------------------------------------------------------------------
MENTORSHIP_ENDED = _("Mentorskapet är avslutat. Adepten och mentorn får ett mejl.")
MENTOR_CHANGED = _("Mentorn är bytt. Det tidigare mentorskapet finns kvar i historiken.")
REQUEST_SENT = _(
    "Ditt önskemål är skickat till kommunadministratören och din chef. Din mentor ser det inte."
)
REQUEST_CLOSED = _("Önskemålet är stängt utan byte.")
SESSION_CHANGED = _("Samtalet är ändrat.")
SESSION_CHANGED_RECONFIRM = _("Samtalet är ändrat. Adepten får bekräfta det på nytt.")
SESSION_DELETED = _("Samtalet är raderat.")
MEETING_BOOKED = _("Nästa träff är bokad och syns i er båda kalendrar.")
MEETING_CANCELLED = _("Den bokade träffen är borttagen.")


@login_required
def end_mentorship(request, mentorship_id: int):
    """Who may use it: the mentor, the municipal admin and the mentee's managers; the page is
    the confirmation step (it says what ending means) before the mentorship ends."""
    mentorship = selectors.get_mentorship_to_end(request.user, pk=mentorship_id)
    form = forms.EndMentorshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_mentorship(request.user, mentorship=mentorship, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, MENTORSHIP_ENDED)
            return redirect(_after_lifecycle(request.user, mentorship))
    context = {"mentorship": mentorship, "form": form}
    return render(request, "mentoring/end_mentorship.html", context)


def _after_lifecycle(user, mentorship) -> str:
    if permissions.may_steward(user) and user.pk != mentorship.mentor_id:
        return reverse("mentoring:stewardship")
    return reverse("mentoring:my_mentees")


@login_required
def change_mentor(request, mentorship_id: int):
    """Who may use it: the municipal admin and the mentee's managers; the page is the
    confirmation step: the old mentorship ends ("byte av mentor"), the new one starts."""
    mentorship = selectors.get_mentorship_to_change(request.user, pk=mentorship_id)
    mentors = selectors.new_mentor_choices(mentorship)
    form = forms.ChangeMentorForm(request.POST or None, mentors=mentors)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_mentor(request.user, mentorship=mentorship, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, MENTOR_CHANGED)
            return redirect("mentoring:stewardship")
    context = {
        "mentorship": mentorship,
        "form": form,
        "change_request": selectors.open_change_request_of(mentorship),
    }
    return render(request, "mentoring/change_mentor.html", context)


@login_required
def request_change(request, mentorship_id: int):
    """Who may use it: the mentee of an open mentorship; a private request for another mentor
    that only the municipal admin and the mentee's managers read."""
    mentorship = selectors.get_mentorship_to_request_change(request.user, pk=mentorship_id)
    pending = selectors.open_change_request_of(mentorship)
    form = forms.ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_mentor_change(
                request.user, mentorship=mentorship, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, REQUEST_SENT)
            return redirect("mentoring:my_mentor")
    context = {"mentorship": mentorship, "form": form, "pending": pending}
    return render(request, "mentoring/request_change.html", context)


@login_required
def stewardship(request):
    """Who may use it: municipal admins and first-line managers; the mentees' private change
    requests first, then the open mentorships they may end or change."""
    page = selectors.stewardship_for(request.user)
    return render(request, "mentoring/stewardship.html", {"page": page})


@login_required
@require_POST
def close_request(request, request_id: int):
    """Who may use it: the municipal admin and the mentee's managers; close without a change."""
    change_request = selectors.get_change_request_for(request.user, pk=request_id)
    try:
        services.close_change_request(request.user, request=change_request)
    except (ValidationError, PermissionDenied) as error:
        message_service_error(request, error)
    else:
        messages.success(request, REQUEST_CLOSED)
    return redirect("mentoring:stewardship")


@login_required
def edit_session(request, session_id: int):
    """Who may use it: the mentor who logged the session, within 14 days (the service says
    when they have passed); a confirmed session goes back to the mentee to confirm again."""
    session = selectors.get_session_to_edit(request.user, pk=session_id)
    form = forms.EditSessionForm(
        request.POST or None,
        modules=selectors.modules_for_mentee(session.mentorship),
        initial={
            "kind": session.kind,
            "date": session.date,
            "duration_minutes": session.duration_minutes,
            "format": session.format,
            "topics": list(session.topics.all()),
            "modules": list(session.modules.all()),
            "notes": session.notes,
            "agreed_actions": session.agreed_actions,
        },
    )
    if request.method == "POST" and form.is_valid():
        was_confirmed = session.confirmed_at is not None
        try:
            services.edit_session(request.user, session=session, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, SESSION_CHANGED_RECONFIRM if was_confirmed else SESSION_CHANGED
            )
            return redirect("mentoring:session", session_id=session.pk)
    context = {
        "session": session,
        "form": form,
        "may_edit": services.may_still_edit(session),
        "edit_days": services.SESSION_EDIT_DAYS,
    }
    return render(request, "mentoring/edit_session.html", context)


@login_required
def delete_session(request, session_id: int):
    """Who may use it: the mentor who logged the session, within 14 days and before the mentee
    confirmed it; the page is the confirmation step."""
    session = selectors.get_session_to_edit(request.user, pk=session_id)
    errors = []
    if request.method == "POST":
        try:
            mentorship_id = services.delete_session(request.user, session=session)
        except (ValidationError, PermissionDenied) as error:
            errors = service_error_messages(error)
        else:
            messages.success(request, SESSION_DELETED)
            return redirect("mentoring:mentorship", mentorship_id=mentorship_id)
    context = {
        "session": session,
        "errors": errors,
        "may_edit": services.may_still_edit(session),
    }
    return render(request, "mentoring/delete_session.html", context)


@login_required
def book_meeting(request, mentorship_id: int):
    """Who may use it: the mentor and the mentee of an open mentorship; book the next meeting."""
    mentorship = selectors.get_mentorship_to_book(request.user, pk=mentorship_id)
    initial = {}
    if mentorship.next_meeting_date:
        initial = {
            "date": mentorship.next_meeting_date,
            "time": mentorship.next_meeting_time,
            "place": mentorship.next_meeting_place,
        }
    form = forms.BookMeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.book_meeting(request.user, mentorship=mentorship, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, MEETING_BOOKED)
            return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
    return render(request, "mentoring/book_meeting.html", {"mentorship": mentorship, "form": form})


@login_required
def cancel_meeting(request, mentorship_id: int):
    """Who may use it: the mentor and the mentee of an open mentorship; the page is the
    confirmation step (it shows the meeting that will be removed), the POST removes it."""
    mentorship = selectors.get_mentorship_to_book(request.user, pk=mentorship_id)
    if request.method != "POST":
        return render(request, "mentoring/cancel_meeting.html", {"mentorship": mentorship})
    try:
        services.cancel_meeting(request.user, mentorship=mentorship)
    except (ValidationError, PermissionDenied) as error:
        message_service_error(request, error)
    else:
        messages.success(request, MEETING_CANCELLED)
    return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
