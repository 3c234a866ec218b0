from django.contrib import admin

from attestation.tickets.models import Draw, Question, Ticket, TicketBank


class TicketInline(admin.TabularInline):
    model = Ticket
    extra = 0
    show_change_link = True


@admin.register(TicketBank)
class TicketBankAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "commission"]
    search_fields = ["title", "code"]
    inlines = [TicketInline]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["__str__", "bank", "number", "language"]
    list_filter = ["bank", "language"]
    inlines = [QuestionInline]


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    """Read-only: a draw is final (R-11.1)."""

    list_display = ["examinee", "ticket", "drawn_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
