from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import charts
from core.dates import format_day_month
from learning import selectors as learning_selectors
from learning import signoffs
from people import waiting
from people.audit import record_event
from people.forms import add_service_errors
from people.models import AuditAction
from team import exports, selectors
from team.forms import SignOffForm

DISTRIBUTION_TITLE = _("Hur långt teamet har kommit")
OVERDUE_TITLE = _("Försenade moduler de senaste 12 veckorna")
DISTRIBUTION_X = _("Andel av modulerna som är klara")
DISTRIBUTION_Y = _("Antal personer")
OVERDUE_X = _("Datum (samma veckodag varje vecka)")
OVERDUE_Y = _("Antal försenade moduler")
SIGNED_OFF = _("Introduktionen för %(name)s är godkänd och intyget är utfärdat (%(code)s).")
ALREADY_SIGNED_OFF = _("Introduktionen för %(name)s är redan godkänd. Intyget utfärdades en gång.")
COLUMNS = [
    ("namn", _("Namn")),
    ("enhet", _("Enhet")),
    ("", _("Roll")),
    ("start", _("Startdatum")),
    ("framsteg", _("Framsteg")),
    ("forsenade", _("Försenade moduler")),
    ("", _("Mentor")),
    ("", _("Senaste intyg")),
]


def _overview(request, unit_id):
    return selectors.team_overview_for(
        request.user,
        unit_id=unit_id,
        sort=request.GET.get("sortera", "namn"),
        only=request.GET.get("visa", ""),
    )


@login_required
def overview(request, unit_id: int | None = None):
    """Who may use it: first-line managers, for the units they manage; 404 for anyone else."""
    team = _overview(request, unit_id)
    context = {
        "team": team,
        "all_units": selectors.managed_units_for(request.user),
        "columns": COLUMNS,
        "descending": [key for key, (_key, reverse) in selectors.SORTS.items() if reverse],
        "unit_id": unit_id,
        # "Väntar på mig" on the landing page only, not on each unit's page.
        "waiting": waiting.waiting_for(request.user) if unit_id is None else [],
        "awaiting_sign_off": team.awaiting_sign_off,
        "sort": request.GET.get("sortera", "namn"),
        "only": request.GET.get("visa", ""),
        "filters": selectors.FILTERS,
        "distribution_chart": charts.bar_chart(
            str(DISTRIBUTION_TITLE),
            team.distribution,
            x_label=str(DISTRIBUTION_X),
            y_label=str(DISTRIBUTION_Y),
        ),
        "overdue_chart": charts.bar_chart(
            str(OVERDUE_TITLE),
            [(format_day_month(day), count) for day, count in team.overdue_history],
            x_label=str(OVERDUE_X),
            y_label=str(OVERDUE_Y),
        ),
    }
    return render(request, "team/overview.html", context)


@login_required
def export(request, fmt: str, unit_id: int | None = None):
    """Who may use it: first-line managers; the table they see, as CSV or XLSX, logged."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    team = _overview(request, unit_id)
    for organisation_id in {unit.organisation_id for unit in team.units}:
        record_event(
            request.user,
            action=AuditAction.EXPORT,
            organisation=organisation_id,
            object_type="team.overview",
            object_id=unit_id or "",
            note=gettext_noop("%(format)s, %(count)s rader"),
            note_values={"format": fmt.upper(), "count": len(team.members)},
        )
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(exports.team_csv(team.members), content_type="text/csv")
    else:
        response = HttpResponse(
            exports.team_xlsx(team.members),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="mitt-team-{stamp}.{fmt}"'
    return response


@login_required
def sign_off(request, enrolment_id: int):
    """Who may use it: the first-line manager (or a delegate with the manager role) of the
    new hire's unit; a 404 for anyone else. After the closing conversation (avslutande samtal)
    they sign the introduction off with its date and an optional comment, after confirming;
    the certificate is issued then. A second click issues nothing more."""
    enrolment = learning_selectors.get_enrolment_for_sign_off(request.user, pk=enrolment_id)
    name = enrolment.user.get_full_name()
    if enrolment.status == enrolment.Status.COMPLETED:
        messages.info(request, ALREADY_SIGNED_OFF % {"name": name})
        return redirect("team:overview")
    form = SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = signoffs.sign_off_introduction(
                request.user,
                enrolment=enrolment,
                conversation_date=form.cleaned_data["conversation_date"],
                comment=form.cleaned_data["comment"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, SIGNED_OFF % {"name": name, "code": certificate.code})
            return redirect("team:overview")
    return render(request, "team/sign_off.html", {"enrolment": enrolment, "form": form})
