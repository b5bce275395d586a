"""Pages for supervised cases under /mentorskap/arenden/: list, register, the case record
(every read is audit-logged), stage, close, reviews, entrustment decisions, and the manager's
caseload page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring import forms, permissions, selectors, services
from mentoring.models import EntrustmentLevel
from people.forms import add_service_errors

CASE_OPENED = _("Ärendet är registrerat.")
STAGE_CHANGED = _("Ärendet är uppdaterat.")
CASE_CLOSED_DONE = _("Ärendet är avslutat.")
REVIEW_SAVED = _("Genomgången är sparad.")
REVIEW_SIGNED_DONE = _("Genomgången är sparad och signerad.")
DECISION_SAVED = _("Beslutet om anförtroendenivå är sparat.")
OVER_GUIDELINE = _(
    "Med det här ärendet är din viktade ärendebelastning %(weighted)s, över kommunens riktlinje "
    "på %(guideline)s. Din chef har fått besked. Ta upp fördelningen med din chef."
)
OVER_PROTECTED_GUIDELINE = _(
    "Med det här ärendet är din viktade ärendebelastning %(weighted)s, över den skyddade "
    "riktlinjen på %(guideline)s som gäller under ditt första år. Din chef har fått besked. "
    "Ta upp fördelningen med din chef."
)


@login_required
def case_list(request):
    """Who may use it: any logged-in person; lists only cases they may read (own, supervised,
    their mentee's, their units')."""
    today = timezone.localdate()
    rows = selectors.cases_for(request.user, today=today)
    nav = selectors.cases_nav_for(request.user)
    return render(request, "mentoring/cases/list.html", {"rows": rows, "nav": nav})


@login_required
def case_new(request):
    """Who may use it: case holders (new hires, social secretaries, mentors), for themselves."""
    units = selectors.holder_units_for(request.user)
    organisation_ids = {u.organisation_id for u in units}
    form = forms.CaseForm(
        request.POST or None,
        units=units,
        case_types=selectors.case_types_for(organisation_ids),
        supervisors=selectors.supervisor_choices(organisation_ids, exclude=request.user),
        initial={"opened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, CASE_OPENED)
            row = selectors.guideline_crossed_by(case, today=timezone.localdate())
            if row is not None:
                warning = OVER_PROTECTED_GUIDELINE if row.protected else OVER_GUIDELINE
                numbers = {"weighted": f"{row.weighted:g}", "guideline": row.guideline}
                messages.warning(request, warning % numbers)
            return redirect("mentoring:case", case_id=case.pk)
    return render(request, "mentoring/cases/new.html", {"form": form})


@login_required
def case_detail(request, case_id: int):
    """Who may use it: the holder, the named supervisor, the holder's mentor and the unit's
    managers; everyone else gets a 404. The read is written to the audit log."""
    case = selectors.get_case_for(request.user, pk=case_id)
    services.record_case_read(request.user, case=case)
    detail = selectors.case_detail_for(request.user, case=case, today=timezone.localdate())
    context = {
        "detail": detail,
        "case": case,
        "sign_off_is_support": selectors.SIGN_OFF_IS_SUPPORT,
    }
    return render(request, "mentoring/cases/detail.html", context)


@login_required
def case_stage(request, case_id: int):
    """Who may use it: the holder and the unit's managers; move the stage, name the supervisor."""
    case = selectors.get_case_to_manage(request.user, pk=case_id, open_only=True)
    form = forms.CaseStageForm(
        request.POST or None,
        supervisors=selectors.supervisor_choices([case.organisation_id], exclude=case.holder),
        initial={"stage": case.stage, "supervisor": case.supervisor_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_case_stage(request.user, case=case, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, STAGE_CHANGED)
            return redirect("mentoring:case", case_id=case.pk)
    # After a refused POST the form's errors say what is missing for the values just sent.
    guardrail = None if form.is_bound else selectors.guardrail_of(case, today=timezone.localdate())
    context = {"case": case, "form": form, "guardrail": guardrail}
    return render(request, "mentoring/cases/stage.html", context)


@login_required
def case_close(request, case_id: int):
    """Who may use it: the holder and the unit's managers."""
    case = selectors.get_case_to_manage(request.user, pk=case_id)
    form = forms.CloseCaseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_case(request.user, case=case, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, CASE_CLOSED_DONE)
            return redirect("mentoring:case", case_id=case.pk)
    # After a refused POST the form's errors say what is missing for the values just sent.
    guardrail = None if form.is_bound else selectors.guardrail_of(case, today=timezone.localdate())
    context = {"case": case, "form": form, "guardrail": guardrail}
    return render(request, "mentoring/cases/close.html", context)


def _may_sign(user, case) -> bool:
    return case.is_at_decision and permissions.is_qualified_for(
        user, person=case.holder, case_type=case.case_type, today=timezone.localdate()
    )


@login_required
def review_new(request, case_id: int):
    """Who may use it: the named supervisor, the holder's mentor and the unit's managers."""
    case = selectors.get_case_to_review(request.user, pk=case_id)
    form = forms.CaseReviewForm(
        request.POST or None,
        honour_related=case.case_type.honour_related,
        may_sign=_may_sign(request.user, case),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.record_case_review(request.user, case=case, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, REVIEW_SIGNED_DONE if review.is_signed else REVIEW_SAVED)
            return redirect("mentoring:case", case_id=case.pk)
    context = {"case": case, "form": form, "sign_off_is_support": selectors.SIGN_OFF_IS_SUPPORT}
    return render(request, "mentoring/cases/review.html", context)


@login_required
def review_edit(request, review_id: int):
    """Who may use it: the supervisor who made the review, while it is unsigned."""
    review = selectors.get_review_to_edit(request.user, pk=review_id)
    case = review.case
    form = forms.CaseReviewForm(
        request.POST or None,
        honour_related=case.case_type.honour_related,
        may_sign=review.is_at_decision and _may_sign(request.user, case),
        initial={
            "date": review.date,
            "observed_level": review.observed_level,
            "notes": review.notes,
            "child_spoken_alone": review.child_spoken_alone,
            "child_view_documented": review.child_view_documented,
            "risk_assessment_made": review.risk_assessment_made,
            "honour_risk_assessment_made": review.honour_risk_assessment_made,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.update_case_review(
                request.user, review=review, **form.service_kwargs()
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, REVIEW_SIGNED_DONE if review.is_signed else REVIEW_SAVED)
            return redirect("mentoring:case", case_id=case.pk)
    context = {
        "case": case,
        "review": review,
        "form": form,
        "sign_off_is_support": selectors.SIGN_OFF_IS_SUPPORT,
    }
    return render(request, "mentoring/cases/review.html", context)


@login_required
def decide(request, review_id: int):
    """Who may use it: someone qualified to decide the holder's entrustment level (level 5 for
    the case type, the holder's mentor, a manager of their unit); offered from a review,
    prefilled with the level the supervisor observed."""
    review = selectors.get_review_to_decide(request.user, pk=review_id, today=timezone.localdate())
    case = review.case
    form = forms.EntrustmentDecisionForm(
        request.POST or None, initial={"level": review.observed_level}
    )
    if request.method == "POST" and form.is_valid() and "confirmed" not in request.POST:
        # A decision cannot be changed afterwards: the first POST (the case page's quick
        # button or this form) only shows what the level allows and asks to confirm it.
        level = form.cleaned_data["level"]
        context = {
            "review": review,
            "form": form,
            "level_label": EntrustmentLevel(level).label,
            "allows": permissions.what_level_allows(level),
        }
        return render(request, "mentoring/cases/decide_confirm.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_entrustment(
                request.user,
                person=case.holder,
                case_type=case.case_type,
                reviews=[review],
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, DECISION_SAVED)
            return redirect("mentoring:case", case_id=case.pk)
    return render(request, "mentoring/cases/decide.html", {"review": review, "form": form})


@login_required
def caseload(request, unit_id: int | None = None):
    """Who may use it: first-line managers, for the units they manage (404 for any other):
    caseload against guideline, supervision coverage, child perspective and alerts."""
    overviews = selectors.caseload_overview_for(
        request.user, today=timezone.localdate(), unit_id=unit_id
    )
    return render(request, "mentoring/cases/caseload.html", {"overviews": overviews})
