from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from attestation.accounts.models import (
    ApiToken,
    DepartmentProgramme,
    SignInFailure,
    Student,
    User,
)
from attestation.accounts.services import api_tokens_revoke_all, student_gpa_set


class StudentInline(admin.StackedInline):
    model = Student
    can_delete = False
    extra = 0
    # The GPA is changed on the student's own page, which records the change in the audit.
    readonly_fields = ["gpa"]


class DepartmentProgrammeInline(admin.TabularInline):
    """The department role (SPEC K-8): the programmes whose defence dossiers this person keeps."""

    model = DepartmentProgramme
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "email",
        "is_registrar",
        "is_university_employee",
        "is_active",
    ]
    list_filter = ["is_registrar", "is_university_employee", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [StudentInline, DepartmentProgrammeInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Attestation"),
            {"fields": ("full_name", "language", "is_registrar", "is_university_employee")},
        ),
    )
    actions = ["revoke_api_tokens"]

    @admin.action(description=_("Revoke API tokens"), permissions=["change"])
    def revoke_api_tokens(self, request, queryset):
        """A lost phone or a leaked token: the person's apps must sign in again."""
        total = sum(
            api_tokens_revoke_all(user=user, actor=request.user, reason="staff")
            for user in queryset
        )
        self.message_user(
            request, _("API tokens revoked: %(count)s.") % {"count": total}, messages.SUCCESS
        )


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "group", "programme", "gpa"]
    list_filter = ["group"]
    search_fields = ["user__full_name", "user__username", "group"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        """The GPA goes through its service (an audit row, K-10); the rest as usual."""
        gpa, gpa_changed = obj.gpa, "gpa" in form.changed_data
        if gpa_changed:
            obj.gpa = form.initial.get("gpa") if change else None
        super().save_model(request, obj, form, change)
        if gpa_changed:
            student_gpa_set(student=obj, gpa=gpa, actor=request.user)


@admin.register(DepartmentProgramme)
class DepartmentProgrammeAdmin(admin.ModelAdmin):
    list_display = ["user", "programme"]
    list_filter = ["programme"]
    search_fields = ["user__full_name", "user__username", "programme"]
    autocomplete_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["user", "key_hash", "created_at"]


@admin.register(SignInFailure)
class SignInFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "ip", "at"]
