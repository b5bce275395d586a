import csv
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from people import (
    audit,
    bulk,
    exports,
    open_work,
    permissions,
    personal_data,
    selectors,
    services,
    waiting,
)
from people.forms import (
    AuditFilterForm,
    InvitationCSVForm,
    InvitationForm,
    ProfileForm,
    StaffFilterForm,
    add_service_errors,
)
from people.models import AuditAction, Organisation, Role

logger = logging.getLogger(__name__)
STAFF_PER_PAGE = 50
AUDIT_PER_PAGE = 50

INVITATION_SENT = _("Inbjudan har skickats till %(email)s.")
PROFILE_SAVED = _("Dina inställningar är sparade.")
ANONYMISED = _(
    "%(name)s är anonymiserad. Kontot är stängt och namnet borta; statistiken finns kvar."
)


def bulk_invited(count: int) -> str:
    return ngettext(
        "%(count)s inbjudan har skickats.", "%(count)s inbjudningar har skickats.", count
    ) % {"count": count}


@login_required
def start(request):
    """Where a person lands after logging in: the page that fits their role."""
    user = request.user
    # Mentors and managers land on their work (each page opens with "Väntar på mig"), not on
    # their own courses, which stay one click away on "Min introduktion".
    if permissions.managed_unit_ids(user):
        return redirect("team:overview")
    if permissions.has_role(user, Role.MENTOR):
        return redirect("mentoring:my_mentees")
    if permissions.is_learner(user):
        return redirect("learning:dashboard")
    if permissions.has_role(user, Role.MUNICIPAL_ADMIN):
        return redirect("people:staff")
    if permissions.can_edit_curriculum(user):
        return redirect("wagtailadmin_home")
    if permissions.has_role(user, Role.COURSE_LEADER):
        return redirect("learning:runs_led")
    return render(request, "people/no_role.html")


@login_required
def staff(request):
    """Who may use it: municipal admins (kommunadministratörer), for their own municipality:
    one row per person, searchable and filtered by unit, role and account status."""
    units = selectors.units_for_admin(request.user)
    form = StaffFilterForm(request.GET or None, units=units)
    people = selectors.staff_list_for(request.user, **form.filters())
    page = Paginator(people, STAFF_PER_PAGE).get_page(request.GET.get("sida"))
    failed = selectors.failed_delivery_count(request.user)
    query = request.GET.copy()
    query.pop("sida", None)
    context = {
        "page": page,
        "form": form,
        "failed_deliveries": failed,
        "query": query.urlencode(),
        "waiting": waiting.waiting_for(request.user),
    }
    return render(request, "people/staff.html", context)


@login_required
def invite(request):
    """Who may use it: municipal admins; invite a person to a unit in their own municipality."""
    selectors.staff_for_admin(request.user)  # 404 for everyone but municipal admins
    form = InvitationForm(request.POST or None, units=selectors.units_for_admin(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_person(request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            # The address as typed (normalised), also when it has an account elsewhere.
            email = form.cleaned_data["email"].strip().lower()
            messages.success(request, INVITATION_SENT % {"email": email})
            return redirect("people:staff")
    return render(request, "people/invite.html", {"form": form})


@login_required
def profile(request):
    """Who may use it: any logged-in person, for their own name, language and email choices."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, **form.cleaned_data)
        messages.success(request, PROFILE_SAVED)
        return redirect("people:profile")
    return render(request, "people/profile.html", {"form": form})


@require_POST
def set_language(request):
    """Who may use it: anyone (the language switcher). Sets the language cookie and goes back
    to `next` (a page on this site); a logged-in person's profile language is saved too, since
    the profile decides their language on every device and in their emails."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        return response
    user = request.user
    if user.is_authenticated and language != user.preferred_language:
        services.set_preferred_language(user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_required
def invite_csv(request):
    """Who may use it: municipal admins; upload a CSV, preview every row, then confirm."""
    selectors.staff_for_admin(request.user)  # 404 for everyone but municipal admins
    if request.method == "POST" and "token" in request.POST:
        try:
            invited, failed = bulk.invite_confirmed_rows(request.user, token=request.POST["token"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("people:invite_csv")
        if invited:
            messages.success(request, bulk_invited(len(invited)))
        context = {"form": InvitationCSVForm(), "failed": failed}
        if not failed:
            return redirect("people:staff")
        return render(request, "people/invite_csv.html", context)
    form = InvitationCSVForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            rows = bulk.parse_invitation_csv(request.user, data=form.cleaned_data["file"].read())
        except ValidationError as error:
            form.add_error("file", error)
        else:
            context.update(
                rows=rows,
                valid=sum(1 for r in rows if r.ok),
                token=bulk.sign_rows(rows),
            )
    return render(request, "people/invite_csv.html", context)


@login_required
def audit_log(request):
    """Who may use it: municipal admins, for their own municipality's granskningslogg.
    `?export=csv` gives the filtered log as CSV, itself a line in the log."""
    selectors.staff_for_admin(request.user)  # 404 for everyone but municipal admins
    form = AuditFilterForm(
        request.GET or None,
        people=audit.people_in_log(request.user),
        record_types=audit.record_type_choices(),
        actions=AuditAction.choices,
    )
    if form.is_bound and not form.is_valid():
        return render(request, "people/audit_log.html", {"form": form, "page": None})
    data = form.cleaned_data if form.is_bound else {}
    filters = audit.AuditFilter(
        action=data.get("handelse") or "",
        object_type=data.get("typ") or "",
        person=data.get("person"),
        since=data.get("fran"),
        until=data.get("till"),
    )
    events = audit.audit_events_for(request.user, filters=filters)
    if request.GET.get("export") == "csv":
        return _audit_log_csv(request, events, filters)
    page = Paginator(events, AUDIT_PER_PAGE).get_page(request.GET.get("sida"))
    rows = [(event, audit.describe(event), audit.details_text(event)) for event in page]
    query = request.GET.copy()
    query.pop("sida", None)
    query.pop("export", None)
    return render(
        request,
        "people/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


def _audit_log_csv(request, events, filters: audit.AuditFilter) -> HttpResponse:
    """The filtered log as CSV (ISO 8601 times, one line per event, the description in the
    reader's language); the export is itself logged, in each municipality the admin reads."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="granskningslogg-{stamp}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 as such only with the byte-order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Tidpunkt"),
            _("Kommun"),
            _("Utförd av"),
            _("Händelse"),
            _("Posttyp"),
            _("Post-id"),
            _("Beskrivning"),
            _("Detaljer"),
        ]
    )
    count = 0
    for event in events.iterator(chunk_size=2000):
        count += 1
        row = [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.organisation.name,
            event.actor_display or audit.SYSTEM,
            event.get_action_display(),
            audit.record_type_name(event.object_type),
            event.object_id,
            audit.describe(event),
            audit.details_text(event),
        ]
        writer.writerow([exports.escape_formula(str(cell)) for cell in row])
    note, note_values = audit.export_note(filters)
    for organisation_id in sorted(permissions.administered_organisation_ids(request.user)):
        audit.record_event(
            request.user,
            action=AuditAction.EXPORT,
            organisation=organisation_id,
            object_type="people.auditevent",
            # The person filtered by is the line's subject: the log names them through its
            # join (anonymised later, they read as such) and their own lines show the export.
            subject=filters.person,
            details={"rows": count},
            note=note,
            note_values=note_values,
        )
    return response


def _database_accepts_writes() -> bool:
    """A database that answers but refuses writes (a replica, a failover in progress, a
    read-only switch during maintenance) fails every save with a 503: the health check must
    say so, or the load balancer keeps sending people to a site where nothing can be saved."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), current_setting('transaction_read_only'), "
                "current_setting('default_transaction_read_only')"
            )
            in_recovery, read_only, default_read_only = cursor.fetchone()
        return not in_recovery and read_only == "off" and default_read_only == "off"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only")
            return not cursor.fetchone()[0]
    return True


def health(request):
    """Who may use it: anyone (load balancers); 200 when the database answers and accepts
    writes, else a 503 (the 503 page when it does not answer at all)."""
    Organisation.objects.exists()
    if not _database_accepts_writes():
        logger.error("Health check: the database is read-only")
        response = HttpResponse("database read-only", status=503, content_type="text/plain")
        response["Retry-After"] = "30"
        return response
    return HttpResponse("ok", content_type="text/plain")


@login_required
def my_data(request):
    """Who may use it: any logged-in person, for all data about themself (JSON in a zip)."""
    response = HttpResponse(
        personal_data.personal_data_zip(request.user), content_type="application/zip"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mina-uppgifter-{stamp}.zip"'
    return response


@login_required
def anonymise(request, user_id: int):
    """Who may use it: municipal admins, for staff of their own municipality (not themselves)."""
    person = get_object_or_404(personal_data.departed_candidates(request.user), pk=user_id)
    if request.method == "POST":
        name = person.full_name
        try:
            personal_data.anonymise_person(request.user, user=person)
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("people:leaver", user_id=person.pk)
        else:
            messages.success(request, ANONYMISED % {"name": name})
        return redirect("people:staff")
    context = {"person": person, "groups": open_work.open_work_for(person)}
    return render(request, "people/anonymise.html", context)
