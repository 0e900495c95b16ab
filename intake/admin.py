"""The Django admin never bypasses the services (docs/deploy.md).

What an administrator may change goes through the services: sites (site_create/site_update:
stale marks and the audit), users (roles, sites and access, audited in the change form's
transaction). The scored data — problems, site reports, evidence — and the audit are read-only
here, and nothing of them can be deleted: a report or a piece of evidence changes only through the
pages and the API, which screen it for patient information, mark the score stale and audit it.
Sites and users are deactivated, never deleted (a deleted site would change every breadth).
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from .audit.models import AuditAction
from .audit.services import audit_record, user_state
from .models import AuditEvent, Evidence, Problem, Role, Site, SiteReport, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed and viewed, never added, changed or deleted in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region", "providers", "shifts_per_week", "visits_per_week", "active")
    list_filter = ("active", "region")
    search_fields = ("code", "name")

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate a site instead: `active` off re-scores every problem, audited

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
    list_display = ("username", "email", "roles_held", "home_site", "is_staff", "is_active", "is_demo")
    list_filter = ("groups", "home_site", "is_active", "is_demo")
    readonly_fields = ("is_demo",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles_held(self, user: User) -> str:
        held = user.roles_given(group.name for group in user.groups.all())
        return ", ".join(Role(role).label for role in Role.values if role in held) or "none: no access yet"

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate an account instead (its tokens stop at once; the change is audited)

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
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "status", "workflow_area", "safety_concern", "created_at")
    list_filter = ("status", "workflow_area", "safety_concern")
    search_fields = ("title",)


@admin.register(SiteReport)
class SiteReportAdmin(ReadOnlyAdmin):
    list_display = ("problem", "site", "reporter", "updated_at")
    list_filter = ("site",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("problem", "kind", "site", "value", "created_at")
    list_filter = ("kind", "site")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "problem", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("actor_name",)


# Group names are the roles (intake.roles): renaming or deleting one would change every member's role
# unaudited. Roles are given per user (audited); the groups themselves are read-only.
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(ReadOnlyAdmin, GroupAdmin):
    pass


from .auth import admin as _auth_admin  # noqa: E402, F401  (registers API tokens)
