"""Admin for accounts and a read-only view of the audit log; bulk deletions are audited too."""

from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_record
from accounts.models import AuditEvent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role in Tartip"), {"fields": ("role", "organisation", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role in Tartip"), {"fields": ("role", "organisation")}),
    )
    list_display = ("username", "get_full_name", "role", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff", "organisation__kind")
    list_select_related = ("organisation",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the log is append-only and hash-chained (accounts/audit.py)."""

    list_display = ("at", "action", "actor_label", "target", "address")
    list_filter = ("action",)
    search_fields = ("actor_label", "target")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(permissions=["delete"], description=delete_selected.short_description)
def delete_selected_and_audit(modeladmin, request, queryset):
    """Django's bulk delete logs several objects with bulk_create, which sends no post_save signal
    (the audit hook sees single LogEntry rows only): record such deletions here."""
    deleted = [str(obj) for obj in queryset] if request.POST.get("post") else []
    response = delete_selected(modeladmin, request, queryset)
    if response is None and len(deleted) > 1:  # None: confirmed and done
        audit_record(
            action=AuditEvent.Action.ADMIN_CHANGE,
            actor=request.user,
            target=modeladmin.model._meta.label_lower,
            details={"operation": "delete", "objects": deleted},
            request=request,
        )
    return response


admin.site.add_action(delete_selected_and_audit, "delete_selected")
