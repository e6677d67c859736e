"""Admin for parks, their infrastructure and people.

The park admin below is registered by residents/admin.py, as a subclass that adds the figures
(resident companies, products...): they are counted from resident records, and `parks` imports no
other app. Lists of records that belong to a park are searched by the park's name rather than
filtered in the sidebar, which would list every park.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import HTTPS_URL_FIELDS, MissingDataAdminMixin, MissingDataFilter, UnchangedSaveAdminMixin
from common.bilingual import BilingualAdminMixin

from .completeness import PARK_RULES, PERSON_RULES
from .models import Facility, Membership, Person, ReportedFigures, Sector


@admin.register(Sector)
class SectorAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_en", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class FacilityInline(BilingualAdminMixin, admin.TabularInline):
    model = Facility
    fields = ["name", "kind", "status", "year_opened"]
    extra = 0
    show_change_link = True


class ReportedFiguresInline(BilingualAdminMixin, admin.StackedInline):
    model = ReportedFigures
    fields = [
        ("source", "reported_on"),
        ("resident_companies", "products", "patents_and_trademarks", "know_how"),
        "quote",
    ]
    extra = 0
    verbose_name_plural = _("figures as reported by the park (quoted, never counted)")


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role"]
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name_plural = _("portal users of this park")


# Registered by residents/admin.py, as TechnopolisWithFiguresAdmin (this admin plus the figures).
class TechnopolisAdmin(UnchangedSaveAdminMixin, BilingualAdminMixin, MissingDataAdminMixin, SimpleHistoryAdmin):
    missing_data_rules = PARK_RULES
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "short_name", "region", "city", "founded_year", "ownership", "missing_data"]
    list_filter = [MissingDataFilter, "ownership", "receives_government_funding", "sectors", "region", "is_synthetic"]
    search_fields = [
        "name_en",
        "name_ru",
        "short_name_en",
        "short_name_ru",
        "slug",
        "region_en",
        "region_ru",
        "city_en",
        "city_ru",
        "management_company",
    ]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sectors"]
    readonly_fields = ["missing_data"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "region", "city", "website", "missing_data"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "founded_year",
                    "ownership",
                    "receives_government_funding",
                    "management_company",
                    "sectors",
                    "cluster_focus",
                    "description",
                    "is_synthetic",
                ]
            },
        ),
    ]
    inlines = [FacilityInline, ReportedFiguresInline, MembershipInline]


@admin.register(ReportedFigures)
class ReportedFiguresAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = [
        "technopolis",
        "source",
        "reported_on",
        "resident_companies",
        "products",
        "patents_and_trademarks",
        "know_how",
    ]
    list_select_related = ["technopolis"]
    search_fields = [
        "source",
        "quote_en",
        "quote_ru",
        "technopolis__name_en",
        "technopolis__name_ru",
        "technopolis__short_name_en",
        "technopolis__short_name_ru",
    ]
    date_hierarchy = "reported_on"
    autocomplete_fields = ["technopolis"]


@admin.register(Facility)
class FacilityAdmin(UnchangedSaveAdminMixin, BilingualAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "technopolis", "kind", "status", "year_opened"]
    list_filter = ["kind", "status"]
    list_select_related = ["technopolis"]
    search_fields = [
        "name_en",
        "name_ru",
        "technopolis__name_en",
        "technopolis__name_ru",
        "technopolis__short_name_en",
        "technopolis__short_name_ru",
    ]
    autocomplete_fields = ["technopolis"]


@admin.register(Person)
class PersonAdmin(UnchangedSaveAdminMixin, BilingualAdminMixin, MissingDataAdminMixin, SimpleHistoryAdmin):
    missing_data_rules = PERSON_RULES
    list_display = ["full_name", "position", "organisation", "technopolis", "email", "phone", "missing_data"]
    list_filter = [MissingDataFilter]
    list_select_related = ["technopolis"]
    search_fields = [
        "full_name_en",
        "full_name_ru",
        "position_en",
        "position_ru",
        "organisation_en",
        "organisation_ru",
        "email",
        "technopolis__name_en",
        "technopolis__name_ru",
        "technopolis__short_name_en",
        "technopolis__short_name_ru",
    ]
    autocomplete_fields = ["technopolis"]
    readonly_fields = ["missing_data"]
    fields = ["full_name", "position", "organisation", "technopolis", "email", "phone", "language", "missing_data"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "technopolis", "role"]
    list_filter = ["role"]
    list_select_related = ["user", "technopolis"]
    search_fields = [
        "user__username",
        "user__email",
        "user__last_name",
        "technopolis__name_en",
        "technopolis__name_ru",
        "technopolis__short_name_en",
        "technopolis__short_name_ru",
    ]
    autocomplete_fields = ["user", "technopolis"]
