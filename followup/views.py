from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core import charts
from followup import exports, permissions, selectors, services, setup
from followup.forms import CooperationGroupForm, CountySetupForm
from people.forms import add_service_errors

GROUP_SAVED = _("Samverkansgruppen är sparad.")
GROUP_DELETED = _("Samverkansgruppen är borttagen.")
COUNTY_SAVED = _("Länsindelningen är ändrad.")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _follow_up(request):
    return selectors.follow_up_for(
        request.user,
        area_slug=request.GET.get("omrade"),
        quarter_slug=request.GET.get("kvartal"),
    )


# Eight quarters drawn to fit a phone whole (core.charts.PHONE_WIDTH).
CHART_WIDTH = 320


def _chart(trend) -> charts.BarChart:
    """The trend as bars; a suppressed or missing quarter is an empty slot (its value is "–"
    in the table beside the chart)."""
    points = [
        (quarter.label, int(cell.value) if cell.shown else 0) for quarter, cell in trend.points
    ]
    # Under the bars the year is named where a new year begins, and at the first quarter
    # unless a new year begins right after it (two years side by side would touch);
    # the chart's description and table keep every quarter's full label.
    axis = [
        f"{quarter.short_label} {quarter.year}"
        if quarter.number == 1 or (index == 0 and quarter.number != 4)
        else quarter.short_label
        for index, (quarter, _cell) in enumerate(trend.points)
    ]
    return charts.bar_chart(str(trend.indicator.label), points, width=CHART_WIDTH, axis_labels=axis)


@login_required
def overview(request):
    """Who may use it: municipal admins (their municipality), county coordinators (their
    county) and national follow-up (the nation and every county); a 404 for anyone else and
    for an area outside one's reach. Figures only, every one through disclosure control."""
    follow_up = _follow_up(request)
    context = {
        "f": follow_up,
        "charts": [(trend, _chart(trend)) for trend in follow_up.trends],
        "can_edit_groups": permissions.can_edit_cooperation_groups(request.user),
    }
    return render(request, "followup/overview.html", context)


@login_required
def export(request, fmt: str):
    """Who may use it: as the page; the same figures (suppressed ones blank) as CSV, XLSX or a
    one-page PDF, logged in the audit log of every municipality in the area."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    follow_up = _follow_up(request)
    services.record_export(request.user, area=follow_up.area, quarter=follow_up.quarter, fmt=fmt)
    body = {
        "csv": exports.follow_up_csv,
        "xlsx": exports.follow_up_xlsx,
        "pdf": exports.follow_up_pdf,
    }[fmt](follow_up)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"uppfoljning-{follow_up.area.slug}-{follow_up.quarter.slug}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _coordinator(request):
    if not permissions.can_edit_cooperation_groups(request.user):
        raise Http404


@login_required
def groups(request):
    """Who may use it: county coordinators, for the groups of their own county; a 404 for
    anyone else."""
    _coordinator(request)
    return render(
        request,
        "followup/groups.html",
        {"groups": selectors.cooperation_groups_for(request.user)},
    )


@login_required
def group_edit(request, group_id: int | None = None):
    """Who may use it: county coordinators; a group of another county is a 404."""
    _coordinator(request)
    group = selectors.get_cooperation_group_for(request.user, pk=group_id) if group_id else None
    county_ids = permissions.coordinated_county_ids(request.user)
    county = group.county if group else None
    if county is None:
        from people.models import County

        county = County.objects.filter(pk__in=county_ids).order_by("name").first()
    initial = {}
    if group is not None:
        initial = {
            "name": group.name,
            "organisations": [m.organisation_id for m in group.members.all()],
        }
    form = CooperationGroupForm(
        request.POST or None,
        initial=initial,
        municipalities=selectors.municipalities_of([county.pk]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_cooperation_group(
                request.user,
                county=county,
                name=form.cleaned_data["name"],
                organisations=list(form.cleaned_data["organisations"]),
                group=group,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, GROUP_SAVED)
            return redirect("followup:groups")
    return render(
        request, "followup/group_form.html", {"form": form, "group": group, "county": county}
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_delete(request, group_id: int):
    """Who may use it: county coordinators, for their own county's groups. A GET asks for
    confirmation; the POST from that page deletes."""
    _coordinator(request)
    group = selectors.get_cooperation_group_for(request.user, pk=group_id)
    if request.method == "GET":
        return render(request, "followup/group_confirm_delete.html", {"group": group})
    services.delete_cooperation_group(request.user, group=group)
    messages.success(request, GROUP_DELETED)
    return redirect("followup:groups")


@login_required
def counties(request):
    """Who may use it: the platform operator (superuser) only, a 404 for everyone else: every
    county with its municipalities and coordinators, and municipalities without a county."""
    return render(
        request,
        "followup/counties.html",
        {
            "counties": selectors.counties_for_setup(request.user),
            "unplaced": selectors.municipalities_without_county(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def county_edit(request, county_id: int):
    """Who may use it: the platform operator only. The changes are shown for confirmation
    first; the confirming POST (with `bekrafta`) carries the same fields and makes them."""
    county = selectors.get_county_for_setup(request.user, pk=county_id)
    form = CountySetupForm(request.POST or None, county=county)
    if request.method == "POST" and form.is_valid():
        try:
            changes = setup.plan_county_changes(
                request.user,
                county=county,
                move=list(form.cleaned_data["move"]),
                appoint_emails=form.cleaned_data["appoint"],
                remove=list(form.cleaned_data.get("remove") or []),
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            if request.POST.get("bekrafta"):
                setup.apply_county_changes(request.user, changes=changes)
                messages.success(request, COUNTY_SAVED)
                return redirect("followup:counties")
            return render(
                request,
                "followup/county_confirm.html",
                {
                    "county": county,
                    "changes": changes,
                    "appoint": ", ".join(form.cleaned_data["appoint"]),
                },
            )
    return render(request, "followup/county_form.html", {"form": form, "county": county})
