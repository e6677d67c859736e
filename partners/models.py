"""Partners in the loop: personal links for partner contacts, and what they (and staff) say about milestones.

A partner contact has no account. Each digest or reminder sent to them carries a personal link
(PartnerLink) that opens the partner pages for a while; on a milestone they can confirm it done
(MilestoneConfirmation), propose a new due date (DueDateProposal), comment or send evidence
(MilestoneComment). Staff decide on confirmations and proposals; comments are a thread shared by both.
The rules live in partners.rules and partners.services.
"""

import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Milestone, random_upload_path
from agreements.validators import ALLOWED_DOCUMENT_EXTENSIONS, validate_document_content, validate_document_size
from common.plausible import date_validators
from parks.models import Person, Technopolis

COMMENT_MAX_LENGTH = 5000


def new_link_key() -> str:
    return secrets.token_urlsafe(24)


class PartnerLink(models.Model):
    """A personal link to the partner pages, sent to one partner contact's address.

    The URL carries the key, signed (partners.links), so a forged or altered link is refused before
    the database is asked; the row says whether it is still valid and who used it when.
    """

    class Reason(models.TextChoices):
        DIGEST = "digest", _("digest")
        REMINDER = "reminder", _("reminder")
        REQUESTED = "requested", _("asked for by the partner")

    key = models.CharField(_("key"), max_length=64, unique=True, default=new_link_key, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="partner_links", verbose_name=_("partner contact")
    )
    address = models.EmailField(_("sent to"))
    reason = models.CharField(_("sent with"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    times_used = models.PositiveIntegerField(_("times used"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partner link")
        verbose_name_plural = _("partner links")
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.address} ({self.created_at:%Y-%m-%d})"


class PartnerLinkUse(models.Model):
    """One opening of a partner link: staff see who used the links sent, and when."""

    link = models.ForeignKey(PartnerLink, on_delete=models.CASCADE, related_name="uses", verbose_name=_("link"))
    used_at = models.DateTimeField(_("used"))

    class Meta:
        ordering = ["-used_at"]
        verbose_name = _("partner link use")
        verbose_name_plural = _("partner link uses")

    def __str__(self) -> str:
        return f"{self.link.address} {self.used_at:%Y-%m-%d %H:%M}"


class Decision(models.TextChoices):
    PENDING = "pending", _("awaiting a decision")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("declined")


class _Authored(models.Model):
    """Said by a partner contact (through their link) or by a staff member (signed in)."""

    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("partner contact")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # Kept as written when it was said: the person or user may later change or go.
    author_name = models.CharField(_("by"), max_length=300)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        abstract = True

    @property
    def by_partner(self) -> bool:
        return self.user_id is None


class _Decided(_Authored):
    status = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_message = models.TextField(_("message"), blank=True, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])

    class Meta:
        abstract = True


class MilestoneConfirmation(_Decided):
    """A party's word that a milestone is done: a partner's awaits staff; a staff member's is accepted."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="confirmations", verbose_name=_("milestone")
    )
    technopolis = models.ForeignKey(
        Technopolis, on_delete=models.PROTECT, related_name="+", verbose_name=_("for the party")
    )
    completed_on = models.DateField(_("done on"), validators=date_validators)
    note = models.TextField(_("note"), blank=True, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("milestone confirmation")
        verbose_name_plural = _("milestone confirmations")
        constraints = [
            # A side's word stands once: a second one waits until the first is declined.
            models.UniqueConstraint(
                fields=["milestone", "technopolis"],
                condition=Q(status__in=["pending", "accepted"]),
                name="confirmation_once_per_side",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected"]), name="confirmation_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} – {self.technopolis} ({self.get_status_display()})"


class DueDateProposal(_Decided):
    """A partner's proposal to move a milestone's due date, with the reason; staff accept or decline it."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="due_date_proposals", verbose_name=_("milestone")
    )
    current_due_on = models.DateField(_("due date then"))
    proposed_due_on = models.DateField(_("proposed due date"), validators=date_validators)
    reason = models.TextField(_("reason"), validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("due date proposal")
        verbose_name_plural = _("due date proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected"]), name="due_date_proposal_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} → {self.proposed_due_on.isoformat()} ({self.get_status_display()})"


def evidence_upload_path(comment: "MilestoneComment", filename: str) -> str:
    return random_upload_path(f"evidence/{comment.milestone_id}", filename)


class MilestoneComment(_Authored):
    """A message in a milestone's thread, with evidence attached or not; staff may keep one among themselves."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="comments", verbose_name=_("milestone")
    )
    body = models.TextField(_("comment"), blank=True, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])
    staff_only = models.BooleanField(
        _("staff only"), default=False, help_text=_("A note among staff: partners never see it.")
    )
    evidence = models.FileField(
        _("evidence"),
        upload_to=evidence_upload_path,
        blank=True,
        validators=[
            FileExtensionValidator(ALLOWED_DOCUMENT_EXTENSIONS),
            validate_document_size,
            validate_document_content,
        ],
    )
    original_filename = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    # A partner's comment waits in staff's "Waiting for you" until someone has read it.
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("read by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("milestone comment")
        verbose_name_plural = _("milestone comments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(body="") | ~Q(evidence=""), name="comment_says_something_or_brings_a_file"
            ),
            models.CheckConstraint(
                condition=Q(staff_only=False) | Q(user__isnull=False),
                name="staff_only_comment_by_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:60] or self.original_filename}"
