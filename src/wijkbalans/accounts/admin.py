from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AuditEntry, Membership, Organisation, User

admin.site.register(User, UserAdmin)
admin.site.register(Organisation)
admin.site.register(Membership)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_repr", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
