"""Admin: subscriptions, snoozes, the delivery log with a "Re-send" action for what failed, and the
suppression list of addresses that refused mail for good, with a "Lift" action."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import selectors, services
from .models import OutgoingEmail, ReminderSnooze, Subscription, SuppressedAddress


class SubscriptionAdminForm(forms.ModelForm):
    class Meta:
        model = Subscription
        fields = ["person", "user", "language", "parks", "agreements", "delivery", "frequency", "unsubscribed_at"]

    def clean(self):
        cleaned_data = super().clean()
        person, user = cleaned_data.get("person"), cleaned_data.get("user")
        if (person or user) and cleaned_data.get("unsubscribed_at") is None:
            existing = selectors.overlapping_subscription(
                person_id=person.pk if person else None,
                user_id=user.pk if user else None,
                agreement_ids=[agreement.pk for agreement in cleaned_data.get("agreements") or []],
                park_ids=[park.pk for park in cleaned_data.get("parks") or []],
                exclude_pk=self.instance.pk,
            )
            if existing is not None:
                raise forms.ValidationError(
                    _("%(contact)s already follows some of these agreements or parks in subscription %(other)s: "
                      "change that one instead of adding a second.")
                    % {"contact": existing.recipient_name, "other": existing.pk},
                    code="already_following",
                )  # fmt: skip
        return cleaned_data


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionAdminForm
    list_display = ["__str__", "contact_address", "delivery", "frequency", "language", "created_at", "unsubscribed_at"]
    list_filter = ["delivery", "frequency", "language", ("unsubscribed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["person", "user"]
    search_fields = ["person__full_name", "person__email", "user__username", "user__email", "user__last_name"]
    autocomplete_fields = ["person", "user", "parks", "agreements"]
    readonly_fields = ["created_at"]
    fieldsets = [
        (_("Who"), {"fields": ["person", "user", "language"]}),
        (_("What"), {"fields": ["parks", "agreements"]}),
        (_("How"), {"fields": ["delivery", "frequency", "created_at", "unsubscribed_at"]}),
    ]

    @admin.display(description=_("e-mail"))
    def contact_address(self, subscription: Subscription) -> str:
        return subscription.recipient_address


@admin.register(ReminderSnooze)
class ReminderSnoozeAdmin(admin.ModelAdmin):
    list_display = ["milestone", "until", "snoozed_by", "updated_at"]
    list_select_related = ["milestone"]
    search_fields = ["milestone__title", "milestone__agreement__reference", "snoozed_by"]
    autocomplete_fields = ["milestone"]
    date_hierarchy = "until"


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The delivery log: read-only; failed and bounced e-mails can be queued again."""

    list_display = ["created_at", "recipient", "kind", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "kind", "language", "planned_for"]
    search_fields = ["recipient_address", "recipient_name", "subject", "dedup_key"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = [
        "kind",
        "status",
        "recipient_name",
        "recipient_address",
        "language",
        "subject",
        "agreement",
        "milestone",
        "subscription",
        "covered_agreements",
        "dedup_key",
        "planned_for",
        "created_at",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "headers",
        "text_body",
        "html_body",
    ]
    readonly_fields = fields

    @admin.display(description=_("recipient"), ordering="recipient_address")
    def recipient(self, email: OutgoingEmail) -> str:
        if not email.recipient_name:
            return email.recipient_address
        return f"{email.recipient_name} <{email.recipient_address}>"

    @admin.display(description=_("error"))
    def error(self, email: OutgoingEmail) -> str:
        return email.last_error[:120] if email.status != OutgoingEmail.Status.SENT else ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutgoingEmail | None = None) -> bool:
        # The log is read-only; re-sending goes through the action below.
        return False

    @admin.action(description=_("Re-send the selected failed, bounced or suppressed e-mails"))
    def resend(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        if not request.user.has_perm("notifications.change_outgoingemail"):
            messages.error(request, _("You may not re-send e-mails."))
            return
        count = services.emails_requeue(emails=queryset)
        messages.success(
            request,
            ngettext(
                "%(count)d e-mail is queued again; the next delivery run sends it.",
                "%(count)d e-mails are queued again; the next delivery run sends them.",
                count,
            )
            % {"count": count},
        )


@admin.register(SuppressedAddress)
class SuppressedAddressAdmin(admin.ModelAdmin):
    list_display = ["address", "created_at", "reason"]
    search_fields = ["address"]
    readonly_fields = ["bounced_email"]
    date_hierarchy = "created_at"
    actions = ["lift"]

    @admin.action(description=_("Lift the suppression: send to these addresses again"), permissions=["delete"])
    def lift(self, request: HttpRequest, queryset: QuerySet[SuppressedAddress]) -> None:
        count = services.addresses_unsuppress(addresses=queryset)
        messages.success(
            request,
            ngettext(
                "%(count)d address receives e-mail again.",
                "%(count)d addresses receive e-mail again.",
                count,
            )
            % {"count": count},
        )
