"""The municipal admin's list of failed deliveries (utskick som inte kom fram) and sending an
invitation again. Kept apart from people/views.py so the two change independently."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from people import selectors, services
from people.forms import message_service_error

INVITATION_RESENT = _("Inbjudan skickas igen.")


@login_required
def deliveries(request):
    """Who may use it: municipal admins, for deliveries to staff of their own municipality."""
    rows = selectors.failed_deliveries_for(request.user)
    return render(request, "people/deliveries.html", {"rows": rows})


@login_required
@require_POST
def resend_invitation(request, delivery_id: int):
    """Who may use it: municipal admins, for a failed invitation to their own municipality's
    staff (the rule that decides who may invite). A second click sends nothing more."""
    delivery = selectors.failed_invitation_for(request.user, pk=delivery_id)
    try:
        services.resend_invitation(request.user, delivery=delivery)
    except (ValidationError, PermissionDenied) as error:
        message_service_error(request, error)
    else:
        messages.success(request, INVITATION_RESENT)
    return redirect("people:deliveries")
