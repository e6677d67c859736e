"""What partners and staff do about a milestone, each in one transaction under the milestone's row lock.

The lock makes two partners and a staff member acting at once take turns: the second sees what the
first did (a side already confirmed, a proposal already decided) and is told so; nothing is lost.
A refusal is a ValidationError naming the field, and nothing is written.
"""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from agreements.lifecycle import FINAL_STATUSES
from agreements.models import Confirmation, Milestone, due_date_errors
from common.concurrency import check_version
from parks.access import editor_park_ids, is_admin
from parks.models import Person

from . import notify, rules
from .models import (
    COMMENT_MAX_LENGTH,
    Decision,
    DueDateProposal,
    MilestoneComment,
    MilestoneConfirmation,
    PartnerLink,
    PartnerLinkUse,
)

# simple_history keeps at most this many characters of a change's reason.
HISTORY_REASON_LENGTH = 100


def _reason(text: str) -> str:
    return text if len(text) <= HISTORY_REASON_LENGTH else text[: HISTORY_REASON_LENGTH - 1] + "…"


def _user_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _locked_open(milestone: Milestone) -> Milestone:
    """The milestone, locked until the transaction ends; refused unless it is still open."""
    locked = Milestone.objects.select_for_update().select_related("agreement").get(pk=milestone.pk)
    if locked.status not in Milestone.OPEN_STATUSES:
        raise ValidationError(
            _("This milestone is already “%(status)s”.") % {"status": locked.get_status_display()}, code="not_open"
        )
    if locked.agreement.status in FINAL_STATUSES:
        raise ValidationError(
            _("The agreement is “%(status)s”: its milestones are history.")
            % {"status": locked.agreement.get_status_display()},
            code="agreement_final",
        )
    return locked


def _party_ids(milestone: Milestone) -> list[int]:
    return list(milestone.agreement.parties.order_by("pk").values_list("technopolis_id", flat=True))


def _confirmed_ids(milestone: Milestone) -> set[int]:
    return set(milestone.confirmations.filter(status=Decision.ACCEPTED).values_list("technopolis_id", flat=True))


def _check_text(field: str, text: str, *, missing: str | None = None) -> str:
    """The text stripped; refused when `missing` (the message) and empty, or when too long."""
    text = text.strip()
    if missing and not text:
        raise ValidationError({field: missing}, code="required")
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                field: _("This text is %(length)d characters long; at most %(limit)d are kept.")
                % {"length": len(text), "limit": COMMENT_MAX_LENGTH}
            },
            code="too_long",
        )
    return text


def _check_done_on(completed_on: datetime.date, *, today: datetime.date) -> None:
    if completed_on > today:
        raise ValidationError(
            {"completed_on": _("A milestone cannot be done on a future day (%(date)s).") % {"date": completed_on}},
            code="future_completion",
        )


def _complete_if_confirmed(locked: Milestone, *, user: User | None) -> bool:
    """Marks the locked milestone done once no side is awaited; True when it did."""
    accepted = list(locked.confirmations.filter(status=Decision.ACCEPTED).order_by("created_at", "pk"))
    confirmed = {confirmation.technopolis_id for confirmation in accepted}
    if rules.sides_awaited(locked, party_ids=_party_ids(locked), confirmed_ids=confirmed):
        return False
    locked.status = Milestone.Status.DONE
    locked.completed_on = max(confirmation.completed_on for confirmation in accepted)
    locked.completion_note = "\n".join(
        f"{confirmation.author_name}: {confirmation.note}" if confirmation.by_partner else confirmation.note
        for confirmation in accepted
        if confirmation.note
    )
    locked.version += 1
    locked._history_user = user
    locked._change_reason = _reason(
        _("Confirmed by %(parties)s") % {"parties": ", ".join(str(c.technopolis) for c in accepted)}
    )
    locked.save()
    return True


# --- partners ------------------------------------------------------------------------------------------


def partner_confirm(
    *, milestone: Milestone, person: Person, completed_on: datetime.date, note: str, today: datetime.date
) -> MilestoneConfirmation:
    """A partner contact's word that the milestone is done for their park; it waits for staff."""
    note = _check_text("note", note)
    _check_done_on(completed_on, today=today)
    with transaction.atomic():
        locked = _locked_open(milestone)
        parties = _party_ids(locked)
        if person.technopolis_id not in parties:
            raise ValidationError(_("Your park is not a party to this agreement."), code="not_a_party")
        existing = locked.confirmations.filter(
            technopolis_id=person.technopolis_id, status__in=[Decision.PENDING, Decision.ACCEPTED]
        ).first()
        if existing is not None:
            message = (
                _("Your park's confirmation already waits for the other side's staff.")
                if existing.status == Decision.PENDING
                else _("Your park has already confirmed this milestone.")
            )
            raise ValidationError(message, code="already_confirmed")
        confirmation = MilestoneConfirmation(
            milestone=locked,
            technopolis_id=person.technopolis_id,
            completed_on=completed_on,
            note=note,
            person=person,
            author_name=person.full_name,
            created_at=timezone.now(),
        )
        confirmation.save()
        notify.partner_acted(confirmation, kind="confirmed")
    return confirmation


def due_date_propose(
    *, milestone: Milestone, person: Person, proposed_due_on: datetime.date, reason: str, today: datetime.date
) -> DueDateProposal:
    reason = _check_text("reason", reason, missing=_("Say why the date should move."))
    if proposed_due_on < today:
        raise ValidationError(
            {"proposed_due_on": _("The new due date cannot be in the past (%(date)s).") % {"date": proposed_due_on}},
            code="past",
        )
    with transaction.atomic():
        locked = _locked_open(milestone)
        if proposed_due_on == locked.due_on:
            raise ValidationError(
                {"proposed_due_on": _("The milestone is already due on %(date)s.") % {"date": proposed_due_on}},
                code="unchanged",
            )
        if errors := due_date_errors(proposed_due_on, locked.agreement):
            raise ValidationError({"proposed_due_on": errors}, code="outside_term")
        proposal = DueDateProposal(
            milestone=locked,
            current_due_on=locked.due_on,
            proposed_due_on=proposed_due_on,
            reason=reason,
            person=person,
            author_name=person.full_name,
            created_at=timezone.now(),
        )
        proposal.save()
        notify.partner_acted(proposal, kind="proposed")
    return proposal


def _check_evidence(evidence: UploadedFile | None) -> None:
    if evidence is None:
        return
    field = MilestoneComment._meta.get_field("evidence")
    try:
        field.run_validators(evidence)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}, code="bad_file") from None


def comment_add(
    *,
    milestone: Milestone,
    body: str,
    person: Person | None = None,
    user: User | None = None,
    staff_only: bool = False,
    evidence: UploadedFile | None = None,
) -> MilestoneComment:
    """A message in the milestone's thread (by a partner contact or a staff member), with a file or not."""
    body = _check_text("body", body, missing=None if evidence else _("Write a comment or attach a file."))
    _check_evidence(evidence)
    if staff_only and user is None:
        raise ValidationError({"staff_only": _("Only staff keep notes among themselves.")}, code="partner_note")
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        comment = MilestoneComment(
            milestone=locked,
            body=body,
            person=person,
            user=user,
            staff_only=staff_only,
            author_name=person.full_name if person else _user_name(user),
            created_at=timezone.now(),
        )
        if evidence is not None:
            comment.original_filename = evidence.name[:255]
            comment.evidence = evidence
        comment.save()
        if person is not None:
            notify.partner_acted(comment, kind="evidence" if evidence is not None else "commented")
    return comment


# --- staff ---------------------------------------------------------------------------------------------


def _check_staff_may_edit(user: User, milestone: Milestone) -> None:
    from agreements.access import can_edit_agreement

    if not can_edit_agreement(user, milestone.agreement):
        raise ValidationError(_("You may not change this agreement."), code="forbidden")


def staff_confirm(
    *,
    milestone: Milestone,
    user: User,
    today: datetime.date,
    completed_on: datetime.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[Milestone, set[int]]:
    """Confirms the milestone for the user's parks (every party, for an admin) that are awaited.

    Returns the milestone and the parties still awaited: it is done when none is.
    """
    completed_on = completed_on or today
    _check_done_on(completed_on, today=today)
    note = _check_text("note", note)
    with transaction.atomic():
        locked = _locked_open(milestone)
        _check_staff_may_edit(user, locked)
        if expected_version is not None:
            check_version(current=locked, submitted_version=expected_version)
        parties = _party_ids(locked)
        awaited = rules.sides_awaited(locked, party_ids=parties, confirmed_ids=_confirmed_ids(locked))
        own = set(parties) if is_admin(user) else editor_park_ids(user) & set(parties)
        if locked.confirmation_needed == Confirmation.EVERY_SIDE:
            sides = awaited & own
        else:
            # One side's word: any editor of a party ticks it off, for the responsible party as before
            # (or for their own park when none is named).
            sides = set(sorted(awaited & own or awaited)[:1])
        if not sides:
            raise ValidationError(
                _("Your park has already confirmed this milestone; the other side's confirmation is awaited."),
                code="already_confirmed",
            )
        now = timezone.now()
        for park_id in sorted(sides):
            MilestoneConfirmation.objects.filter(
                milestone=locked, technopolis_id=park_id, status=Decision.PENDING
            ).update(status=Decision.REJECTED, decided_by=user, decided_at=now)
            confirmation = MilestoneConfirmation(
                milestone=locked,
                technopolis_id=park_id,
                completed_on=completed_on,
                note=note,
                user=user,
                author_name=_user_name(user),
                created_at=now,
                status=Decision.ACCEPTED,
                decided_by=user,
                decided_at=now,
            )
            confirmation._history_user = user
            confirmation.save()
        if not _complete_if_confirmed(locked, user=user):
            locked.version += 1  # the page someone else has open is now stale
            Milestone.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        awaited = rules.sides_awaited(locked, party_ids=parties, confirmed_ids=_confirmed_ids(locked))
    return locked, set() if locked.status == Milestone.Status.DONE else awaited


def _locked_pending(model, pk: int):
    record = model.objects.select_for_update().select_related("milestone__agreement").get(pk=pk)
    if record.status != Decision.PENDING:
        raise ValidationError(
            _("This was already %(decision)s by %(user)s.")
            % {"decision": record.get_status_display(), "user": record.decided_by or "—"},
            code="already_decided",
        )
    return record


def _decide(record, *, user: User, accept: bool, message: str) -> None:
    record.status = Decision.ACCEPTED if accept else Decision.REJECTED
    record.decided_by = user
    record.decided_at = timezone.now()
    record.decision_message = message
    record._history_user = user
    record.save()


def confirmation_decide(
    *, confirmation: MilestoneConfirmation, user: User, accept: bool, message: str = ""
) -> MilestoneConfirmation:
    """Staff accept a partner's confirmation (the side counts as confirmed) or decline it, saying why."""
    message = _check_text("message", message, missing=None if accept else _("Say why you decline it."))
    with transaction.atomic():
        locked_milestone = _locked_open(confirmation.milestone)
        _check_staff_may_edit(user, locked_milestone)
        record = _locked_pending(MilestoneConfirmation, confirmation.pk)
        _decide(record, user=user, accept=accept, message=message)
        if accept:
            _complete_if_confirmed(locked_milestone, user=user)
    return record


def proposal_decide(*, proposal: DueDateProposal, user: User, accept: bool, message: str = "") -> DueDateProposal:
    """Staff accept a proposed due date (the milestone moves, its history says why) or decline it."""
    message = _check_text("message", message, missing=None if accept else _("Say why you decline it."))
    with transaction.atomic():
        locked_milestone = _locked_open(proposal.milestone)
        _check_staff_may_edit(user, locked_milestone)
        record = _locked_pending(DueDateProposal, proposal.pk)
        if accept:
            if errors := due_date_errors(record.proposed_due_on, locked_milestone.agreement):
                raise ValidationError({"proposed_due_on": errors}, code="outside_term")
            locked_milestone.due_on = record.proposed_due_on
            locked_milestone.version += 1
            locked_milestone._history_user = user
            locked_milestone._change_reason = _reason(
                _("Due date moved at %(name)s's request: %(reason)s")
                % {"name": record.author_name, "reason": record.reason}
            )
            locked_milestone.save()
        _decide(record, user=user, accept=accept, message=message)
    return record


def comments_mark_read(*, milestone: Milestone, user: User) -> int:
    """Staff have read the partners' comments on the milestone: they leave "Waiting for you". With
    history, as every change of what waits: the dashboard is kept per version of it (common.page_cache)."""
    unread = list(MilestoneComment.objects.filter(milestone=milestone, user__isnull=True, read_at__isnull=True))
    now = timezone.now()
    for comment in unread:
        comment.read_at, comment.read_by = now, user
    if unread:
        bulk_update_with_history(unread, MilestoneComment, ["read_at", "read_by"], default_user=user)
    return len(unread)


# --- links ---------------------------------------------------------------------------------------------


def link_open(*, key: str, address: str) -> PartnerLink | None:
    """The link for a signed key, if it is still valid (not expired, not revoked); records the use."""
    now = timezone.now()
    with transaction.atomic():
        link = (
            PartnerLink.objects.select_for_update()
            .select_related("person")
            .filter(key=key, address__iexact=address, revoked_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if link is None:
            return None
        link.last_used_at = now
        link.times_used += 1
        link.save(update_fields=["last_used_at", "times_used"])
        PartnerLinkUse.objects.create(link=link, used_at=now)
    return link


def link_still_valid(link_id: int) -> PartnerLink | None:
    return (
        PartnerLink.objects.select_related("person", "person__technopolis")
        .filter(pk=link_id, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


def link_revoke(*, link: PartnerLink, user: User) -> PartnerLink:
    PartnerLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=user)
    link.refresh_from_db()
    return link


def link_request(*, address: str) -> int:
    """Sends a fresh link to each partner contact written down with `address` who has something to see.

    Returns how many were sent, for the logs only: the page says the same whatever the address.
    """
    from .selectors import people_for_address

    people = people_for_address(address)
    for person in people:
        notify.fresh_link(person)
    return len(people)
