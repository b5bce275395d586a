from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from people.forms import add_service_errors
from sso import selectors, services
from sso.forms import IdentityProviderForm
from sso.models import IdentityProvider

NO_PROVIDER_FOR_DOMAIN = _(
    "Din kommun har ingen egen inloggning här. Logga in med e-post och lösenord."
)
SETTINGS_SAVED = _("Inloggningen via identitetstjänsten är sparad.")
ARRIVAL_CONFIRMED = _("%(name)s är bekräftad.")


def find(request):
    """Public: which municipality's login an email address belongs to."""
    email = request.GET.get("email", "").strip()[:254]
    next_url = request.GET.get("next", "")
    if email:
        idp = selectors.identity_provider_for_email(email)
        if idp is not None:
            target = redirect("sso:login", slug=idp.slug)
            if next_url:
                target["Location"] += "?" + urlencode({"next": next_url})
            return target
        messages.info(request, NO_PROVIDER_FOR_DOMAIN)
        return redirect("account_login")
    return render(request, "sso/find.html", {"next": next_url})


def login(request, slug):
    """Public: the municipality's own login page, "Logga in med <kommun>"."""
    idp = selectors.get_login_provider(slug=slug)
    return render(
        request,
        "sso/login.html",
        {
            "idp": idp,
            "action": selectors.provider_login_url(idp),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def settings_page(request):
    """Who may use it: municipal admins, for their own municipality's identity provider."""
    organisation, idp = selectors.administered_identity_provider(request.user)
    instance = idp or IdentityProvider(organisation=organisation)
    form = IdentityProviderForm(request.POST or None, instance=instance, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_identity_provider(
                request.user,
                idp=form.instance,
                domains=form.domain_list(),
                client_secret=form.cleaned_data["client_secret"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, SETTINGS_SAVED)
            return redirect("sso:settings")
    return render(
        request,
        "sso/settings.html",
        {
            "form": form,
            "organisation": organisation,
            "idp": idp,
            "arrivals": selectors.pending_arrivals_for(request.user),
        },
    )


@login_required
@require_POST
def confirm_arrival(request, arrival_id):
    arrival = selectors.get_pending_arrival_for(request.user, pk=arrival_id)
    services.confirm_arrival(request.user, arrival=arrival)
    messages.success(request, ARRIVAL_CONFIRMED % {"name": arrival.user.get_full_name()})
    return redirect("sso:settings")


DIRECTORY_SAVED = _("Inställningarna för katalogsynk är sparade.")
TOKEN_REVOKED = _("Nyckeln %(label)s är återkallad. Katalogen kan inte längre använda den.")


@login_required
def directory(request):
    """Who may use it: municipal admins, for their own municipality's directory (SCIM):
    settings, and tokens created (shown once) and revoked."""
    from sso.forms import DirectorySyncForm, ScimTokenForm
    from sso.models import DirectorySync
    from sso.scim import services as scim_services

    organisation, sync, tokens = selectors.administered_directory(request.user)
    instance = sync or DirectorySync(organisation=organisation)
    action = request.POST.get("action") if request.method == "POST" else None
    form = DirectorySyncForm(
        request.POST if action == "settings" else None,
        instance=instance,
        organisation=organisation,
    )
    token_form = ScimTokenForm(request.POST if action == "token" else None)
    new_token = ""
    if action == "settings" and form.is_valid():
        try:
            scim_services.save_directory_sync(request.user, sync=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, DIRECTORY_SAVED)
            return redirect("sso:directory")
    if action == "token" and token_form.is_valid():
        try:
            _row, new_token = scim_services.create_scim_token(
                request.user,
                organisation_id=organisation.pk,
                label=token_form.cleaned_data["label"],
            )
        except ValidationError as error:
            add_service_errors(token_form, error)
        else:
            # Shown on this response only: the token is stored as its hash and never again
            # readable, so there is no redirect to a page that would have lost it.
            organisation, sync, tokens = selectors.administered_directory(request.user)
            token_form = ScimTokenForm()
    return render(
        request,
        "sso/directory.html",
        {
            "organisation": organisation,
            "form": form,
            "token_form": token_form,
            "tokens": tokens,
            "new_token": new_token,
            "scim_url": request.build_absolute_uri("/scim/v2/"),
        },
    )


@login_required
@require_POST
def revoke_token(request, token_id):
    from sso.scim import services as scim_services

    token = selectors.get_token_for_admin(request.user, pk=token_id)
    scim_services.revoke_scim_token(request.user, token=token)
    messages.success(request, TOKEN_REVOKED % {"label": token.label})
    return redirect("sso:directory")


@login_required
def overview(request):
    """Who may use it: the platform operator (a superuser) only; 404 for everyone else."""
    return render(request, "sso/overview.html", {"rows": selectors.sign_in_overview(request.user)})
