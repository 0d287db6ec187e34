from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from common.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Essaim"), {"fields": ("role", "language")}))
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Essaim"), {"fields": ("role", "language")}),
    )
