"""Resident companies of a park and what they own: products, IP records and know-how."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.i18n import Localized
from common.plausible import (
    count_validators,
    date_validators,
    plausible_count_constraint,
    plausible_date_constraint,
    plausible_year_constraint,
    year_validators,
)
from common.search import Searched, both
from parks.models import Sector, Technopolis

from .validators import validate_inn


class ResidentCompanyQuerySet(models.QuerySet):
    def current(self, today: datetime.date):
        """Companies that are residents on `today`: started (or start unknown), no end or an end still ahead."""
        return self.filter(Q(residency_start__isnull=True) | Q(residency_start__lte=today)).filter(
            Q(residency_end__isnull=True) | Q(residency_end__gt=today)
        )

    def former(self, today: datetime.date):
        return self.filter(residency_end__lte=today)


# What the site search and the lists' `q` match (common.search), with the indexes that serve it.
COMPANY_SEARCH = Searched(names=both("name"), codes=("inn",), model="residents.ResidentCompany")


class ResidentCompany(models.Model):
    class LegalForm(models.TextChoices):
        OOO = "ooo", _("limited liability company (OOO)")
        AO = "ao", _("joint-stock company (AO)")
        PAO = "pao", _("public joint-stock company (PAO)")
        IP = "ip", _("individual entrepreneur (IP)")
        OTHER = "other", _("other")

    technopolis = models.ForeignKey(
        Technopolis, on_delete=models.PROTECT, related_name="resident_companies", verbose_name=_("park")
    )
    name = models.CharField(_("name"), max_length=300)
    legal_form = models.CharField(_("legal form"), max_length=10, choices=LegalForm.choices, blank=True)
    inn = models.CharField(
        _("INN"),
        max_length=12,
        unique=True,
        validators=[validate_inn],
        help_text=_("Taxpayer number: 10 digits for an organisation, 12 for an individual entrepreneur."),
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), related_name="resident_companies", blank=True)
    residency_start = models.DateField(_("resident since"), null=True, blank=True, validators=date_validators)
    residency_end = models.DateField(_("resident until"), null=True, blank=True, validators=date_validators)
    website = models.URLField(_("website"), blank=True)
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True, validators=count_validators)
    is_synthetic = models.BooleanField(_("synthetic"), default=False)
    # Optimistic locking (common.concurrency), here and on the rows below: bumped by the services
    # and the admin on each save.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ResidentCompanyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = [Localized("name").asc()]
        verbose_name = _("resident company")
        verbose_name_plural = _("resident companies")
        constraints = [
            models.CheckConstraint(
                condition=Q(residency_end__isnull=True)
                | Q(residency_start__isnull=True)
                | Q(residency_end__gte=F("residency_start")),
                name="residency_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(inn__regex=r"^([0-9]{10}|[0-9]{12})$"), name="resident_inn_has_10_or_12_digits"
            ),
            plausible_date_constraint("residency_start", "resident_residency_start_plausible"),
            plausible_date_constraint("residency_end", "resident_residency_end_plausible"),
            plausible_count_constraint("staff_count", "resident_staff_count_plausible"),
        ]
        indexes = [
            models.Index(fields=["technopolis", "name"], name="resident_park_name_idx"),
            # The resident list's order in each language: its first page read from the index, not
            # 20,000 companies sorted (18 ms → 1 ms at the benchmark's large size).
            models.Index(fields=["name_en", "id"], name="resident_list_order_en"),
            models.Index(fields=["name_ru", "id"], name="resident_list_order_ru"),
            *COMPANY_SEARCH.indexes("company"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.residency_start and self.residency_end and self.residency_end < self.residency_start:
            raise ValidationError(
                {
                    "residency_end": _("The residency cannot end before it starts (%(start)s).")
                    % {"start": self.residency_start.isoformat()}
                }
            )


# What the site search and the lists' `q` match (common.search), with the indexes that serve it.
PRODUCT_SEARCH = Searched(
    names=both("name"),
    words=("description",),
    snippet="description",
    snippet_in_both_languages=False,
    model="residents.Product",
)


class Product(models.Model):
    company = models.ForeignKey(
        ResidentCompany, on_delete=models.PROTECT, related_name="products", verbose_name=_("company")
    )
    name = models.CharField(_("name"), max_length=300)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="products", verbose_name=_("sector")
    )
    year_launched = models.PositiveSmallIntegerField(
        _("year launched"), null=True, blank=True, validators=year_validators
    )
    description = models.TextField(_("description"), blank=True)

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = [Localized("name").asc()]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="product_name_unique_per_company"),
            plausible_year_constraint("year_launched", "product_year_launched_plausible"),
        ]
        indexes = PRODUCT_SEARCH.indexes("product")

    def __str__(self) -> str:
        return self.name


# What the site search and the lists' `q` match (common.search), with the indexes that serve it.
IP_SEARCH = Searched(names=("title",), codes=("registration_number",), model="residents.IntellectualProperty")


class IntellectualProperty(models.Model):
    class Kind(models.TextChoices):
        INVENTION_PATENT = "invention_patent", _("invention patent")
        UTILITY_MODEL = "utility_model", _("utility model")
        INDUSTRIAL_DESIGN = "industrial_design", _("industrial design")
        TRADEMARK = "trademark", _("trademark")
        SOFTWARE = "software", _("software registration")

    class Status(models.TextChoices):
        FILED = "filed", _("application filed")
        REGISTERED = "registered", _("registered")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")

    company = models.ForeignKey(
        ResidentCompany, on_delete=models.PROTECT, related_name="ip_records", verbose_name=_("company")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    registration_number = models.CharField(_("registration number"), max_length=50)
    title = models.CharField(_("title"), max_length=500)
    filed_on = models.DateField(_("filed on"), null=True, blank=True, validators=date_validators)
    registered_on = models.DateField(_("registered on"), null=True, blank=True, validators=date_validators)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, validators=date_validators)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "registration_number"]
        verbose_name = _("IP record")
        verbose_name_plural = _("IP records")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "registration_number"],
                name="ip_registration_number_unique_per_kind",
                violation_error_message=_("An IP record of this kind with this registration number already exists."),
            ),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True)
                | Q(filed_on__isnull=True)
                | Q(registered_on__gte=F("filed_on")),
                name="ip_registered_after_filed",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(registered_on__isnull=True)
                | Q(expires_on__gt=F("registered_on")),
                name="ip_expires_after_registered",
            ),
            *(
                plausible_date_constraint(field, f"ip_{field}_plausible")
                for field in ("filed_on", "registered_on", "expires_on")
            ),
        ]
        indexes = IP_SEARCH.indexes("ip")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.registration_number}"

    def clean(self) -> None:
        errors = {}
        if self.filed_on and self.registered_on and self.registered_on < self.filed_on:
            errors["registered_on"] = _("Registration cannot come before filing.")
        if self.registered_on and self.expires_on and self.expires_on <= self.registered_on:
            errors["expires_on"] = _("Protection must expire after registration.")
        if errors:
            raise ValidationError(errors)


# What the site search and the lists' `q` match (common.search), with the indexes that serve it.
KNOW_HOW_SEARCH = Searched(
    names=("title",),
    words=("description",),
    snippet="description",
    snippet_in_both_languages=False,
    model="residents.KnowHow",
)


class KnowHow(models.Model):
    class Confidentiality(models.TextChoices):
        INTERNAL = "internal", _("internal")
        CONFIDENTIAL = "confidential", _("confidential")
        TRADE_SECRET = "trade_secret", _("trade secret")

    company = models.ForeignKey(
        ResidentCompany, on_delete=models.PROTECT, related_name="know_how", verbose_name=_("company")
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True, validators=date_validators)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=20, choices=Confidentiality.choices, default=Confidentiality.CONFIDENTIAL
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("know-how")
        verbose_name_plural = _("know-how")
        constraints = [plausible_date_constraint("recorded_on", "know_how_recorded_on_plausible")]
        indexes = KNOW_HOW_SEARCH.indexes("know_how")

    def __str__(self) -> str:
        return self.title
