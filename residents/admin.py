"""Admin for resident companies and what they own, and the park figures counted from them."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import HTTPS_URL_FIELDS, MissingDataAdminMixin, MissingDataFilter
from common.admin_exchange import ImportExportAdminMixin
from common.bilingual import BilingualAdminMixin
from common.concurrency import VersionedInlineForm, VersionedModelForm
from parks.admin import TechnopolisAdmin
from parks.models import Technopolis

from .completeness import RESIDENT_COMPANY_RULES
from .models import IntellectualProperty, KnowHow, Product, ResidentCompany
from .selectors import parks_with_figures


@admin.register(Technopolis)
class TechnopolisWithFiguresAdmin(TechnopolisAdmin):
    """The park admin (parks/admin.py) plus the figures the portal counts from resident records.

    The parks' admin is registered here rather than in parks/admin.py because the figures come
    from `residents`, and `parks` must not import from the apps built on it.
    """

    figure_fields = [
        "computed_resident_companies",
        "computed_products",
        "computed_patents_and_trademarks",
        "computed_know_how",
    ]
    list_display = [
        "name",
        "short_name",
        "region",
        "city",
        "founded_year",
        "ownership",
        "computed_resident_companies",
        "missing_data",
    ]
    readonly_fields = [*TechnopolisAdmin.readonly_fields, *figure_fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Technopolis]:
        return parks_with_figures(super().get_queryset(request), today=timezone.localdate())

    def get_fieldsets(self, request: HttpRequest, obj: Technopolis | None = None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            figures = (
                _("Figures counted by the portal"),
                {
                    "fields": [tuple(self.figure_fields)],
                    "description": _(
                        "Counted from the portal's records today: current resident companies; products, "
                        "registered patents and trademarks (software registrations excluded) and know-how of "
                        "every company the park has hosted. What the park itself reported is listed below."
                    ),
                },
            )
            fieldsets.insert(1, figures)
        return fieldsets

    @admin.display(description=_("resident companies"), ordering="figure_resident_companies")
    def computed_resident_companies(self, park: Technopolis) -> str:
        url = reverse("admin:residents_residentcompany_changelist")
        return format_html(
            '<a href="{}?technopolis__id__exact={}&amp;residency=current">{}</a>',
            url,
            park.pk,
            park.figure_resident_companies,
        )

    @admin.display(description=_("products"))
    def computed_products(self, park: Technopolis) -> int:
        return park.figure_products

    @admin.display(description=_("patents and trademarks"))
    def computed_patents_and_trademarks(self, park: Technopolis) -> int:
        return park.figure_patents_and_trademarks

    @admin.display(description=_("know-how"))
    def computed_know_how(self, park: Technopolis) -> int:
        return park.figure_know_how


class ResidencyFilter(admin.SimpleListFilter):
    title = _("residency")
    parameter_name = "residency"

    def lookups(self, request, model_admin):
        return [("current", _("current residents")), ("former", _("former residents"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.current(today)
        if self.value() == "former":
            return queryset.former(today)
        return queryset


class VersionedRowForm(VersionedInlineForm):
    """An inline row: checked against its stored version only when the person changes or removes it.

    Unchanged rows are not saved, so a newer version of them loses nothing.
    """

    def clean(self):
        if self.instance.pk is not None and not self.has_changed():
            return forms.ModelForm.clean(self)
        return super().clean()


class VersionedAdminMixin:
    """Refuses a save over someone else's newer version of the record or of a changed inline row.

    The forms compare the posted versions with the stored rows (common.concurrency); the versions
    move on here, where the admin saves.
    """

    form = VersionedModelForm

    def save_model(self, request, obj, form, change):
        if change and form.saves_nothing():
            return  # an untouched form: no new version, no history row
        if change and form.cleaned_data.get("version") is not None:
            obj.version = form.cleaned_data["version"] + 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for row in formset.initial_forms:
            if row.has_changed() and row.cleaned_data.get("version") is not None:
                row.instance.version = row.cleaned_data["version"] + 1
        super().save_formset(request, form, formset, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting saves too: the version check and the save share a transaction (and a row lock).
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


class ProductInline(BilingualAdminMixin, admin.TabularInline):
    form = VersionedRowForm
    model = Product
    fields = ["name", "sector", "year_launched", "version"]
    autocomplete_fields = ["sector"]
    extra = 0
    show_change_link = True


class IntellectualPropertyInline(admin.TabularInline):
    form = VersionedRowForm
    model = IntellectualProperty
    fields = ["kind", "registration_number", "title", "status", "filed_on", "registered_on", "expires_on", "version"]
    extra = 0
    show_change_link = True


class KnowHowInline(admin.TabularInline):
    form = VersionedRowForm
    model = KnowHow
    fields = ["title", "confidentiality", "recorded_on", "version"]
    extra = 0
    show_change_link = True


@admin.register(ResidentCompany)
class ResidentCompanyAdmin(
    ImportExportAdminMixin, BilingualAdminMixin, VersionedAdminMixin, MissingDataAdminMixin, SimpleHistoryAdmin
):
    exchange_kind = "companies"
    missing_data_rules = RESIDENT_COMPANY_RULES
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = [
        "name",
        "inn",
        "legal_form",
        "technopolis",
        "residency_start",
        "residency_end",
        "staff_count",
        "missing_data",
    ]
    list_filter = [MissingDataFilter, ResidencyFilter, "legal_form", "sectors", "is_synthetic"]
    list_select_related = ["technopolis"]
    search_fields = [
        "name_en",
        "name_ru",
        "inn",
        "technopolis__name_en",
        "technopolis__name_ru",
        "technopolis__short_name_en",
        "technopolis__short_name_ru",
    ]
    date_hierarchy = "residency_start"
    autocomplete_fields = ["technopolis", "sectors"]
    readonly_fields = ["missing_data"]
    fieldsets = [
        (None, {"fields": ["name", "legal_form", "inn", "technopolis", "missing_data", "version"]}),
        (_("Residency"), {"fields": [("residency_start", "residency_end")]}),
        (_("Profile"), {"fields": ["sectors", "website", "staff_count", "is_synthetic"]}),
    ]
    inlines = [ProductInline, IntellectualPropertyInline, KnowHowInline]


@admin.register(Product)
class ProductAdmin(ImportExportAdminMixin, BilingualAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    exchange_kind = "products"
    list_display = ["name", "company", "sector", "year_launched"]
    list_filter = ["sector"]
    list_select_related = ["company", "sector"]
    search_fields = ["name_en", "name_ru", "description", "company__name_en", "company__name_ru"]
    autocomplete_fields = ["company", "sector"]


@admin.register(IntellectualProperty)
class IntellectualPropertyAdmin(ImportExportAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    exchange_kind = "ip"
    list_display = ["registration_number", "kind", "title", "company", "status", "registered_on", "expires_on"]
    list_filter = ["kind", "status"]
    list_select_related = ["company"]
    search_fields = ["registration_number", "title", "company__name_en", "company__name_ru"]
    date_hierarchy = "registered_on"
    autocomplete_fields = ["company"]


@admin.register(KnowHow)
class KnowHowAdmin(ImportExportAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    exchange_kind = "know-how"
    list_display = ["title", "company", "confidentiality", "recorded_on"]
    list_filter = ["confidentiality"]
    list_select_related = ["company"]
    search_fields = ["title", "description", "company__name_en", "company__name_ru"]
    date_hierarchy = "recorded_on"
    autocomplete_fields = ["company"]
