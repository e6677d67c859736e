"""Technology parks, their industries, infrastructure and people: the ground floor of the domain."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class Sector(models.Model):
    """An industry a park specialises in or an agreement covers."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = [Localized("name").asc()]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


# What the site search and the lists' `q` match (common.search), with the indexes that serve it.
PARK_SEARCH = Searched(
    names=both("name", "short_name"),
    words=both("city", "region", "cluster_focus", "description"),
    snippet="description",
    model="parks.Technopolis",
)


class Technopolis(models.Model):
    class Ownership(models.TextChoices):
        PRIVATE = "private", _("private")
        STATE = "state", _("state")
        PUBLIC_PRIVATE = "public_private", _("public-private partnership")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    region = models.CharField(_("region"), max_length=200, blank=True, help_text=_("Federal subject."))
    city = models.CharField(_("city"), max_length=200, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True, validators=year_validators)
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices, blank=True)
    # None: the sources do not say.
    receives_government_funding = models.BooleanField(_("receives government funding"), null=True, blank=True)
    management_company = models.CharField(_("management company"), max_length=300, blank=True)
    cluster_focus = models.TextField(_("cluster focus"), blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("specialisations"), related_name="parks", blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for load tests, not a real park.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = [Localized("name").asc()]
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        constraints = [
            plausible_year_constraint("founded_year", "technopolis_founded_year_plausible"),
        ]
        indexes = PARK_SEARCH.indexes("park")

    def __str__(self) -> str:
        return self.short_name or self.name


class ReportedFigures(models.Model):
    """Figures a park published about itself, kept as quoted beside the ones the portal computes.

    The portal's own figures are always counted from records; these are what a source claimed
    (e.g. "over 60 registered patents and trade marks"), for comparison, never used as counts.
    """

    technopolis = models.ForeignKey(
        Technopolis, on_delete=models.CASCADE, related_name="reported_figures", verbose_name=_("park")
    )
    source = models.CharField(_("source"), max_length=300)
    reported_on = models.DateField(_("reported on"), null=True, blank=True, validators=date_validators)
    quote = models.TextField(_("quote"), blank=True)
    resident_companies = models.PositiveIntegerField(
        _("resident companies"), null=True, blank=True, validators=count_validators
    )
    products = models.PositiveIntegerField(_("products"), null=True, blank=True, validators=count_validators)
    patents_and_trademarks = models.PositiveIntegerField(
        _("patents and trademarks"), null=True, blank=True, validators=count_validators
    )
    know_how = models.PositiveIntegerField(_("know-how"), null=True, blank=True, validators=count_validators)

    class Meta:
        verbose_name = _("reported figures")
        verbose_name_plural = _("reported figures")
        constraints = [
            models.UniqueConstraint(fields=["technopolis", "source"], name="reported_figures_once_per_source"),
            plausible_date_constraint("reported_on", "reported_figures_reported_on_plausible"),
            *(
                plausible_count_constraint(field, f"reported_figures_{field}_plausible")
                for field in ("resident_companies", "products", "patents_and_trademarks", "know_how")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technopolis}: {self.source}"


class Facility(models.Model):
    """An element of a park's infrastructure (incubator, lab complex, venture fund...)."""

    class Kind(models.TextChoices):
        BUSINESS_INCUBATOR = "business_incubator", _("business incubator")
        LAB_COMPLEX = "lab_complex", _("lab complex")
        VENTURE_FUND = "venture_fund", _("venture fund")
        DESIGN_BUREAU = "design_bureau", _("design bureau")
        SOCIAL_COMMERCIAL_CENTRE = "social_commercial_centre", _("social and commercial centre")
        RESIDENTIAL = "residential", _("residential / cottage village")
        EDUCATIONAL = "educational", _("educational")
        PRODUCTION_SITE = "production_site", _("production site")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        UNDER_CONSTRUCTION = "under_construction", _("under construction")
        OPERATING = "operating", _("operating")

    technopolis = models.ForeignKey(
        Technopolis, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("park")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    # Blank: the sources do not say how far it has come.
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, blank=True)
    year_opened = models.PositiveSmallIntegerField(_("year opened"), null=True, blank=True, validators=year_validators)

    history = HistoricalRecords()

    class Meta:
        ordering = ["technopolis", Localized("name").asc()]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(fields=["technopolis", "name"], name="facility_name_unique_per_park"),
            plausible_year_constraint("year_opened", "facility_year_opened_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.technopolis})"


# What the site search and the lists' `q` match (common.search), with the indexes that serve it.
PERSON_SEARCH = Searched(names=both("full_name"), words=both("position", "organisation"), model="parks.Person")


class Person(models.Model):
    """A contact: signatories, witnesses and partner contacts are all persons."""

    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    technopolis = models.ForeignKey(
        Technopolis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("park"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    # Partners abroad read English, the parks' staff Russian: each e-mail goes out in its reader's language.
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Reminders about milestones this person is responsible for are written in this language."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = [Localized("full_name").asc()]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = PERSON_SEARCH.indexes("person")

    def __str__(self) -> str:
        return f"{self.full_name}, {self.position}" if self.position else self.full_name


class Membership(models.Model):
    """A portal user's role in one park; a user may belong to several parks."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("viewer")
        EDITOR = "editor", _("editor")
        # An editor who also manages the park's staff accounts and receives escalations.
        MANAGER = "manager", _("manager")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="park_memberships", verbose_name=_("user")
    )
    technopolis = models.ForeignKey(
        Technopolis, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("park")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        ordering = ["technopolis", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "technopolis"],
                name="membership_once_per_park",
                violation_error_message=_("This person already has a role in this park."),
            ),
            models.CheckConstraint(condition=Q(role__in=["viewer", "editor", "manager"]), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.technopolis} ({self.get_role_display()})"
