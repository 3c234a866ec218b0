from django.contrib import admin

from attestation.commissions.models import Commission, Examinee, Membership, Sitting


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "kind", "programme", "year"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "code", "programme"]
    inlines = [MembershipInline]


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


@admin.register(Examinee)
class ExamineeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sitting", "status"]
    list_filter = ["status", "sitting__form"]
    search_fields = ["student__user__full_name", "sitting__code"]
    # The state machine belongs to the services: the admin shows it, never edits it.
    readonly_fields = [
        "status",
        "identity_verified_at",
        "admitted_at",
        "submitted_at",
        "final_score",
    ]
    autocomplete_fields = ["student", "sitting"]
    exclude = ["identity_verified_by", "moved_to", "final_set_at", "camera_seen_at"]
