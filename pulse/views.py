"""Pages of the pulse survey under /puls/: answering one's own pulse, and the results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.forms import add_service_errors
from pulse import forms, selectors, services

THANKS = _("Tack för dina svar!")


@login_required
def answer(request, token: str):
    """Who may use it: the invited person only (404 for everyone else). A second answer is
    refused with a message; a closed round says so."""
    invitation = selectors.get_invitation_for(request.user, token=token)
    is_open = invitation.round.is_open_on(timezone.localdate())
    form = forms.PulseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if invitation.answered_at is not None or not is_open:
            messages.error(request, services.ALREADY_ANSWERED if is_open else services.ROUND_CLOSED)
            return redirect("pulse:answer", token=token)
        if form.is_valid():
            try:
                services.answer_pulse(request.user, invitation=invitation, **form.cleaned_data)
            except ValidationError as error:
                if error.code in ("already", "closed"):
                    messages.error(request, " ".join(error.messages))
                    return redirect("pulse:answer", token=token)
                add_service_errors(form, error)
            except PermissionDenied as error:
                add_service_errors(form, error)
            else:
                messages.success(request, THANKS)
                return redirect("pulse:answer", token=token)
    context = {
        "invitation": invitation,
        "form": form,
        "is_open": is_open,
        "answered": invitation.answered_at is not None,
    }
    return render(request, "pulse/answer.html", context)


@login_required
def results(request):
    """Who may use it: municipal admins (their municipality, with grouped comments) and
    first-line managers (their units); 404 for everyone else."""
    return render(request, "pulse/results.html", {"page": selectors.results_for(request.user)})
