"""Who hears about agreements, and every e-mail the portal means to send.

Every e-mail is written to the outbox (OutgoingEmail) before anything is sent, under a unique
dedup key, so that planning twice never sends twice. EventClaim records, per recipient address,
which e-mail delivers each event, so that one event never reaches a person through both an
e-mail of its own and a digest.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Milestone
from common.plausible import date_validators, plausible_date_constraint
from parks.models import Person, Technopolis


class Subscription(models.Model):
    """A partner contact or a portal user following the agreements of some parks, or chosen agreements."""

    class Delivery(models.TextChoices):
        EACH_EVENT = "each_event", _("one e-mail per event")
        DIGEST = "digest", _("digest")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("partner contact"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("portal user"),
    )
    parks = models.ManyToManyField(
        Technopolis,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("parks"),
        help_text=_("Follow every agreement to which one of these parks is a party."),
    )
    agreements = models.ManyToManyField(
        Agreement, blank=True, related_name="subscriptions", verbose_name=_("agreements")
    )
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices, default=Delivery.DIGEST)
    frequency = models.CharField(
        _("digest frequency"), max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, user__isnull=True) | Q(person__isnull=True, user__isnull=False),
                name="subscription_person_or_user",
                violation_error_message=_("A subscription is either a partner contact's or a portal user's."),
            ),
            models.CheckConstraint(
                condition=Q(delivery__in=["each_event", "digest"]), name="subscription_delivery_known"
            ),
            models.CheckConstraint(condition=Q(frequency__in=["daily", "weekly"]), name="subscription_frequency_known"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name or self.recipient_address} ({self.get_delivery_display()})"

    @property
    def recipient_address(self) -> str:
        contact = self.person if self.person_id else self.user
        return contact.email if contact else ""

    @property
    def recipient_name(self) -> str:
        if self.person_id:
            return self.person.full_name
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return ""

    @property
    def recipient_name_as_written(self) -> str:
        """The name in the subscription's language (a partner's Russian name in a Russian e-mail)."""
        with translation.override(self.language):
            return self.recipient_name

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None

    def clean(self) -> None:
        if self.person_id and self.user_id:
            raise ValidationError(_("Choose a partner contact or a portal user, not both."))
        if not self.person_id and not self.user_id:
            raise ValidationError(_("Choose a partner contact or a portal user."))
        if not self.recipient_address:
            field = "person" if self.person_id else "user"
            raise ValidationError({field: _("This contact has no e-mail address to send to.")})


class ReminderSnooze(models.Model):
    """Silences a milestone's overdue reminders until a date (escalation still goes)."""

    milestone = models.OneToOneField(
        Milestone, on_delete=models.CASCADE, related_name="reminder_snooze", verbose_name=_("milestone")
    )
    until = models.DateField(
        _("snoozed until"), validators=date_validators, help_text=_("Overdue reminders resume on this day.")
    )
    snoozed_by = models.CharField(_("snoozed by"), max_length=254, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-until"]
        verbose_name = _("reminder snooze")
        verbose_name_plural = _("reminder snoozes")
        constraints = [plausible_date_constraint("until", "reminder_snooze_until_plausible")]

    def __str__(self) -> str:
        return f"{self.milestone} – {self.until.isoformat()}"


class OutgoingEmail(models.Model):
    """One e-mail to one recipient: planned (rendered) first, then claimed and sent by a worker."""

    class Kind(models.TextChoices):
        REMINDER_DUE = "reminder_due", _("milestone due")
        REMINDER_OVERDUE = "reminder_overdue", _("milestone overdue")
        ESCALATION = "escalation", _("escalation")
        ACT_BY = "act_by", _("act-by date")
        EXPIRY = "expiry", _("expiry date")
        DIGEST = "digest", _("digest")
        PARTNER_ACTIVITY = "partner_activity", _("a partner's news")
        PARTNER_LINK = "partner_link", _("partner link")
        # Invitations, password resets: whatever the portal sends through Django's send_mail.
        ACCOUNT = "account", _("account e-mail")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        BOUNCED = "bounced", _("bounced")
        # Not sent: the address refused an earlier e-mail for good (see SuppressedAddress).
        SUPPRESSED = "suppressed", _("not sent: address suppressed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    recipient_address = models.EmailField(_("recipient address"))
    recipient_name = models.CharField(_("recipient name"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # SET_NULL: the delivery log outlives the records it talks about.
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing_emails",
        verbose_name=_("milestone"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing_emails",
        verbose_name=_("agreement"),
    )
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing_emails",
        verbose_name=_("subscription"),
    )
    # A digest lists several agreements; the agreement's delivery log finds it through these.
    covered_agreements = models.ManyToManyField(
        Agreement, blank=True, related_name="digest_emails", verbose_name=_("agreements listed")
    )
    dedup_key = models.CharField(_("dedup key"), max_length=400)
    planned_for = models.DateField(_("planned for"), help_text=_("The day the sweep that planned it ran for."))
    subject = models.CharField(_("subject"), max_length=500)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"))
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    locked_at = models.DateTimeField(_("claimed by a worker at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [
            models.UniqueConstraint(fields=["dedup_key"], name="outgoing_email_once_per_dedup_key"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed", "bounced", "suppressed"]),
                name="outgoing_email_status_known",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_address} ({self.get_status_display()})"


class EventClaim(models.Model):
    """An event (e.g. "milestone 12 is due in 3 days") delivered to one address by one e-mail.

    Whichever path (an e-mail of its own or a digest) claims the event first delivers it.
    """

    recipient_address = models.CharField(_("recipient address"), max_length=254)
    event_key = models.CharField(_("event key"), max_length=200)
    dedup_key = models.CharField(_("delivered by"), max_length=400, help_text=_("The dedup key of the e-mail."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("event claim")
        verbose_name_plural = _("event claims")
        constraints = [
            models.UniqueConstraint(fields=["recipient_address", "event_key"], name="event_claim_once_per_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.event_key} → {self.recipient_address}"


class SuppressedAddress(models.Model):
    """An address whose server refused mail for good (a 5xx about the recipient): nothing more is sent
    to it until an admin lifts the suppression (deletes the row), e.g. once the partner fixed it."""

    address = models.EmailField(_("address"), unique=True)
    reason = models.TextField(_("the server's answer"))
    bounced_email = models.ForeignKey(
        OutgoingEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail refused"),
    )
    created_at = models.DateTimeField(_("suppressed since"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return self.address
