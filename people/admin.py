from django.contrib import admin

from people.models import AccessibilityReport, County, FollowUpAssignment


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    """Superusers see every report, also those no municipality received (anonymous ones)."""

    list_display = ["created_at", "organisation", "page_url", "name", "email"]
    list_filter = ["organisation"]
    search_fields = ["description", "page_url"]
    readonly_fields = [f.name for f in AccessibilityReport._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    """The platform operator keeps the counties and which municipalities lie in each."""

    list_display = ["name"]
    search_fields = ["name"]


@admin.register(FollowUpAssignment)
class FollowUpAssignmentAdmin(admin.ModelAdmin):
    """County coordinators and national follow-up are assigned by the platform operator only:
    they are not a municipality's to give."""

    list_display = ["user", "level", "county", "created_at"]
    list_filter = ["level", "county"]
    raw_id_fields = ["user"]
    search_fields = ["user__email", "user__full_name"]
