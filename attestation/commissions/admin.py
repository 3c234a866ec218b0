from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from attestation.audit.services import log_action
from attestation.commissions.decision import commission_setup_warnings
from attestation.commissions.models import (
    Attendance,
    Commission,
    Dissent,
    Examinee,
    Membership,
    Recusal,
    Sitting,
)
from attestation.tickets.models import Draw


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "code",
        "kind",
        "programme",
        "year",
        "order_number",
        "order_date",
        "chair_external",
    ]
    list_filter = ["kind", "year"]
    search_fields = ["title", "code", "programme"]
    inlines = [MembershipInline]

    @admin.display(boolean=True, description=_("chair is external"))
    def chair_external(self, commission):
        chair = commission.memberships.filter(role=Membership.Role.CHAIR).first()
        return None if chair is None else not chair.user.is_university_employee

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # K-1: the registrar sees what is wrong with the set-up whenever the commission opens.
        commission = self.get_object(request, object_id)
        if commission is not None and request.method == "GET":
            for warning in commission_setup_warnings(commission):
                messages.warning(request, warning)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in commission_setup_warnings(form.instance):
            messages.warning(request, warning)


class ExamineeInline(admin.TabularInline):
    model = Examinee
    extra = 0
    fields = ["position", "student", "status"]
    readonly_fields = ["status"]
    autocomplete_fields = ["student"]


@admin.register(Sitting)
class SittingAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "form", "starts_at", "commission", "status"]
    list_filter = ["form", "status", "commission"]
    search_fields = ["title", "code"]
    date_hierarchy = "starts_at"
    inlines = [ExamineeInline]
    readonly_fields = ["status", "announced_at"]


class ExamineeAdminForm(forms.ModelForm):
    class Meta:
        model = Examinee
        fields = ["exam_language"]  # the admin adds the others it shows

    def clean_exam_language(self):
        # K-14: the language picks the tickets offered; once drawn, the ticket is final.
        language = self.cleaned_data.get("exam_language", "")
        instance = self.instance
        if (
            instance.pk
            and language != instance.exam_language
            and Draw.objects.filter(examinee=instance).exists()
        ):
            raise forms.ValidationError(
                _("The ticket is already drawn: the exam language can no longer be changed.")
            )
        return language


@admin.register(Examinee)
class ExamineeAdmin(admin.ModelAdmin):
    form = ExamineeAdminForm
    list_display = ["__str__", "sitting", "status", "exam_language", "extra_minutes"]
    list_filter = ["status", "sitting__form", "exam_language"]
    search_fields = ["student__user__full_name", "sitting__code"]
    # The state machine belongs to the services: the admin shows it, never edits it. Extra
    # time is the commission's decision during the exam (console, API), audited there.
    readonly_fields = [
        "status",
        "identity_verified_at",
        "admitted_at",
        "submitted_at",
        "final_score",
        "extra_minutes",
        "extra_reason",
    ]
    autocomplete_fields = ["student", "sitting"]
    exclude = ["identity_verified_by", "moved_to", "final_set_at", "camera_seen_at"]

    def save_model(self, request, obj, form, change):
        before = form.initial.get("exam_language", "") if change else ""
        super().save_model(request, obj, form, change)
        if obj.exam_language != before:
            log_action(
                actor=request.user,
                action="examinee.exam_language",
                target=obj,
                from_state=before,
                to_state=obj.exam_language,
            )


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["sitting", "user", "present", "marked_at"]
    list_filter = ["present"]
    # Recorded by the secretary through the service (audit); the admin only shows it.
    readonly_fields = ["sitting", "user", "present", "marked_by", "marked_at"]


@admin.register(Recusal)
class RecusalAdmin(admin.ModelAdmin):
    list_display = ["examinee", "user", "automatic", "declared_at"]
    readonly_fields = ["examinee", "user", "reason", "automatic", "declared_at"]


@admin.register(Dissent)
class DissentAdmin(admin.ModelAdmin):
    list_display = ["examinee", "member", "recorded_at"]
    readonly_fields = ["examinee", "member", "text", "recorded_at"]
