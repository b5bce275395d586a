from django.contrib import admin

from core.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("pk", "handler", "status", "attempts", "next_attempt_at", "created_at")
    list_filter = ("status", "handler")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
