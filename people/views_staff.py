"""The staff lifecycle pages (Personal): a person's page, changing a membership, pending
invitations, a leaver's open work (avslut), deactivating and reactivating.

Who may use them: municipal admins, for people within their reach
(permissions.people_within_reach); everyone else gets a 404. Every change is a POST from a
page that says what will happen (the confirmation).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from people import open_work, selectors, staff
from people.forms import (
    MembershipForm,
    OpenWorkForm,
    add_service_errors,
    message_service_error,
    service_error_messages,
)
from people.models import User

MEMBERSHIP_SAVED = _("Ändringen för %(name)s är sparad.")
INVITATION_RESENT = _("Inbjudan till %(name)s har skickats igen.")
INVITATION_REVOKED = _("Inbjudan till %(name)s är återkallad. Kontot kan inte användas.")
DEACTIVATED = _(
    "%(name)s är avaktiverad och kan inte logga in. Allt om personen finns kvar; du kan "
    "aktivera kontot igen."
)
REACTIVATED = _("%(name)s är aktiverad igen och kan logga in som förut.")
HANDED_OVER = _("Överlämnat: %(item)s.")
CLOSED = _("Avslutat: %(item)s.")
ALREADY_HANDLED = _("Det är redan överlämnat eller avslutat.")
# A leaver's page lists, for each item, everyone who may take it over. Beyond this many names in
# all, an item's list is shown only when the admin opens that item (`?item=`): 50 items in a
# large municipality were 50 lists of ~700 names, a 1.5 MB page, and a phone's worth of
# scrolling between the cards (benchmarks/README.md, the leaver page).
LEAVER_LIST_LIMIT = 300


def _person(request, user_id: int) -> User:
    return selectors.person_for_admin(request.user, user_id=user_id)


def _name(person: User) -> dict:
    return {"name": person.get_full_name()}


@login_required
def person(request, user_id: int):
    """A person's page: memberships, account status and the actions that fit it."""
    person = _person(request, user_id)
    context = {
        "person": person,
        "memberships": selectors.memberships_of(request.user, person=person),
    }
    return render(request, "people/person.html", context)


@login_required
def membership_edit(request, user_id: int, membership_id: int):
    """Change a person's role, unit and start date."""
    person = _person(request, user_id)
    membership = selectors.membership_for_admin(
        request.user, person=person, membership_id=membership_id
    )
    units = selectors.units_for_admin(request.user).filter(
        organisation_id=membership.organisation_id
    )
    initial = {
        "role": membership.role,
        "unit": membership.unit_id,
        "start_date": membership.start_date,
    }
    form = MembershipForm(
        request.POST or None, initial=initial, units=units, roles=staff.ASSIGNABLE_ROLES
    )
    if request.method == "POST" and form.is_valid():
        try:
            staff.change_membership(request.user, membership=membership, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, MEMBERSHIP_SAVED % _name(person))
            return redirect("people:person", user_id=person.pk)
    context = {"person": person, "membership": membership, "form": form}
    return render(request, "people/membership_edit.html", context)


def _confirmed_action(request, user_id, *, service, done, template_context, open_work_first=False):
    """GET: the confirmation page; POST: the service, then back to the person's page with
    what happened, or with the refusal."""
    person = _person(request, user_id)
    if request.method == "POST":
        try:
            result = service(request.user, person=person)
        except (ValidationError, PermissionDenied) as error:
            message_service_error(request, error)
        else:
            messages.success(request, done(result) % _name(person))
        return redirect("people:person", user_id=person.pk)
    groups = open_work.open_work_for(person) if open_work_first else []
    context = {"person": person, "groups": groups, **template_context}
    return render(request, "people/confirm.html", context)


@login_required
def resend_pending(request, user_id: int):
    """Send a pending invitation again (through the outbox)."""
    return _confirmed_action(
        request,
        user_id,
        service=staff.resend_pending_invitation,
        done=lambda sent: INVITATION_RESENT if sent else staff.INVITATION_SENT_TODAY,
        template_context={
            "title": _("Skicka inbjudan igen"),
            "explanation": _(
                "Personen får ett nytt e-postmeddelande med en länk för att välja lösenord."
            ),
            "button": _("Ja, skicka igen"),
        },
    )


@login_required
def revoke(request, user_id: int):
    """Revoke a pending invitation."""
    return _confirmed_action(
        request,
        user_id,
        service=staff.revoke_invitation,
        done=lambda _person: INVITATION_REVOKED,
        template_context={
            "title": _("Återkalla inbjudan"),
            "explanation": _(
                "Länken i inbjudan slutar fungera och kontot stängs. Du kan aktivera det igen "
                "senare."
            ),
            "button": _("Ja, återkalla"),
            "danger": True,
        },
        open_work_first=True,
    )


@login_required
def deactivate(request, user_id: int):
    """Deactivate a person once their open work is handed over (the leaver page)."""
    return _confirmed_action(
        request,
        user_id,
        service=staff.deactivate_person,
        done=lambda _person: DEACTIVATED,
        template_context={
            "title": _("Avaktivera"),
            "explanation": _(
                "Personen kan inte längre logga in. Kurser, ärenden, samtal och loggar finns "
                "kvar, och du kan aktivera kontot igen."
            ),
            "button": _("Ja, avaktivera"),
            "danger": True,
        },
        open_work_first=True,
    )


@login_required
def reactivate(request, user_id: int):
    """Reactivate a deactivated person (or a revoked invitation)."""
    return _confirmed_action(
        request,
        user_id,
        service=staff.reactivate_person,
        done=lambda _person: REACTIVATED,
        template_context={
            "title": _("Aktivera igen"),
            "explanation": _("Personen kan logga in igen med samma konto som förut."),
            "button": _("Ja, aktivera"),
        },
    )


@login_required
def leaver(request, user_id: int):
    """A leaver (avslut): their open work, each piece handed over or closed here, then the
    way on to deactivating or anonymising them. Each hand-over or closing is first shown on a
    confirmation page (who takes over, who is emailed) and applied only once confirmed."""
    person = _person(request, user_id)
    groups = open_work.open_work_for(person)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        item = _find_item(groups, request.POST.get("item", ""))
        form = OpenWorkForm(request.POST, candidates=item.candidates if item else ())
        if item is None:
            messages.info(request, ALREADY_HANDLED)
            return redirect("people:leaver", user_id=person.pk)
        if form.is_valid():
            close = form.cleaned_data["action"] == OpenWorkForm.CLOSE
            to = None if close else User.objects.get(pk=form.cleaned_data["to"])
            if request.POST.get("confirmed") != OpenWorkForm.CONFIRMED:
                # Nothing changes before the admin has seen this one change spelled out.
                context = {
                    "person": person,
                    "kind": open_work.kind(item.kind),
                    "item": item,
                    "to": to,
                    "data": form.cleaned_data,
                    "confirmed": OpenWorkForm.CONFIRMED,
                }
                return render(request, "people/leaver_confirm.html", context)
            try:
                done = staff.resolve_open_work(
                    request.user, person=person, kind=item.kind, pk=item.pk, to=to
                )
            except (ValidationError, PermissionDenied) as error:
                errors[item.key] = service_error_messages(error)
            else:
                message = (CLOSED if close else HANDED_OVER) % {"item": item.title}
                messages.success(request, message if done else ALREADY_HANDLED)
                return redirect("people:leaver", user_id=person.pk)
        else:
            errors[item.key] = [m for field in form.errors.values() for m in field]
    names = sum(len(item.candidates) for group in groups for item in group.items)
    opened = request.POST.get("item") or request.GET.get("item", "")
    rows = [
        {
            "kind": group.kind,
            "items": [
                {
                    "item": item,
                    "errors": errors.get(item.key, []),
                    "can_close": group.kind.can_close_item(item),
                    "stuck": group.kind.is_stuck(item),
                    "show_list": names <= LEAVER_LIST_LIMIT or item.key == opened,
                }
                for item in group.items
            ],
        }
        for group in groups
    ]
    context = {"person": person, "groups": rows, "reassign": OpenWorkForm.REASSIGN}
    context["close"] = OpenWorkForm.CLOSE
    return render(request, "people/leaver.html", context, status=400 if errors else 200)


def _find_item(groups, key: str):
    for group in groups:
        for item in group.items:
            if item.key == key:
                return item
    return None
