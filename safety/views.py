"""Pages for threats and violence under /sakerhet/: the safety checks (säkerhetsbedömningar)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.forms import add_service_errors, service_error_messages
from safety import forms, permissions, selectors, services
from safety.rules import assessment_of

CHECK_SAVED = _("Säkerhetsbedömningen är sparad.")


@login_required
def home(request):
    """Who may use it: anyone logged in; their own checks and, for mentors and managers, the
    checks of their mentees and units."""
    return render(request, "safety/home.html", {"home": selectors.safety_home_for(request.user)})


@login_required
def check_new(request):
    """Who may use it: case holders (new hires, social secretaries, mentors), for themselves;
    404 for anyone else."""
    units = selectors.units_to_check_in(request.user)
    form = forms.SafetyCheckForm(
        request.POST or None,
        units=units,
        initial={"planned_on": timezone.localdate()},
        questions=selectors.questions_for({unit.organisation_id for unit in units}),
    )
    return _make_check(request, form, template_context={}, case=None)


@login_required
def case_check_new(request, case_id: int):
    """Who may use it: the holder of an open case (the one who goes); 404 for anyone else.
    ?delgivning=1 (the case page's prompt in the decision stage) ticks "a decision is to be
    communicated"."""
    case = selectors.get_case_to_check(request.user, pk=case_id)
    initial = {
        "planned_on": timezone.localdate(),
        "decision_to_communicate": request.GET.get("delgivning") == "1",
    }
    form = forms.CaseSafetyCheckForm(
        request.POST or None,
        initial=initial,
        questions=selectors.questions_for({case.organisation_id}),
    )
    return _make_check(request, form, template_context={"case": case}, case=case)


def _make_check(request, form, *, template_context: dict, case):
    if request.method == "POST" and form.is_valid():
        try:
            check = services.make_safety_check(request.user, case=case, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, CHECK_SAVED)
            return redirect("safety:check", check_id=check.pk)
    return render(request, "safety/check_new.html", {"form": form, **template_context})


@login_required
def check_detail(request, check_id: int):
    """Who may use it: the person who made the check, their mentor and the managers of its
    unit; 404 for everyone else."""
    check = selectors.get_check_for(request.user, pk=check_id)
    context = {
        "check": check,
        "assessment": assessment_of(check),
        "is_own": check.person_id == request.user.pk,
    }
    return render(request, "safety/check.html", context)


# --------------------------------------------------------------------------------------------
# Incidents (händelser)
# --------------------------------------------------------------------------------------------
INCIDENT_SAVED = _("Händelsen är registrerad. Din chef har fått veta.")
DEBRIEF_SAVED = _("Avlastningssamtalet är markerat som erbjudet.")
FOLLOW_UP_SAVED = _("Uppföljningen är registrerad.")


@login_required
def incident_new(request):
    """Who may use it: case holders (new hires, social secretaries, mentors), for themselves;
    404 for anyone else."""
    units = selectors.units_to_check_in(request.user)
    form = forms.IncidentForm(
        request.POST or None, units=units, initial={"occurred_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.record_incident(request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, INCIDENT_SAVED)
            return redirect("safety:incident", incident_id=incident.pk)
    routines = selectors.reporting_routines_for({unit.organisation_id for unit in units})
    return render(request, "safety/incident_new.html", {"form": form, "routines": routines})


@login_required
def incident_detail(request, incident_id: int):
    """Who may use it: the person, the managers of the unit and, if the person chose, their
    mentor; 404 for everyone else."""
    incident = selectors.get_incident_for(request.user, pk=incident_id)
    is_manager = permissions.manages_incident(request.user, incident)
    is_mentor = not is_manager and incident.person_id != request.user.pk
    context = {
        "incident": incident,
        "is_manager": is_manager,
        # The debrief session is the pair's: only they see that it is logged and open it.
        "is_pair": not is_manager,
        "may_log_debrief": is_mentor and incident.debrief_session_id is None,
        "routines": selectors.reporting_routine_of(incident),
    }
    return render(request, "safety/incident.html", context)


def _follow_up_step(request, incident_id: int, service, done_message, *, is_debrief: bool):
    incident = selectors.get_incident_to_follow_up(request.user, pk=incident_id)
    if request.method != "POST":
        # The step cannot be undone and ends its reminders: the GET is the confirmation page.
        done = incident.debrief_offered_at if is_debrief else incident.followed_up_at
        if done is not None:
            return redirect("safety:incident", incident_id=incident.pk)
        context = {"incident": incident, "is_debrief": is_debrief}
        return render(request, "safety/incident_step_confirm.html", context)
    try:
        service(request.user, incident=incident)
    except (ValidationError, PermissionDenied) as error:
        for message in service_error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, done_message)
    return redirect("safety:incident", incident_id=incident.pk)


@login_required
def incident_debrief(request, incident_id: int):
    """Who may use it: the managers of the incident's unit (GET asks to confirm, POST records);
    404 for everyone else."""
    return _follow_up_step(
        request, incident_id, services.offer_debrief, DEBRIEF_SAVED, is_debrief=True
    )


@login_required
def incident_follow_up(request, incident_id: int):
    """Who may use it: the managers of the incident's unit (GET asks to confirm, POST records);
    404 for everyone else."""
    return _follow_up_step(
        request, incident_id, services.record_follow_up, FOLLOW_UP_SAVED, is_debrief=False
    )


DEBRIEF_SESSION_SAVED = _("Avlastningssamtalet är loggat i handledningen.")


@login_required
def incident_debrief_session(request, incident_id: int):
    """Who may use it: the person's mentor in an active mentorship, when the person chose to
    tell them; 404 for everyone else."""
    incident = selectors.get_incident_to_debrief(request.user, pk=incident_id)
    form = forms.DebriefSessionForm(
        request.POST or None, initial={"date": timezone.localdate(), "duration_minutes": 60}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.log_debrief_session(request.user, incident=incident, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, DEBRIEF_SESSION_SAVED)
            return redirect("safety:incident", incident_id=incident.pk)
    return render(request, "safety/debrief_session.html", {"form": form, "incident": incident})


# --------------------------------------------------------------------------------------------
# The municipality's own routine (kommunens rutin)
# --------------------------------------------------------------------------------------------
ROUTINE_SAVED = _("Kommunens rutin är sparad.")


@login_required
def routines(request):
    """Who may use it: municipal admins; the municipalities they administer. 404 for everyone
    else."""
    municipalities = selectors.administered_municipalities(request.user)
    if not municipalities:
        raise Http404
    if len(municipalities) == 1:
        return redirect("safety:routine", organisation_id=municipalities[0].pk)
    return render(request, "safety/routines.html", {"municipalities": municipalities})


@login_required
def routine_edit(request, organisation_id: int):
    """Who may use it: the municipal admins of that municipality; 404 for everyone else."""
    routine = selectors.get_routine_to_edit(request.user, organisation_id=organisation_id)
    form = forms.SafetySettingsForm(request.POST or None, instance=routine)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_safety_settings(
                request.user, organisation=routine.organisation, **form.service_kwargs()
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, ROUTINE_SAVED)
            return redirect("safety:routine", organisation_id=organisation_id)
    return render(request, "safety/routine.html", {"form": form, "routine": routine})
