"""API tokens in the Django admin: listed for administrators, deletable (revoked), never edited or added.

The login audit (successes, failures with their lockout flag, current lockouts) is django-axes'
own admin: "Access logs", "Access failures" and "Access attempts" under Axes.
"""

from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created_at", "last_used_at", "expires_at")
    list_filter = ("created_at", "expires_at")
    search_fields = ("name", "user__username")
    readonly_fields = ("user", "name", "roles", "created_at", "last_used_at", "expires_at")
    exclude = ("digest", "password_fingerprint")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting revokes, through the service (audited with the administrator's name).
    def delete_model(self, request, obj):
        from .services import api_tokens_revoke_as_admin

        api_tokens_revoke_as_admin(actor=request.user, token_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        from .services import api_tokens_revoke_as_admin

        api_tokens_revoke_as_admin(actor=request.user, token_ids=list(queryset.values_list("pk", flat=True)))
