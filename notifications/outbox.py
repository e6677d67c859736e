"""Writes to the outbox: e-mails are recorded, with the events they deliver, before anything is sent.

The dedup key's unique constraint makes planning idempotent (a double beat tick, a retried task,
two workers or the command run twice write each e-mail once). The event claims decide, per
address, which path delivers an event first; claims are inserted in a fixed order so that two
planners running at once wait for each other instead of deadlocking.
"""

import datetime
from dataclasses import dataclass, field

from agreements.models import Agreement, Milestone

from . import selectors
from .emails import RenderedEmail, render_email
from .models import EventClaim, OutgoingEmail
from .recipients import Recipient

DIGEST_KEY_PREFIX = "digest:"


@dataclass
class PlannedEmail:
    kind: str
    recipient: Recipient
    dedup_key: str
    event_keys: list[str]
    planned_for: datetime.date
    context: dict
    milestone: Milestone | None = None
    agreement: Agreement | None = None
    covered_agreement_ids: list[int] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    rendered: RenderedEmail | None = None

    @property
    def claims(self) -> list[tuple[str, str]]:
        return [(self.recipient.address.lower(), key) for key in self.event_keys]

    def render(self) -> None:
        self.rendered = render_email(self.kind, self.context, language=self.recipient.language)

    def describe(self) -> str:
        subject = self.rendered.subject if self.rendered else ""
        return f"{self.kind} to {self.recipient.name} <{self.recipient.address}>: {subject}"


def without_planned(candidates: list[PlannedEmail]) -> list[PlannedEmail]:
    """Drops e-mails already in the outbox (and duplicates within `candidates`)."""
    existing = selectors.existing_dedup_keys(candidate.dedup_key for candidate in candidates)
    unique = {}
    for candidate in candidates:
        if candidate.dedup_key not in existing:
            unique.setdefault(candidate.dedup_key, candidate)
    return list(unique.values())


def claim_events(planned: list[PlannedEmail]) -> dict[tuple[str, str], str]:
    """Claims every event of `planned` for its address; returns who owns each event afterwards."""
    wanted = {pair: email.dedup_key for email in planned for pair in email.claims}
    EventClaim.objects.bulk_create(
        [
            EventClaim(recipient_address=address, event_key=key, dedup_key=dedup_key)
            for (address, key), dedup_key in sorted(wanted.items())
        ],
        ignore_conflicts=True,
    )
    return selectors.event_owners(wanted)


def is_digest_key(dedup_key: str) -> bool:
    return dedup_key.startswith(DIGEST_KEY_PREFIX)


def outbox_write(planned: list[PlannedEmail], *, now: datetime.datetime) -> set[str]:
    """Records rendered e-mails as queued; those already recorded are left as they are.

    Returns the dedup keys this call recorded: a run planning at the same time as another writes
    only what the other did not, and reports only that (rows carry the writing run's `now`).
    """
    OutgoingEmail.objects.bulk_create(
        [
            OutgoingEmail(
                kind=email.kind,
                recipient_address=email.recipient.address,
                recipient_name=email.recipient.name[:300],
                language=email.recipient.language,
                milestone=email.milestone,
                agreement=email.agreement,
                subscription=email.recipient.subscription,
                dedup_key=email.dedup_key,
                planned_for=email.planned_for,
                subject=email.rendered.subject[:500],
                text_body=email.rendered.text,
                html_body=email.rendered.html,
                headers=email.headers,
                next_attempt_at=now,
                created_at=now,
            )
            for email in planned
        ],
        ignore_conflicts=True,
    )
    if not planned:
        return set()
    ids = dict(
        OutgoingEmail.objects.filter(dedup_key__in=[email.dedup_key for email in planned], created_at=now).values_list(
            "dedup_key", "pk"
        )
    )
    covered = [
        (ids[email.dedup_key], agreement_id)
        for email in planned
        if email.dedup_key in ids
        for agreement_id in email.covered_agreement_ids
    ]
    if covered:
        through = OutgoingEmail.covered_agreements.through
        through.objects.bulk_create(
            [through(outgoingemail_id=pk, agreement_id=agreement_id) for pk, agreement_id in covered],
            ignore_conflicts=True,
        )
    return set(ids)
