"""Partner digests: per subscription, agreement by agreement, what is overdue, due soon and completed.

A weekly digest goes at most once per calendar week (its dedup key is the Monday), a daily one once
a day. "Due soon" looks ahead twice the interval between digests (14 days for weekly, 2 for daily),
so an item shows up in at least two digests before its date. "Completed" lists what was completed
since the day of the subscription's previous digest (or one interval back for the first one).
A digest leaves out events its recipient already got in an e-mail of their own (and claims the
others, so no such e-mail follows); with nothing left to report, no digest is sent.
"""

import datetime
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from agreements.models import Agreement, Milestone
from partners.links import attach_partner_links

from . import links, selectors
from .emails import RenderedEmail, render_email
from .models import Subscription
from .outbox import DIGEST_KEY_PREFIX, PlannedEmail, claim_events, is_digest_key, outbox_write
from .recipients import Recipient
from .schedule import (
    agreement_date_key,
    agreement_date_lead,
    agreement_dates,
    completed_key,
    current_lead,
    due_key,
    overdue_key,
    overdue_occurrence,
)

INTERVAL_DAYS = {Subscription.Frequency.DAILY: 1, Subscription.Frequency.WEEKLY: 7}
LOOK_AHEAD_DAYS = {frequency: 2 * days for frequency, days in INTERVAL_DAYS.items()}


@dataclass
class DigestItem:
    event_key: str
    title: str
    date: datetime.date
    days: int  # days left, or days past for overdue and completed items
    responsible: str = ""
    kind: str = "milestone"  # or act_by, expiry


@dataclass
class DigestSection:
    agreement: dict
    agreement_id: int
    overdue: list[DigestItem] = field(default_factory=list)
    due: list[DigestItem] = field(default_factory=list)
    completed: list[DigestItem] = field(default_factory=list)
    # What partner contacts said (staff's digests only): kinds partner_confirmed, partner_proposed…
    partners: list[DigestItem] = field(default_factory=list)
    # Rendered by render_sections, once per content and language, and pasted into the digest.
    text: str = field(default="", repr=False, compare=False)
    html: str = field(default="", repr=False, compare=False)

    @property
    def items(self) -> list[DigestItem]:
        return self.overdue + self.due + self.completed + self.partners

    def keep(self, wanted) -> None:
        self.overdue = [item for item in self.overdue if wanted(item)]
        self.due = [item for item in self.due if wanted(item)]
        self.completed = [item for item in self.completed if wanted(item)]
        self.partners = [item for item in self.partners if wanted(item)]


def digest_key(subscription: Subscription, today: datetime.date) -> str:
    period_start = today
    if subscription.frequency == Subscription.Frequency.WEEKLY:
        period_start = today - datetime.timedelta(days=today.weekday())
    return f"{DIGEST_KEY_PREFIX}{subscription.pk}:{period_start.isoformat()}"


def _responsible(milestone: Milestone) -> str:
    if milestone.responsible_person:
        return milestone.responsible_person.full_name
    return str(milestone.responsible_technopolis or "")


def _milestone_item(milestone: Milestone, *, today: datetime.date, since: datetime.date, until: datetime.date):
    """(section, item) for a loaded milestone, or None when this digest does not list it."""
    title, due_on, who = milestone.title, milestone.due_on, _responsible(milestone)
    if milestone.status == Milestone.Status.DONE:
        if milestone.completed_on and since <= milestone.completed_on < today:
            days = (today - milestone.completed_on).days
            return "completed", DigestItem(completed_key(milestone), title, milestone.completed_on, days, who)
        return None
    if milestone.status not in Milestone.OPEN_STATUSES:
        return None
    if due_on < today:
        key = overdue_key(milestone, overdue_occurrence(due_on=due_on, today=today))
        return "overdue", DigestItem(key, title, due_on, (today - due_on).days, who)
    if due_on <= until:
        key = due_key(milestone, current_lead(date=due_on, lead_days=milestone.reminder_lead_days(), today=today))
        return "due", DigestItem(key, title, due_on, (due_on - today).days, who)
    return None


def digest_sections(
    subscription: Subscription,
    *,
    agreements: list[Agreement],
    today: datetime.date,
    since: datetime.date,
    cache: dict | None = None,
) -> list[DigestSection]:
    """The digest's content from loaded agreements (with `digest_milestones`); never queries.

    `cache` keeps each agreement's section per language and period across the subscribers of a
    batch: most follow the same agreements, and working each one out again dominated planning.
    """
    until = today + datetime.timedelta(days=LOOK_AHEAD_DAYS[subscription.frequency])
    cache = {} if cache is None else cache
    sections = []
    # Names and titles in the subscriber's language (falling back to the other one), whoever runs the sweep.
    with translation.override(subscription.language):
        for agreement in agreements:
            key = (subscription.language, agreement.pk, since, until)
            if key not in cache:
                cache[key] = _section(agreement, today=today, since=since, until=until)
            if found := cache[key]:  # a copy: claims later drop items from each digest's own lists
                sections.append(
                    replace(found, overdue=[*found.overdue], due=[*found.due], completed=[*found.completed])
                )
    return sections


def add_partner_news(
    sections: list[DigestSection], *, agreements: list[Agreement], news: dict[int, list[DigestItem]]
) -> list[DigestSection]:
    """Adds what partners said about the followed agreements, in their order (a section of its own
    for an agreement with nothing else to report)."""
    by_agreement = {section.agreement_id: section for section in sections}
    result = []
    for agreement in agreements:
        section = by_agreement.get(agreement.pk)
        items = news.get(agreement.pk, [])
        if items and section is None:
            section = DigestSection(agreement=_agreement_summary(agreement), agreement_id=agreement.pk)
        if section is not None:
            section.partners = [*items]
            result.append(section)
    return result


def _agreement_summary(agreement: Agreement) -> dict:
    return {"reference": agreement.reference, "title": agreement.title, "url": links.agreement_url(agreement.pk)}


def _section(
    agreement: Agreement, *, today: datetime.date, since: datetime.date, until: datetime.date
) -> DigestSection | None:
    """What a digest covering `since` to `until` lists about `agreement`, or None when nothing."""
    section = DigestSection(agreement={}, agreement_id=agreement.pk)
    for milestone in agreement.digest_milestones:
        found = _milestone_item(milestone, today=today, since=since, until=until)
        if found:
            getattr(section, found[0]).append(found[1])
    for kind, date in agreement_dates(agreement, today=today):
        if date <= until:
            key = agreement_date_key(agreement, kind, date, agreement_date_lead(agreement, date=date, today=today))
            section.due.append(DigestItem(key, "", date, (date - today).days, kind=kind))
    if not section.items:
        return None
    # Only for the sections sent: most followed agreements have nothing to report.
    section.agreement = _agreement_summary(agreement)
    return section


def _items_key(items: list[DigestItem]) -> tuple:
    return tuple((item.event_key, item.title, item.date, item.days, item.responsible, item.kind) for item in items)


class RenderedSections:
    """The latest rendered sections, at most `size` of them (the least recently used go first)."""

    def __init__(self, size: int):
        self.size, self._parts = size, OrderedDict()

    def get(self, key: tuple) -> tuple[str, str] | None:
        parts = self._parts.get(key)
        if parts is not None:
            self._parts.move_to_end(key)
        return parts

    def put(self, key: tuple, parts: tuple[str, str]) -> None:
        self._parts[key] = parts
        if len(self._parts) > self.size:
            self._parts.popitem(last=False)


# Kept by each worker process from one range task to the next: the followers of an agreement are
# spread over every range, and a section is the same text for all of them (its key is its whole
# content and language). Bounded, so a worker's memory does not grow with the subscriptions.
RENDERED_SECTIONS = RenderedSections(size=5000)


def render_sections(sections: list[DigestSection], *, language: str) -> None:
    """Renders each section's text and HTML parts, reusing those of an identical section rendered before.

    Subscribers of the same parks get the same sections: rendered once instead of once per subscriber
    (rendering the items was most of the planning time).
    """
    with translation.override(language):
        for section in sections:
            key = (
                language,
                tuple(section.agreement.items()),
                *map(_items_key, (section.overdue, section.due, section.completed, section.partners)),
            )
            parts = RENDERED_SECTIONS.get(key)
            if parts is None:
                context = {"section": section}
                parts = (
                    render_to_string("notifications/email/_digest_section.txt", context),
                    render_to_string("notifications/email/_digest_section.html", context),
                )
                RENDERED_SECTIONS.put(key, parts)
            section.text, section.html = parts


@dataclass
class DigestDraft:
    subscription: Subscription
    sections: list[DigestSection]
    email: PlannedEmail


def _drafts(
    subscriptions: list[Subscription], *, today: datetime.date, visible_agreement_ids: set[int] | None = None
) -> list[DigestDraft]:
    """Digests with something to report, before claims; a fixed number of queries for any number."""
    scopes = selectors.subscription_scopes(subscriptions)
    if visible_agreement_ids is not None:
        scopes = {pk: scope & visible_agreement_ids for pk, scope in scopes.items()}
    last = selectors.last_digest_dates(scopes)
    since = {
        subscription.pk: last.get(subscription.pk)
        or today - datetime.timedelta(days=INTERVAL_DAYS[subscription.frequency])
        for subscription in subscriptions
    }
    agreements = selectors.digest_agreements(
        agreement_ids=set().union(*scopes.values()),
        today=today,
        due_until=today + datetime.timedelta(days=max(LOOK_AHEAD_DAYS.values())),
        completed_since=min(since.values(), default=today),
    )
    # Staff who chose digests hear in them what partners said (partners.notify sends them nothing else).
    staff_scope = set().union(*(scopes[s.pk] for s in subscriptions if s.user_id))
    news = selectors.partner_news(agreement_ids=staff_scope, since=min(since.values(), default=today), today=today)
    drafts, sections_cache = [], {}
    for subscription in subscriptions:
        followed = sorted(
            (agreements[pk] for pk in scopes[subscription.pk] if pk in agreements), key=lambda a: a.reference
        )
        sections = digest_sections(
            subscription, agreements=followed, today=today, since=since[subscription.pk], cache=sections_cache
        )
        if subscription.user_id:
            with translation.override(subscription.language):
                sections = add_partner_news(
                    sections, agreements=followed, news=_news_items(news, since=since[subscription.pk], today=today)
                )
        if sections:
            drafts.append(DigestDraft(subscription, sections, _digest_email(subscription, sections, today)))
    return drafts


PARTNER_NEWS_KINDS = {
    "milestoneconfirmation": "partner_confirmed",
    "duedateproposal": "partner_proposed",
    "milestonecomment": "partner_commented",
}


def _news_items(news: dict[int, list], *, since: datetime.date, today: datetime.date) -> dict[int, list[DigestItem]]:
    """Partner news said from `since` to yesterday, as digest items per agreement."""
    items = {}
    for agreement_id, records in news.items():
        said = [record for record in records if since <= timezone.localdate(record.created_at) < today]
        if said:
            items[agreement_id] = [
                DigestItem(
                    event_key=f"partner:{record._meta.model_name}:{record.pk}",
                    title=record.milestone.title,
                    date=timezone.localdate(record.created_at),
                    days=(today - timezone.localdate(record.created_at)).days,
                    responsible=record.author_name,
                    kind=PARTNER_NEWS_KINDS[record._meta.model_name],
                )
                for record in said
            ]
    return items


def _digest_email(subscription: Subscription, sections: list[DigestSection], today: datetime.date) -> PlannedEmail:
    unsubscribe_url = links.unsubscribe_url(subscription.pk)
    recipient = Recipient(
        address=subscription.recipient_address,
        name=subscription.recipient_name_as_written,
        language=subscription.language,
        subscription=subscription,
        person=subscription.person if subscription.person_id else None,
    )
    return PlannedEmail(
        kind="digest",
        recipient=recipient,
        dedup_key=digest_key(subscription, today),
        event_keys=[item.event_key for section in sections for item in section.items],
        planned_for=today,
        context={
            "recipient_name": recipient.name,
            "sections": sections,
            "today": today,
            "frequency": subscription.frequency,
            "look_ahead_days": LOOK_AHEAD_DAYS[subscription.frequency],
            "unsubscribe_url": unsubscribe_url,
        },
        covered_agreement_ids=[section.agreement_id for section in sections],
        headers=links.unsubscribe_headers(unsubscribe_url),
    )


def _keep_unclaimed(draft: DigestDraft, owners: dict[tuple[str, str], str]) -> bool:
    """Drops the items whose event an e-mail of its own delivered; False when nothing is left."""
    address = draft.email.recipient.address.lower()

    def wanted(item: DigestItem) -> bool:
        return is_digest_key(owners.get((address, item.event_key), DIGEST_KEY_PREFIX))

    for section in draft.sections:
        section.keep(wanted)
    draft.sections = [section for section in draft.sections if section.items]
    draft.email.context["sections"] = draft.sections
    draft.email.event_keys = [item.event_key for section in draft.sections for item in section.items]
    draft.email.covered_agreement_ids = [section.agreement_id for section in draft.sections]
    return bool(draft.sections)


# Subscriptions planned per transaction: memory and the length of each transaction stay the same
# whatever the number of subscriptions; each batch runs a fixed number of queries.
DIGEST_BATCH = 500


def _plan_batch(
    subscriptions: list[Subscription], *, today: datetime.date, now: datetime.datetime, dry_run: bool
) -> list[PlannedEmail]:
    existing = selectors.existing_dedup_keys(digest_key(subscription, today) for subscription in subscriptions)
    subscriptions = [subscription for subscription in subscriptions if digest_key(subscription, today) not in existing]
    drafts = _drafts(subscriptions, today=today)
    with transaction.atomic():
        if dry_run:
            owners = selectors.event_owners(pair for draft in drafts for pair in draft.email.claims)
        else:
            owners = claim_events([draft.email for draft in drafts])
        planned = [draft.email for draft in drafts if _keep_unclaimed(draft, owners)]
        if not dry_run:
            attach_partner_links(planned, reason="digest", now=now)
        for email in planned:
            render_sections(email.context["sections"], language=email.recipient.language)
            email.render()
        if not dry_run:
            recorded = outbox_write(planned, now=now)
            planned = [email for email in planned if email.dedup_key in recorded]
    return planned


def digest_batches(
    *,
    today: datetime.date,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    subscription_ids: list[int] | None = None,
    batch_size: int = DIGEST_BATCH,
    first_id: int | None = None,
    last_id: int | None = None,
) -> Iterator[list[PlannedEmail]]:
    """Plans today's digests batch by batch (subscriptions in pk order), yielding each batch's new e-mails.

    Two runs at once (two Celery workers, a retried task) record each digest once: the dedup key's
    unique constraint and the event claims decide, and the outbox's claims send each row once.
    """
    now = now or timezone.now()
    batches = selectors.digest_subscription_batches(
        subscription_ids=subscription_ids, size=batch_size, first_id=first_id, last_id=last_id
    )
    for subscriptions in batches:
        yield _plan_batch(subscriptions, today=today, now=now, dry_run=dry_run)


def digests_plan(
    *,
    today: datetime.date,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    subscription_ids: list[int] | None = None,
) -> list[PlannedEmail]:
    """Records today's digests in the outbox and returns the new ones (on a dry run: would record)."""
    batches = digest_batches(today=today, now=now, dry_run=dry_run, subscription_ids=subscription_ids)
    return [email for batch in batches for email in batch]


def digests_run(
    *,
    today: datetime.date,
    now: datetime.datetime | None = None,
    batch_size: int = DIGEST_BATCH,
    first_id: int | None = None,
    last_id: int | None = None,
) -> int:
    """Records today's digests (of the subscriptions with ids from `first_id` to `last_id`, when
    given) and returns how many; keeps no e-mail once its batch is written."""
    batches = digest_batches(today=today, now=now, batch_size=batch_size, first_id=first_id, last_id=last_id)
    return sum(len(batch) for batch in batches)


def digest_preview(
    subscription: Subscription, *, today: datetime.date, visible_agreement_ids: set[int] | None = None
) -> RenderedEmail | None:
    """The digest `subscription` would receive today, limited to the agreements given; writes nothing."""
    drafts = _drafts([subscription], today=today, visible_agreement_ids=visible_agreement_ids)
    if not drafts:
        return None
    draft = drafts[0]
    owners = selectors.event_owners(draft.email.claims)
    if not _keep_unclaimed(draft, owners):
        return None
    render_sections(draft.sections, language=subscription.language)
    return render_email("digest", draft.email.context, language=subscription.language)
