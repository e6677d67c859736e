"""E-mails the partner loop sends: staff hear when a partner acts, a partner gets a fresh link.

Written to the outbox in the caller's transaction and delivered once it commits (a worker takes
each row; if the broker is down, the next outbox run sends it). Staff who read a digest of the
agreement get the news in it instead of an e-mail of its own: the event is claimed by whichever
path comes first, as for reminders.
"""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from accounts.selectors import user_language, user_language_preload
from agreements.models import Milestone
from notifications.backends import deliver_soon
from notifications.links import absolute, agreement_url
from notifications.models import OutgoingEmail, Subscription
from notifications.outbox import PlannedEmail, claim_events, outbox_write
from notifications.recipients import Recipient, unique_by_address
from parks.access import EDITING_ROLES
from parks.models import Membership, Person

from . import links


def event_key(record) -> str:
    return f"partner:{record._meta.model_name}:{record.pk}"


def staff_to_tell(milestone: Milestone) -> list[User]:
    """The editors and managers of the milestone's responsible park, else of every party park."""
    party_ids = list(milestone.agreement.parties.values_list("technopolis_id", flat=True))
    for parks in ([milestone.responsible_technopolis_id], party_ids):
        memberships = user_language_preload(
            queryset=Membership.objects.filter(
                technopolis_id__in=[pk for pk in parks if pk], role__in=EDITING_ROLES, user__is_active=True
            )
            .exclude(user__email="")
            .select_related("user"),
            user_field="user",
        )
        users = list({membership.user_id: membership.user for membership in memberships}.values())
        if users:
            return users
    return []


def _digest_readers(users: list[User], milestone: Milestone) -> set[int]:
    """Those of `users` who follow the agreement in a digest: the news waits for it."""
    agreement_id = milestone.agreement_id
    return set(
        Subscription.objects.filter(user__in=users, delivery=Subscription.Delivery.DIGEST, unsubscribed_at__isnull=True)
        .filter(Q(agreements=agreement_id) | Q(parks__agreement_parties__agreement=agreement_id))
        .values_list("user_id", flat=True)
    )


def _write(planned: list[PlannedEmail]) -> None:
    now = timezone.now()
    owners = claim_events(planned)
    mine = [email for email in planned if all(owners.get(claim) == email.dedup_key for claim in email.claims)]
    for email in mine:
        email.render()
    recorded = outbox_write(mine, now=now)
    ids = list(OutgoingEmail.objects.filter(dedup_key__in=recorded).values_list("pk", flat=True))
    transaction.on_commit(lambda: deliver_soon(ids))


def partner_acted(record, *, kind: str) -> None:
    """Tells the responsible staff that a partner confirmed, proposed a date, commented or sent evidence."""
    milestone = record.milestone
    staff = staff_to_tell(milestone)
    waiting_for_digest = _digest_readers(staff, milestone)
    key = event_key(record)
    planned = []
    for recipient in unique_by_address(
        [
            Recipient(
                address=user.email, name=user.get_full_name() or user.get_username(), language=user_language(user=user)
            )
            for user in staff
            if user.pk not in waiting_for_digest
        ]
    ):
        with translation.override(recipient.language):
            context = {
                "recipient_name": recipient.name,
                "kind": kind,
                "author": record.author_name,
                "milestone": {"title": milestone.title, "due_on": milestone.due_on},
                "agreement": {
                    "reference": milestone.agreement.reference,
                    "title": milestone.agreement.title,
                    "url": agreement_url(milestone.agreement_id),
                },
                "record": _record_context(record),
                "waiting_url": absolute(reverse("partners:waiting")),
                "milestone_url": absolute(
                    reverse("partners:staff_milestone", args=[milestone.agreement_id, milestone.pk])
                ),
            }
        planned.append(
            PlannedEmail(
                kind="partner_activity",
                recipient=recipient,
                dedup_key=f"{key}:{recipient.address.lower()}",
                event_keys=[key],
                planned_for=timezone.localdate(),
                context=context,
                milestone=milestone,
                agreement=milestone.agreement,
            )
        )
    _write(planned)


def _record_context(record) -> dict:
    return {
        "completed_on": getattr(record, "completed_on", None),
        "note": getattr(record, "note", ""),
        "proposed_due_on": getattr(record, "proposed_due_on", None),
        "reason": getattr(record, "reason", ""),
        "body": getattr(record, "body", ""),
        "file_name": getattr(record, "original_filename", ""),
    }


def fresh_link(person: Person, *, now: datetime.datetime | None = None) -> None:
    """A partner asked for a new link: one e-mail with it, in their language."""
    now = now or timezone.now()
    (url,) = links.new_links([(person, person.email)], reason="requested", now=now)
    with translation.override(person.language):
        recipient = Recipient(address=person.email, name=person.full_name, language=person.language)
    planned = PlannedEmail(
        kind="partner_link",
        recipient=recipient,
        dedup_key=f"partner-link:{person.pk}:{now.isoformat()}",
        event_keys=[],
        planned_for=timezone.localdate(now),
        context={"recipient_name": recipient.name, "link_url": url, "days": links.link_days()},
    )
    _write([planned])
