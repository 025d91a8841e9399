"""Back-office (Django admin) for the system and security administrators.

Every admin change writes the same audit rows as the services; querysets are cut by the
administrator's jurisdiction; the audit log itself is read-only for everyone.
"""

from __future__ import annotations

from django.contrib import admin

from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction, AuditLog


class PinganModelAdmin(admin.ModelAdmin):
    """Admin whose permissions come from the role table, not per-user Django permissions."""

    editor_flag = "manage_accounts"  # RolePolicy attribute that allows editing this model

    def _allowed(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.role and getattr(user.policy, self.editor_flag, False))

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if hasattr(qs, "visible_to"):
            return qs.visible_to(request.user)
        return qs

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit_record(request.user, AuditAction.UPDATE if change else AuditAction.CREATE, obj,
                     before=before, after=snapshot(obj), detail="后台管理")

    def delete_model(self, request, obj):
        before = snapshot(obj)
        audit_record(request.user, AuditAction.DELETE, obj, before=before, detail="后台管理")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_login", "actor_role", "action", "object_type", "object_repr", "result")
    list_filter = ("action", "result")
    search_fields = ("actor_login", "object_repr", "request_id")

    def has_module_permission(self, request):
        return bool(request.user.role and request.user.policy.read_audit)

    has_view_permission = lambda self, request, obj=None: self.has_module_permission(request)  # noqa: E731

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
