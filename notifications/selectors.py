"""Reads: what the sweeps need, loaded in a fixed number of queries, and what the pages show."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F, Max, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Mod, RowNumber
from django.utils import timezone

from accounts.selectors import user_language_preload
from agreements.access import visible_agreements
from agreements.lifecycle import FINAL_STATUSES
from agreements.models import Agreement, AgreementParty, Milestone
from agreements.validators import MAX_LEAD_DAYS
from parks.access import EDITING_ROLES
from parks.models import Membership
from partners.models import Decision, DueDateProposal, MilestoneComment, MilestoneConfirmation

from .models import EventClaim, OutgoingEmail, Subscription
from .recipients import Audience
from .schedule import DATES_REMIND_STATUSES


def active_subscriptions() -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(unsubscribed_at__isnull=True)
        .select_related("person", "user")
        .prefetch_related("parks", "agreements")
    )


def subscription_scopes(subscriptions: Iterable[Subscription]) -> dict[int, set[int]]:
    """The agreement ids each subscription follows (its chosen agreements and those of its parks).

    Needs `parks` and `agreements` prefetched; runs one query whatever the number of subscriptions.
    """
    subscriptions = list(subscriptions)
    park_ids = {park.pk for subscription in subscriptions for park in subscription.parks.all()}
    agreements_of_park: dict[int, set[int]] = defaultdict(set)
    if park_ids:
        parties = AgreementParty.objects.filter(technopolis_id__in=park_ids).values_list(
            "technopolis_id", "agreement_id"
        )
        for park_id, agreement_id in parties:
            agreements_of_park[park_id].add(agreement_id)
    scopes = {}
    for subscription in subscriptions:
        scope = {agreement.pk for agreement in subscription.agreements.all()}
        for park in subscription.parks.all():
            scope |= agreements_of_park[park.pk]
        scopes[subscription.pk] = scope
    return scopes


def reminder_milestones(*, today: datetime.date) -> list[Milestone]:
    """Open milestones of unfinished agreements close enough to remind about, with what the e-mail shows."""
    horizon = today + datetime.timedelta(days=max([MAX_LEAD_DAYS, *settings.REMINDER_LEAD_DAYS]))
    return list(
        Milestone.objects.open()
        .exclude(agreement__status__in=FINAL_STATUSES)
        .filter(agreement__archived_at__isnull=True)
        .filter(due_on__lte=horizon)
        .select_related("agreement", "responsible_person", "responsible_technopolis", "reminder_snooze")
        # Which parties confirmed already: a milestone every party confirms reminds only the others.
        .prefetch_related(
            Prefetch(
                "confirmations",
                queryset=MilestoneConfirmation.objects.filter(status=Decision.ACCEPTED),
                to_attr="accepted_confirmations",
            )
        )
        .order_by("due_on", "pk")
    )


def agreements_with_dates() -> list[Agreement]:
    return list(
        Agreement.objects.current().filter(status__in=DATES_REMIND_STATUSES, expires_on__isnull=False).order_by("pk")
    )


def audience_load(*, agreement_ids: set[int], park_ids: set[int]) -> Audience:
    """Party parks, park staff and each-event subscribers of the given agreements: six queries."""
    audience = Audience()
    parties = AgreementParty.objects.filter(agreement_id__in=agreement_ids).order_by("pk")
    for agreement_id, park_id in parties.values_list("agreement_id", "technopolis_id"):
        audience.party_parks[agreement_id].append(park_id)
    park_ids = park_ids | {park_id for parks in audience.party_parks.values() for park_id in parks}
    staff = (
        Membership.objects.filter(technopolis_id__in=park_ids, role__in=EDITING_ROLES, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("technopolis_id", "user__username")
    )
    # Each person's language too, in the same query (recipients.py reads it for their e-mails).
    staff = user_language_preload(queryset=staff, user_field="user")
    for membership in staff:
        audience.park_staff[membership.technopolis_id].append(membership)
    subscriptions = [
        subscription
        for subscription in active_subscriptions().filter(delivery=Subscription.Delivery.EACH_EVENT).order_by("pk")
        if subscription.recipient_address
    ]
    scopes = subscription_scopes(subscriptions)
    for subscription in subscriptions:
        for agreement_id in sorted(scopes[subscription.pk] & agreement_ids):
            audience.event_subscriptions[agreement_id].append(subscription)
    return audience


def _digest_subscriptions() -> QuerySet[Subscription]:
    return active_subscriptions().filter(delivery=Subscription.Delivery.DIGEST).order_by("pk")


def digest_subscription_ranges(*, size: int) -> list[tuple[int, int | None]]:
    """The active digest subscriptions cut into ranges of ids of about `size` each: (first id, last id,
    None for the last range, so that a subscription added meanwhile is not left out). One query."""
    firsts = list(
        _digest_subscriptions()
        .annotate(slot=Mod(Window(RowNumber(), order_by=F("pk").asc()) - 1, size))
        .filter(slot=0)
        .values_list("pk", flat=True)
    )
    return [(first, following - 1) for first, following in zip(firsts, firsts[1:], strict=False)] + (
        [(firsts[-1], None)] if firsts else []
    )


def digest_subscription_batches(
    *,
    subscription_ids: Iterable[int] | None = None,
    size: int = 500,
    first_id: int | None = None,
    last_id: int | None = None,
) -> Iterator[list[Subscription]]:
    """Active digest subscriptions with an address, `size` at a time in pk order (keyset pagination),
    all of them or those with ids from `first_id` to `last_id`."""
    subscriptions = _digest_subscriptions()
    if subscription_ids is not None:
        subscriptions = subscriptions.filter(pk__in=list(subscription_ids))
    if first_id is not None:
        subscriptions = subscriptions.filter(pk__gte=first_id)
    if last_id is not None:
        subscriptions = subscriptions.filter(pk__lte=last_id)
    last_pk = 0
    while True:
        batch = list(subscriptions.filter(pk__gt=last_pk)[:size])
        if not batch:
            return
        last_pk = batch[-1].pk
        yield [subscription for subscription in batch if subscription.recipient_address]
        if len(batch) < size:
            return


def last_digest_dates(subscription_ids: Iterable[int]) -> dict[int, datetime.date]:
    rows = (
        OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.DIGEST, subscription_id__in=list(subscription_ids))
        .values("subscription_id")
        .annotate(last=Max("planned_for"))
    )
    return {row["subscription_id"]: row["last"] for row in rows}


def digest_agreements(
    *, agreement_ids: set[int], today: datetime.date, due_until: datetime.date, completed_since: datetime.date
) -> dict[int, Agreement]:
    """Unfinished agreements with, in `digest_milestones`, what a digest may list: two queries."""
    milestones = (
        Milestone.objects.filter(
            Q(status__in=Milestone.OPEN_STATUSES, due_on__lte=due_until)
            | Q(status=Milestone.Status.DONE, completed_on__gte=completed_since, completed_on__lt=today)
        )
        .select_related("responsible_person", "responsible_technopolis")
        .order_by("due_on", "pk")
    )
    agreements = (
        Agreement.objects.current()
        .filter(pk__in=agreement_ids)
        .exclude(status__in=FINAL_STATUSES)
        .prefetch_related(Prefetch("milestones", queryset=milestones, to_attr="digest_milestones"))
        .order_by("reference")
    )
    return {agreement.pk: agreement for agreement in agreements}


def partner_news(*, agreement_ids: set[int], since: datetime.date, today: datetime.date) -> dict[int, list]:
    """What partner contacts said about the agreements from `since` to yesterday (confirmations, date
    proposals, comments; never staff-only notes), per agreement, oldest first: three queries at most."""
    news: dict[int, list] = defaultdict(list)
    if not agreement_ids:
        return news
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    said = {"person__isnull": False, "created_at__gte": start, "created_at__lt": end}
    said["milestone__agreement_id__in"] = agreement_ids
    for model in (MilestoneConfirmation, DueDateProposal, MilestoneComment):
        for record in model.objects.filter(**said).select_related("milestone").order_by("created_at", "pk"):
            news[record.milestone.agreement_id].append(record)
    return news


def existing_dedup_keys(keys: Iterable[str]) -> set[str]:
    return set(OutgoingEmail.objects.filter(dedup_key__in=list(keys)).values_list("dedup_key", flat=True))


def event_owners(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """For (address, event key) pairs: the dedup key of the e-mail that claimed the event, if any."""
    pairs = {(address.lower(), key) for address, key in pairs}
    if not pairs:
        return {}
    claims = EventClaim.objects.filter(
        recipient_address__in={address for address, _key in pairs}, event_key__in={key for _address, key in pairs}
    ).values_list("recipient_address", "event_key", "dedup_key")
    return {(address, key): dedup_key for address, key, dedup_key in claims if (address, key) in pairs}


def agreement_delivery_log(agreement: Agreement, *, limit: int = 200) -> list[OutgoingEmail]:
    """E-mails about the agreement: its reminders and the digests that listed it, newest first."""
    return list(
        OutgoingEmail.objects.filter(Q(agreement=agreement) | Q(covered_agreements=agreement))
        .distinct()
        .select_related("milestone")
        .order_by("-created_at", "-pk")[:limit]
    )


def agreement_subscriptions(agreement: Agreement) -> list[Subscription]:
    """Active subscriptions following the agreement, directly or through a party park."""
    return list(
        Subscription.objects.filter(unsubscribed_at__isnull=True)
        .filter(Q(agreements=agreement) | Q(parks__agreement_parties__agreement=agreement))
        .distinct()
        .select_related("person", "user")
        .prefetch_related("parks", "agreements")
        .order_by("pk")
    )


@dataclass(frozen=True)
class PreviewScope:
    """Which of the agreements a subscription follows the person previewing its digest may see."""

    visible_agreement_ids: set[int]
    hidden: int


def digest_preview_scope(*, subscription: Subscription, user: User | AnonymousUser) -> PreviewScope:
    """The preview shows a person only the agreements they may see, and says how many it leaves out.

    Needs the subscription's `parks` and `agreements` prefetched; at most two queries.
    """
    followed = subscription_scopes([subscription])[subscription.pk]
    visible = set(visible_agreements(user, Agreement.objects.filter(pk__in=followed)).values_list("pk", flat=True))
    return PreviewScope(visible_agreement_ids=visible, hidden=len(followed - visible))


def snoozable_milestones(agreement: Agreement, *, today: datetime.date) -> list[Milestone]:
    return list(agreement.milestones.overdue(today).select_related("reminder_snooze").order_by("due_on", "pk"))


def overlapping_subscription(
    *,
    person_id: int | None,
    user_id: int | None,
    agreement_ids: Iterable[int] = (),
    park_ids: Iterable[int] = (),
    exclude_pk: int | None = None,
) -> Subscription | None:
    """An active subscription of the same contact that already follows some of these agreements or
    parks (directly, or through a park party to them, or an agreement of them): a second one would
    send the same news twice, in two rhythms. The one place that says what "the same scope" means."""
    agreement_ids, park_ids = set(agreement_ids), set(park_ids)
    parties_of_agreements = set(
        AgreementParty.objects.filter(agreement_id__in=agreement_ids).values_list("technopolis_id", flat=True)
    )
    scope = (
        Q(agreements__in=agreement_ids)
        | Q(parks__in=park_ids | parties_of_agreements)
        | Q(agreements__parties__technopolis__in=park_ids)
    )
    contact = Q(person_id=person_id) if person_id else Q(user_id=user_id)
    others = Subscription.objects.filter(contact, unsubscribed_at__isnull=True).filter(scope)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.select_related("person", "user").distinct().first()
