from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .audit.models import AuditAction
from .audit.services import audit_record, user_state
from .models import Evidence, Problem, Site, SiteReport, User


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region", "providers", "shifts_per_week", "visits_per_week", "active")
    list_filter = ("active", "region")
    search_fields = ("code", "name")

    def save_model(self, request, obj, form, change):
        # Through the services so the problems a size change affects are marked stale.
        from .services import site_create, site_update

        values = {f: form.cleaned_data[f] for f in form.changed_data} if change else form.cleaned_data
        if change:
            site_update(site=obj, actor=request.user, **values)
        else:
            created = site_create(actor=request.user, **values)
            obj.pk = created.pk


@admin.register(User)
class BridgeUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Bridge", {"fields": ("home_site", "sites", "is_demo")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Bridge", {"fields": ("home_site", "sites", "groups")}))
    filter_horizontal = (*UserAdmin.filter_horizontal, "sites")
    list_display = ("username", "email", "home_site", "is_staff", "is_active", "is_demo")
    list_filter = ("groups", "home_site", "is_active", "is_demo")
    readonly_fields = ("is_demo",)

    def save_model(self, request, obj, form, change):
        # What the account was, for the audit row save_related writes (the change form is one transaction).
        obj._audit_before = user_state(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if user.home_site_id is not None:  # the home site is always one of the sites a user works at
            user.sites.add(user.home_site_id)
        before, after = getattr(user, "_audit_before", None), user_state(user)
        if before != after:
            action = AuditAction.USER_CHANGE if change else AuditAction.USER_CREATE
            audit_record(action=action, actor=request.user, target=user, before=before, after=after)
        # After the password, active flag and groups are saved: tokens they revoked stay revoked.
        from .auth.services import api_tokens_clear_revoked

        api_tokens_clear_revoked(user=form.instance)


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "status", "workflow_area", "safety_concern", "created_at")
    list_filter = ("status", "workflow_area", "safety_concern")
    search_fields = ("title",)
    readonly_fields = [f.name for f in Problem._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(SiteReport, list_display=("problem", "site", "reporter", "updated_at"))
admin.site.register(Evidence, list_display=("problem", "kind", "site", "value", "created_at"))

from .auth import admin as _auth_admin  # noqa: E402, F401  (registers API tokens)
