from django.contrib import admin

from .models import ImportedRelease


@admin.register(ImportedRelease)
class ImportedReleaseAdmin(admin.ModelAdmin):
    """Which agreement each press release made or updated; written only by the review page's confirmation."""

    list_display = ["agreement", "language", "created", "imported_by", "imported_at"]
    list_filter = ["language", "created"]
    search_fields = ["agreement__reference", "agreement__title"]
    list_select_related = ["agreement", "imported_by"]
    readonly_fields = ["agreement", "document", "fingerprint", "language", "created", "imported_by", "imported_at"]

    def has_add_permission(self, request) -> bool:
        return False
