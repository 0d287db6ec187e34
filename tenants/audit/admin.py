from django.contrib import admin

from tenants.audit.models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """For append-only records (audit, ledger, fund movements): list and read, nothing else."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_username", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_username", "object_id", "action"]
    date_hierarchy = "at"
