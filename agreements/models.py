"""Agreements between parks, their parties, milestones and documents."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.i18n import Localized
from common.plausible import date_validators, plausible_date_constraint, plausible_range_constraint
from common.search import Searched, both
from parks.models import Facility, Person, Sector, Technopolis
from residents.models import IntellectualProperty, KnowHow, ResidentCompany

from . import terms
from .lifecycle import FINAL_STATUSES, AgreementStatus, check_transition
from .validators import (
    ALLOWED_DOCUMENT_EXTENSIONS,
    parse_day_list,
    validate_day_list,
    validate_document_content,
    validate_document_size,
)

# Bounds of the numbers an agreement carries (dates are bounded in common.plausible): ten years of
# renewal period or of notice is beyond any real agreement and well inside the date range.
MAX_RENEWAL_MONTHS = 120
MAX_NOTICE_DAYS = 3650
MAX_STAGES = 100


class SigningEvent(models.Model):
    """Where agreements are signed, e.g. the St. Petersburg International Innovation Forum."""

    name = models.CharField(_("name"), max_length=300)
    city = models.CharField(_("city"), max_length=200, blank=True)
    # Blank where the sources do not give it.
    held_on = models.DateField(_("date"), null=True, blank=True, validators=date_validators)

    class Meta:
        ordering = ["-held_on", Localized("name").asc()]
        verbose_name = _("signing event")
        verbose_name_plural = _("signing events")
        constraints = [plausible_date_constraint("held_on", "signing_event_held_on_plausible")]

    def __str__(self) -> str:
        return f"{self.name} ({self.held_on:%Y})" if self.held_on else self.name


class InnovationStage(models.Model):
    """A stage of the innovation chain, ordered from upstream (idea, R&D) to downstream (promotion)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(
        _("position"), unique=True, validators=[MaxValueValidator(MAX_STAGES)], help_text=_("1 is the most upstream.")
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("innovation stage")
        verbose_name_plural = _("innovation stages")

    def __str__(self) -> str:
        return self.name


class Confirmation(models.TextChoices):
    """Whose confirmation makes a milestone done (partners.rules reads it)."""

    ONE_SIDE = "one_side", _("the responsible party")
    EVERY_SIDE = "every_side", _("every party")


class AgreementQuerySet(models.QuerySet):
    def expiring_between(self, start: datetime.date, end: datetime.date):
        return self.filter(expires_on__gte=start, expires_on__lte=end)

    def current(self):
        """Not archived: what lists show by default."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


# What the site search and the lists' `q` match (common.search), with the indexes that serve it.
AGREEMENT_SEARCH = Searched(
    names=both("title"), words=both("subject"), codes=("reference",), snippet="subject", model="agreements.Agreement"
)


class Agreement(models.Model):
    Status = AgreementStatus

    class Kind(models.TextChoices):
        COOPERATION = "cooperation", _("cooperation")
        MEMORANDUM = "memorandum", _("memorandum of understanding")
        JOINT_RD = "joint_rd", _("joint R&D")
        LICENSING = "licensing", _("licensing")
        CONFIDENTIALITY = "confidentiality", _("confidentiality")
        OTHER = "other", _("other")

    class Renewal(models.TextChoices):
        NONE = "none", _("no renewal")
        AUTOMATIC = "automatic", _("automatic unless notice is given")
        BY_DECISION = "by_decision", _("by decision of the parties")

    class ParentRelation(models.TextChoices):
        AMENDMENT = "amendment", _("amendment")
        SUPPLEMENT = "supplement", _("supplement")

    reference = models.CharField(
        _("reference"), max_length=50, unique=True, help_text=_("The agreement's number in the portal's register.")
    )
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COOPERATION)
    subject = models.TextField(_("subject"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Announced publicly; otherwise confidential to its parties.")
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True, validators=date_validators)
    signing_event = models.ForeignKey(
        SigningEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("signing event"),
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True, validators=date_validators)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, validators=date_validators, help_text=_("Empty: open-ended.")
    )
    renewal = models.CharField(_("renewal"), max_length=20, choices=Renewal.choices, default=Renewal.NONE)
    renewal_months = models.PositiveSmallIntegerField(
        _("renewal period (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RENEWAL_MONTHS)],
    )
    date_reminder_days = models.CharField(
        _("remind days before its dates"),
        max_length=50,
        blank=True,
        validators=[validate_day_list],
        help_text=_(
            "Days before the act-by (notice) or expiry date to send reminders, e.g. 90, 30, 7. Empty: the "
            "portal's default."
        ),
    )
    notice_period_days = models.PositiveSmallIntegerField(
        _("notice period (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_NOTICE_DAYS)],
        help_text=_("How long before the end of a term notice must be given to stop an automatic renewal."),
    )
    milestone_confirmation = models.CharField(
        _("milestones confirmed by"),
        max_length=20,
        choices=Confirmation.choices,
        default=Confirmation.ONE_SIDE,
        help_text=_("Whose confirmation makes a milestone done, unless the milestone says otherwise."),
    )
    scope = models.ManyToManyField(
        InnovationStage, verbose_name=_("scope along the innovation chain"), related_name="agreements", blank=True
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("cooperation areas"), related_name="agreements", blank=True)
    witnesses = models.ManyToManyField(
        Person,
        verbose_name=_("witnesses"),
        related_name="witnessed_agreements",
        blank=True,
        help_text=_("People who witnessed the signing for no party in particular, e.g. a minister."),
    )
    facilities = models.ManyToManyField(
        Facility, verbose_name=_("delivering facilities"), related_name="agreements", blank=True
    )
    resident_companies = models.ManyToManyField(
        ResidentCompany, verbose_name=_("resident companies concerned"), related_name="agreements", blank=True
    )
    ip_records = models.ManyToManyField(
        IntellectualProperty, verbose_name=_("IP records concerned"), related_name="agreements", blank=True
    )
    know_how = models.ManyToManyField(
        KnowHow, verbose_name=_("know-how concerned"), related_name="agreements", blank=True
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("parent agreement"),
    )
    parent_relation = models.CharField(
        _("relation to the parent"), max_length=20, choices=ParentRelation.choices, blank=True
    )
    is_synthetic = models.BooleanField(_("synthetic"), default=False)
    # Agreements are archived, not deleted: hidden from lists by default, restorable.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("archived by"),
    )
    # Optimistic locking (common.concurrency): bumped by every save through a service or the admin.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "reference"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AgreementStatus.values), name="agreement_status_known"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(expires_on__gte=F("effective_from")),
                name="agreement_expires_after_it_takes_effect",
            ),
            models.CheckConstraint(
                condition=~Q(renewal="automatic")
                | Q(renewal_months__isnull=False, renewal_months__gte=1, expires_on__isnull=False),
                name="agreement_automatic_renewal_has_period_and_expiry",
            ),
            models.CheckConstraint(
                condition=(Q(parent__isnull=True) & Q(parent_relation=""))
                | (Q(parent__isnull=False) & ~Q(parent_relation="")),
                name="agreement_parent_and_relation_together",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="agreement_not_its_own_parent"),
            *(
                plausible_date_constraint(field, f"agreement_{field}_plausible")
                for field in ("signed_on", "effective_from", "expires_on")
            ),
            plausible_range_constraint(
                "renewal_months", low=1, high=MAX_RENEWAL_MONTHS, name="agreement_renewal_months_plausible"
            ),
            plausible_range_constraint(
                "notice_period_days", low=0, high=MAX_NOTICE_DAYS, name="agreement_notice_period_days_plausible"
            ),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["expires_on"]),
            # The list's default order (agreements.selectors.DEFAULT_ORDER): its first page is read
            # from the index instead of sorting every agreement.
            models.Index(F("signed_on").desc(nulls_last=True), F("reference"), F("id"), name="agreement_list_order"),
            *AGREEMENT_SEARCH.indexes("agreement"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.effective_from and self.expires_on and self.expires_on < self.effective_from:
            errors.setdefault("expires_on", []).append(
                _("The agreement cannot expire before it takes effect (%(date)s).")
                % {"date": self.effective_from.isoformat()}
            )
        if self.renewal == self.Renewal.AUTOMATIC:
            if not self.renewal_months:
                errors.setdefault("renewal_months", []).append(
                    _("An automatic renewal needs the length of each renewal period.")
                )
            if not self.expires_on:
                errors.setdefault("expires_on", []).append(
                    _("An automatic renewal needs the date the first term expires.")
                )
        if self.parent_id and not self.parent_relation:
            errors.setdefault("parent_relation", []).append(
                _("Say whether this agreement amends or supplements its parent.")
            )
        if self.parent_relation and not self.parent_id:
            errors.setdefault("parent", []).append(_("An amendment or supplement needs its parent agreement."))
        if self.pk and self.parent_id == self.pk:
            errors.setdefault("parent", []).append(_("An agreement cannot amend itself."))
        if self.pk:
            stored_status = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored_status:
                try:
                    check_transition(stored_status, self.status)
                except ValidationError as error:
                    for field, messages in error.message_dict.items():
                        errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def renews_automatically(self) -> bool:
        return self.renewal == self.Renewal.AUTOMATIC

    def term_end_on(self, today: datetime.date) -> datetime.date | None:
        return terms.term_end_on(
            expires_on=self.expires_on,
            renews_automatically=self.renews_automatically,
            renewal_months=self.renewal_months,
            today=today,
        )

    def date_reminder_lead_days(self) -> list[int]:
        """Days before its act-by or expiry date on which reminders go out, most distant first."""
        if self.date_reminder_days:
            return parse_day_list(self.date_reminder_days)
        return list(settings.AGREEMENT_DATE_LEAD_DAYS)

    def act_by_on(self, today: datetime.date) -> datetime.date | None:
        """The last day to give notice against the next automatic renewal (derived, never stored)."""
        return terms.act_by_on(
            expires_on=self.expires_on,
            renews_automatically=self.renews_automatically,
            renewal_months=self.renewal_months,
            notice_period_days=self.notice_period_days,
            today=today,
        )


class AgreementParty(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    technopolis = models.ForeignKey(
        Technopolis, on_delete=models.PROTECT, related_name="agreement_parties", verbose_name=_("park")
    )
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("E.g. initiator, partner, host."))
    # Empty where the sources do not name who signed; flagged as missing data, never invented.
    signatory = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_parties",
        verbose_name=_("signatory"),
    )
    witnesses = models.ManyToManyField(
        Person, verbose_name=_("witnesses for this party"), related_name="witnessed_parties", blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "technopolis"],
                name="agreement_party_once_per_park",
                violation_error_message=_("The same park cannot be a party twice to one agreement."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.technopolis)


class MilestoneQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Milestone.OPEN_STATUSES)

    def overdue(self, today: datetime.date):
        """Open milestones whose due date has passed, of agreements still running: the one definition of
        "overdue". Once an agreement is completed, expired or terminated its open milestones are history."""
        return self.open().filter(due_on__lt=today).exclude(agreement__status__in=FINAL_STATUSES)


# What the site search and the lists' `q` match (common.search), with the indexes that serve it.
MILESTONE_SEARCH = Searched(
    names=both("title"), words=both("description"), snippet="description", model="agreements.Milestone"
)


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="milestones", verbose_name=_("agreement")
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due on"), validators=date_validators)
    responsible_technopolis = models.ForeignKey(
        Technopolis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_milestones",
        verbose_name=_("responsible park"),
    )
    responsible_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_milestones",
        verbose_name=_("responsible person"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, validators=date_validators)
    completion_note = models.TextField(_("completion note"), blank=True, help_text=_("How it was done, as recorded."))
    confirmation = models.CharField(
        _("confirmed by"),
        max_length=20,
        choices=Confirmation.choices,
        blank=True,
        help_text=_("Whose confirmation makes it done. Empty: as the agreement says."),
    )
    # Empty: the portal's default lead times (settings.REMINDER_LEAD_DAYS).
    reminder_days = models.CharField(
        _("remind days before"),
        max_length=50,
        blank=True,
        validators=[validate_day_list],
        help_text=_("Days before the due date to send reminders, e.g. 14, 3, 0. Empty: the portal's default."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "cancelled"]), name="milestone_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="milestone_done_has_completion_date",
            ),
            plausible_date_constraint("due_on", "milestone_due_on_plausible"),
            plausible_date_constraint("completed_on", "milestone_completed_on_plausible"),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # The milestone list's order, and the open ones by date (dashboard, reminders): pages of
            # 25 read from the index whatever the number of milestones.
            models.Index(fields=["due_on", "id"], name="milestone_due_order"),
            models.Index(
                fields=["due_on", "id"],
                name="milestone_open_due_order",
                condition=Q(status__in=["planned", "in_progress"]),
            ),
            *MILESTONE_SEARCH.indexes("milestone"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on.isoformat()})" if self.due_on else self.title

    @property
    def confirmation_needed(self) -> str:
        return self.confirmation or self.agreement.milestone_confirmation

    def reminder_lead_days(self) -> list[int]:
        """Days before the due date on which reminders go out, most distant first."""
        return parse_day_list(self.reminder_days) if self.reminder_days else list(settings.REMINDER_LEAD_DAYS)

    def is_overdue(self, today: datetime.date) -> bool:
        return (
            self.status in self.OPEN_STATUSES
            and self.due_on is not None
            and self.due_on < today
            and self.agreement.status not in FINAL_STATUSES
        )

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.status == self.Status.DONE and not self.completed_on:
            errors.setdefault("completed_on", []).append(_("A done milestone needs the date it was completed."))
        try:
            agreement = self.agreement
        except ObjectDoesNotExist:
            agreement = None
        if agreement is not None and self.due_on:
            errors.setdefault("due_on", []).extend(due_date_errors(self.due_on, agreement))
            if not errors["due_on"]:
                del errors["due_on"]
        if errors:
            raise ValidationError(errors)


def due_date_errors(due_on: datetime.date, agreement: Agreement) -> list[str]:
    """Why a milestone may not be due on `due_on` within the agreement's term (the one place of the rule)."""
    errors = []
    if agreement.effective_from and due_on < agreement.effective_from:
        errors.append(
            _("The milestone cannot be due before the agreement takes effect (%(date)s).")
            % {"date": agreement.effective_from.isoformat()}
        )
    if agreement.expires_on and not agreement.renews_automatically and due_on > agreement.expires_on:
        errors.append(
            _("The milestone cannot be due after the agreement expires (%(date)s).")
            % {"date": agreement.expires_on.isoformat()}
        )
    return errors


def milestones_outside_term_error(agreement: Agreement, milestones) -> ValidationError | None:
    """The error for a term that would leave stored milestones outside it: every door checks a new term
    against the milestones it keeps (the portal's and the admin's forms check each row as typed)."""
    outside = [milestone for milestone in milestones if due_date_errors(milestone.due_on, agreement)]
    if not outside:
        return None
    names = ", ".join(f"“{milestone.title}” ({milestone.due_on.isoformat()})" for milestone in outside[:5])
    starts_too_late = agreement.effective_from and any(m.due_on < agreement.effective_from for m in outside)
    field = "effective_from" if starts_too_late else "expires_on"
    return ValidationError(
        {field: _("These milestones would fall outside the agreement's term: %(milestones)s.") % {"milestones": names}},
        code="milestones_outside_term",
    )


def random_upload_path(folder: str, filename: str) -> str:
    """A file in `folder` under a random name, keeping an allowed extension: users never choose paths
    on the server."""
    extension = Path(filename).suffix.lower()
    if extension.lstrip(".") not in ALLOWED_DOCUMENT_EXTENSIONS:
        extension = ""
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def document_upload_path(document: "AgreementDocument", filename: str) -> str:
    return random_upload_path(f"agreements/{document.agreement_id}", filename)


# What the site search and the lists' `q` match (common.search), with the indexes that serve it.
DOCUMENT_SEARCH = Searched(names=("title",), codes=("original_filename",), model="agreements.AgreementDocument")


class AgreementDocument(models.Model):
    class Kind(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED_SCAN = "signed_scan", _("signed copy (scan)")
        ANNEX = "annex", _("annex")
        OTHER = "other", _("other")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="documents", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=document_upload_path,
        max_length=200,
        validators=[
            FileExtensionValidator(ALLOWED_DOCUMENT_EXTENSIONS),
            validate_document_size,
            validate_document_content,
        ],
    )
    # A document is never replaced in place: a new upload of it is a new row naming the one it supersedes.
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("new version of"),
    )
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = DOCUMENT_SEARCH.indexes("document")

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        """The name it had on the uploader's machine (the stored file has a random one)."""
        return self.original_filename or Path(self.file.name).name

    def clean(self) -> None:
        if self.supersedes_id and self.agreement_id and self.supersedes.agreement_id != self.agreement_id:
            raise ValidationError({"supersedes": _("A new version must belong to the same agreement.")})
