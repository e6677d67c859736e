from django.contrib import admin

from .models import CalendarToken


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Lets an admin see who subscribed to a calendar and revoke a leaked link (by deleting it)."""

    list_display = ["user", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    # The token is a credential: shown nowhere in the admin, never typed by hand.
    exclude = ["token"]
    readonly_fields = ["created_at"]
