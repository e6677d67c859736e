"""Admin: the partner links sent (with a "Revoke" action and their uses), and what partners and staff
said about milestones. Those records come from the partner and milestone pages: the admin shows and
corrects them, it adds none."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import DueDateProposal, MilestoneComment, MilestoneConfirmation, PartnerLink, PartnerLinkUse


class PartnerLinkUseInline(admin.TabularInline):
    model = PartnerLinkUse
    fields = ["used_at"]
    readonly_fields = ["used_at"]
    extra = 0
    can_delete = False
    max_num = 0


@admin.register(PartnerLink)
class PartnerLinkAdmin(admin.ModelAdmin):
    list_display = [
        "address",
        "person",
        "reason",
        "created_at",
        "expires_at",
        "times_used",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["reason", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["person"]
    search_fields = ["address", "person__full_name_en", "person__full_name_ru"]
    date_hierarchy = "created_at"
    fields = [
        "person",
        "address",
        "reason",
        ("created_at", "expires_at"),
        ("times_used", "last_used_at"),
        ("revoked_at", "revoked_by"),
    ]
    readonly_fields = [name for entry in fields for name in ((entry,) if isinstance(entry, str) else entry)]
    inlines = [PartnerLinkUseInline]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sent with digests and reminders, or asked for by the partner

    @admin.action(description=_("Revoke the selected links"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[PartnerLink]) -> None:
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )


class _SaidAdmin(SimpleHistoryAdmin):
    list_select_related = ["milestone", "milestone__agreement"]
    search_fields = ["author_name", "milestone__title_en", "milestone__title_ru", "milestone__agreement__reference"]
    autocomplete_fields = ["milestone"]
    raw_id_fields = ["person", "user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # said on the partner and milestone pages


@admin.register(MilestoneConfirmation)
class MilestoneConfirmationAdmin(_SaidAdmin):
    list_display = ["milestone", "technopolis", "author_name", "completed_on", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = [*_SaidAdmin.list_select_related, "technopolis"]
    readonly_fields = [
        "milestone",
        "technopolis",
        "person",
        "user",
        "author_name",
        "created_at",
        "decided_by",
        "decided_at",
    ]


@admin.register(DueDateProposal)
class DueDateProposalAdmin(_SaidAdmin):
    list_display = ["milestone", "author_name", "current_due_on", "proposed_due_on", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = [
        "milestone",
        "person",
        "user",
        "author_name",
        "created_at",
        "current_due_on",
        "decided_by",
        "decided_at",
    ]


@admin.register(MilestoneComment)
class MilestoneCommentAdmin(_SaidAdmin):
    list_display = ["milestone", "author_name", "staff_only", "original_filename", "created_at", "read_at"]
    list_filter = ["staff_only", ("read_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["milestone", "person", "user", "author_name", "created_at", "original_filename", "read_by"]
