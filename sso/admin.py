from django.contrib import admin

from sso.models import Arrival, EmailDomain, IdentityProvider


class EmailDomainInline(admin.TabularInline):
    model = EmailDomain
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """For the platform operator (superusers); municipal admins use /sso/installningar/, which
    keeps allauth's SocialApp in step (sso.services.save_identity_provider)."""

    list_display = ["organisation", "protocol", "slug", "enabled"]
    inlines = [EmailDomainInline]

    # Read only here: a save that skipped the service would leave allauth's SocialApp and the
    # domain checks behind.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Arrival)
class ArrivalAdmin(admin.ModelAdmin):
    list_display = ["user", "identity_provider", "created_at", "confirmed_at"]
