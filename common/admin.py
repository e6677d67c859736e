"""Admin building blocks shared by the apps: the "missing data" column, field and filter."""

from collections.abc import Sequence

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .completeness import MissingDataRule, annotate_missing, filter_missing, missing_labels

# Web addresses typed without a scheme are taken as https (Django 6's default) rather than http.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class MissingDataFilter(admin.SimpleListFilter):
    """Lists what to complete: records lacking any, or one chosen kind of, data."""

    title = _("missing data")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [("any", _("Anything missing"))] + [(rule.code, rule.label) for rule in model_admin.missing_data_rules]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        rules = self.model_admin.missing_data_rules
        return filter_missing(queryset, rules, None if value == "any" else value)

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)


class MissingDataAdminMixin:
    """Shows what a record lacks, as a list column, a read-only field and a filter."""

    missing_data_rules: Sequence[MissingDataRule] = ()

    def get_queryset(self, request):
        return annotate_missing(super().get_queryset(request), self.missing_data_rules)

    @admin.display(description=_("missing data"))
    def missing_data(self, obj) -> str:
        return ", ".join(missing_labels(obj, self.missing_data_rules)) or "—"


class UnchangedSaveAdminMixin:
    """Saving a change page as shown changes nothing: no save, no history row (for records without a
    version; versioned ones get the same from their VersionedModelForm). Many-to-many fields are
    saved apart (save_related), so choosing other sectors still saves them."""

    def save_model(self, request, obj, form, change):
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            if stored is not None and not any(
                not _same(getattr(obj, field.attname), getattr(stored, field.attname))
                for field in type(obj)._meta.concrete_fields
            ):
                return
        super().save_model(request, obj, form, change)


def _same(posted: object, stored: object) -> bool:
    # An optional name left empty in a language comes back as None where the record may hold "".
    return posted == stored or (posted in (None, "") and stored in (None, ""))
