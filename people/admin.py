from django.contrib import admin

from people.models import AccessibilityReport


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    """Superusers see every report, also those no municipality received (anonymous ones)."""

    list_display = ["created_at", "organisation", "page_url", "name", "email"]
    list_filter = ["organisation"]
    search_fields = ["description", "page_url"]
    readonly_fields = [f.name for f in AccessibilityReport._meta.fields]

    def has_add_permission(self, request):
        return False
