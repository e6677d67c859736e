"""Writes to agreements, each in one transaction: an agreement is never left half-saved.

The forms check what a person typed and show the messages next to the fields; the services
check again, against the stored rows and under a row lock, what must hold whoever calls them
(parties, status transitions), and raise ValidationError, which rolls everything back.
"""

import datetime
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.concurrency import FieldChange, StaleRecordError, changes_since, check_version
from parks.models import Person

from .access import may_override_lifecycle, may_record_parties
from .lifecycle import (
    OVERRIDE_REASON_MAX_LENGTH,
    AgreementStatus,
    TransitionFacts,
    check_parties,
    check_transition,
    missing_for,
    too_early_for,
)
from .models import Agreement, AgreementDocument, AgreementParty, Milestone, milestones_outside_term_error

logger = logging.getLogger("portal.agreements")

T = TypeVar("T", bound=models.Model)


@dataclass(frozen=True)
class RowChanges(Generic[T]):
    """Rows of an agreement to save (new or changed) and to delete."""

    saved: Sequence[T] = field(default_factory=tuple)
    deleted: Sequence[T] = field(default_factory=tuple)


def _save(record: models.Model, user: AbstractBaseUser | None) -> None:
    # The history records who made the change even outside a request (commands, tasks).
    record._history_user = user
    record.save()


def _delete(record: models.Model, user: AbstractBaseUser | None) -> None:
    record._history_user = user
    record.delete()


def _check_stored_parties(agreement: Agreement, user: AbstractBaseUser) -> None:
    park_ids = list(agreement.parties.values_list("technopolis_id", flat=True))
    check_parties(agreement.status, park_ids)
    if not may_record_parties(user, park_ids):
        raise ValidationError(_("One of the parties must be a park you edit."), code="not_own_park")


def _save_rows(
    agreement: Agreement,
    parties: RowChanges[AgreementParty],
    milestones: RowChanges[Milestone],
    user: AbstractBaseUser,
) -> None:
    # Deleted first, so that a park removed and added again in one go does not meet itself.
    for record in [*parties.deleted, *milestones.deleted]:
        _delete(record, user)
    for record in [*parties.saved, *milestones.saved]:
        record.agreement = agreement
        _save(record, user)


def _set_party_witnesses(parties: Iterable[AgreementParty], witnesses: Mapping[int, Iterable[Person]]) -> None:
    for party in parties:
        if party.technopolis_id in witnesses:
            party.witnesses.set(witnesses[party.technopolis_id])


def _set_relations(agreement: Agreement, relations: Mapping[str, Iterable[models.Model]]) -> None:
    for name, records in relations.items():
        getattr(agreement, name).set(records)


# Kept by the lifecycle and archive services, or by the save itself: never a person's edit.
_NOT_EDITED = {"id", "version", "status", "archived_at", "archived_by_id", "created_at", "updated_at"}


def _unchanged(
    stored: Agreement,
    agreement: Agreement,
    relations: Mapping[str, Iterable[models.Model]],
    parties: RowChanges[AgreementParty],
    milestones: RowChanges[Milestone],
) -> bool:
    """An untouched form is no save: no new version (no false conflict for the next person), no history row."""
    if parties.saved or parties.deleted or milestones.saved or milestones.deleted:
        return False
    for model_field in Agreement._meta.concrete_fields:
        name = model_field.attname
        if name not in _NOT_EDITED and getattr(stored, name) != getattr(agreement, name):
            return False
    return all(
        set(getattr(stored, name).values_list("pk", flat=True)) == {record.pk for record in records}
        for name, records in relations.items()
    )


def agreement_create(
    *,
    agreement: Agreement,
    relations: Mapping[str, Iterable[models.Model]],
    parties: Sequence[AgreementParty],
    milestones: Sequence[Milestone],
    party_witnesses: Mapping[int, Iterable[Person]] | None = None,
    user: AbstractBaseUser,
) -> Agreement:
    """Saves a new, validated agreement with its many-to-many relations, parties (and who witnessed
    for each, by park id) and milestones."""
    with transaction.atomic():
        _save(agreement, user)
        _set_relations(agreement, relations)
        _save_rows(agreement, RowChanges(saved=parties), RowChanges(saved=milestones), user)
        _set_party_witnesses(parties, party_witnesses or {})
        _check_stored_parties(agreement, user)
    return agreement


def _stale_milestones(
    agreement: Agreement, milestones: RowChanges[Milestone], versions: Mapping[int, int]
) -> list[tuple[Milestone, int]]:
    """The stored milestones (locked) that the person changes or deletes, saved by someone else meanwhile."""
    touched = {record.pk for record in [*milestones.saved, *milestones.deleted] if record.pk is not None}
    stored = Milestone.objects.select_for_update().filter(agreement=agreement, pk__in=touched).order_by("pk")
    return [
        (record, versions[record.pk])
        for record in stored
        if record.pk in versions and record.version != versions[record.pk]
    ]


def _check_versions(
    stored: Agreement, version: int, milestones: RowChanges[Milestone], milestone_versions: Mapping[int, int]
) -> None:
    """Refuses the save when the agreement or a milestone being changed moved past what the person saw.

    The message lists what changed, field by field, in the agreement and in those milestones.
    """
    stale_milestones = _stale_milestones(stored, milestones, milestone_versions)
    if stored.version == version and not stale_milestones:
        return
    changes: list[FieldChange] = []
    changed_by = None
    if stored.version != version:
        changes, changed_by = changes_since(current=stored, version=version)
    for milestone, seen in stale_milestones:
        milestone_changes, milestone_by = changes_since(current=milestone, version=seen)
        changed_by = changed_by or milestone_by
        changes += [
            FieldChange(
                change.field,
                _("Milestone “%(title)s”: %(field)s") % {"title": milestone.title, "field": change.label},
                change.before,
                change.after,
            )
            for change in milestone_changes
        ]
    raise StaleRecordError(changes=changes, changed_by=changed_by)


def agreement_update(
    *,
    agreement: Agreement,
    version: int,
    relations: Mapping[str, Iterable[models.Model]],
    parties: RowChanges[AgreementParty],
    milestones: RowChanges[Milestone],
    milestone_versions: Mapping[int, int] | None = None,
    party_witnesses: Mapping[int, Iterable[Person]] | None = None,
    user: AbstractBaseUser,
) -> Agreement:
    """Saves a validated agreement's changes; its status changes only through agreement_change_status.

    `party_witnesses` sets, by park id, who witnessed for a party among `parties.saved`.

    `version` is the agreement's version the person started editing from, `milestone_versions`
    those of its milestones (by id): when someone saved the agreement or one of the milestones
    being changed meanwhile, StaleRecordError says what they changed and nothing is saved.
    """
    with transaction.atomic():
        stored = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _check_versions(stored, version, milestones, milestone_versions or {})
        if _unchanged(stored, agreement, relations, parties, milestones):
            return stored
        agreement.status = stored.status
        agreement.archived_at, agreement.archived_by_id = stored.archived_at, stored.archived_by_id
        agreement.version = stored.version + 1
        for record in milestones.saved:
            if record.pk is not None:
                record.version = (milestone_versions or {}).get(record.pk, record.version) + 1
        # Parties are edited only with their agreement, whose version (checked above) guards them.
        for record in parties.saved:
            if record.pk is not None:
                record.version += 1
        _save(agreement, user)
        _set_relations(agreement, relations)
        _save_rows(agreement, parties, milestones, user)
        _set_party_witnesses(parties.saved, party_witnesses or {})
        _check_stored_parties(agreement, user)
        _check_milestones_in_term(agreement)
    return agreement


def _check_milestones_in_term(agreement: Agreement) -> None:
    """The term as saved against every milestone kept, whichever door changed it (an API PATCH of the dates)."""
    error = milestones_outside_term_error(agreement, agreement.milestones.all())
    if error is not None:
        raise error


def agreement_transition_facts(
    agreement: Agreement, *, today: datetime.date, parties: Iterable[AgreementParty] | None = None
) -> TransitionFacts:
    """What the lifecycle's rules read of the agreement; its `parties` when the caller has them loaded
    (else its own, prefetched ones when loaded)."""
    parties = agreement.parties.all() if parties is None else parties
    return TransitionFacts(
        signed_on=agreement.signed_on,
        effective_from=agreement.effective_from,
        term_end=agreement.term_end_on(today),
        parties_without_signatory=sum(1 for party in parties if party.signatory_id is None),
    )


def check_status_requirements(
    agreement: Agreement,
    new_status: str,
    *,
    today: datetime.date,
    user: AbstractBaseUser,
    override_reason: str = "",
    parties: Iterable[AgreementParty] | None = None,
) -> None:
    """Raises ValidationError (on "status") when `new_status` makes no sense yet on `today`, or when
    the agreement lacks what it implies and no manager overrides it with a reason."""
    facts = agreement_transition_facts(agreement, today=today, parties=parties)
    label = AgreementStatus(new_status).label
    too_early = too_early_for(new_status, facts, today)
    if too_early:
        raise ValidationError(
            {"status": _("Not yet “%(status)s”. %(reason)s") % {"status": label, "reason": too_early}}, code="too_early"
        )
    missing = missing_for(new_status, facts)
    if not missing:
        return
    if len(override_reason.strip()) > OVERRIDE_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "override_reason": _("Say why in at most %(max)d characters (it has %(count)d).")
                % {"max": OVERRIDE_REASON_MAX_LENGTH, "count": len(override_reason.strip())}
            },
            code="override_reason_too_long",
        )
    if not override_reason.strip():
        raise ValidationError(
            {
                "status": _(
                    "To be “%(status)s” the agreement needs %(missing)s. Complete it first, or a manager "
                    "may move it on without, giving the reason."
                )
                % {"status": label, "missing": ", ".join(missing)}
            },
            code="missing_data",
        )
    if not may_override_lifecycle(user, agreement):
        raise ValidationError(
            {"override_reason": _("Only a manager of one of its parks, or an administrator, may move it on without.")},
            code="override_not_allowed",
        )


def agreement_change_status(
    *,
    agreement: Agreement,
    new_status: str,
    user: AbstractBaseUser,
    expected_status: str | None = None,
    today: datetime.date | None = None,
    override_reason: str = "",
) -> Agreement:
    """Moves the agreement along its lifecycle.

    `expected_status` is the status the person saw: when someone else changed it meanwhile, the
    request is refused rather than applied to a status they did not see. What the new status implies
    is checked on `today` (see lifecycle); a manager's `override_reason` is kept in the history.
    """
    if new_status not in AgreementStatus.values:
        raise ValidationError(_("Unknown status."), code="unknown_status")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if expected_status is not None and locked.status != expected_status:
            raise ValidationError(
                _("Someone changed the agreement's status meanwhile, to “%(status)s”. Nothing was changed.")
                % {"status": locked.get_status_display()},
                code="stale_status",
            )
        if locked.status == new_status:
            raise ValidationError(
                _("The agreement's status is already “%(status)s”.") % {"status": locked.get_status_display()},
                code="same_status",
            )
        check_transition(locked.status, new_status)
        if new_status != AgreementStatus.DRAFT:
            check_parties(new_status, locked.parties.values_list("technopolis_id", flat=True))
        check_status_requirements(locked, new_status, today=today, user=user, override_reason=override_reason)
        previous_status = locked.status
        locked.status = new_status
        locked.version += 1
        if override_reason.strip():
            # django-simple-history keeps it with the change: the agreement's history shows why.
            locked._change_reason = override_reason.strip()
        _save(locked, user)
    logger.info(
        "agreement_status_changed",
        extra={
            "event": "agreement_status_changed",
            "agreement_id": locked.pk,
            "reference": locked.reference,
            "from_status": previous_status,
            "to_status": new_status,
            "override_reason": override_reason.strip(),
            "user_id": user.pk,
        },
    )
    return locked


def milestone_mark_done(
    *,
    milestone: Milestone,
    today: datetime.date,
    user: AbstractBaseUser,
    expected_version: int | None = None,
    completed_on: datetime.date | None = None,
    note: str = "",
) -> Milestone:
    """Ticks off an open milestone, done on `completed_on` (today when not given, never later) with an
    optional note; `expected_version` is the version the person saw, when known."""
    completed_on = completed_on or today
    if completed_on > today:
        raise ValidationError(
            {"completed_on": _("A milestone cannot be done on a future day (%(date)s).") % {"date": completed_on}},
            code="future_completion",
        )
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if locked.status not in Milestone.OPEN_STATUSES:
            raise ValidationError(
                _("This milestone is already “%(status)s”.") % {"status": locked.get_status_display()},
                code="not_open",
            )
        if expected_version is not None:
            check_version(current=locked, submitted_version=expected_version)
        locked.status = Milestone.Status.DONE
        locked.completed_on = completed_on
        locked.completion_note = note.strip()
        locked.version += 1
        _save(locked, user)
    return locked


def agreement_archive(
    *, agreement: Agreement, user: AbstractBaseUser, expected_version: int | None = None
) -> Agreement:
    """Archives the agreement: hidden from lists and exports by default, kept whole, restorable."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if expected_version is not None:
            check_version(current=locked, submitted_version=expected_version)
        if locked.archived_at is not None:
            raise ValidationError(_("The agreement is already archived."), code="already_archived")
        locked.archived_at = timezone.now()
        locked.archived_by = user
        locked.version += 1
        _save(locked, user)
    return locked


def agreement_restore(
    *, agreement: Agreement, user: AbstractBaseUser, expected_version: int | None = None
) -> Agreement:
    """Brings an archived agreement back into the lists."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if expected_version is not None:
            check_version(current=locked, submitted_version=expected_version)
        if locked.archived_at is None:
            raise ValidationError(_("The agreement is not archived."), code="not_archived")
        locked.archived_at = None
        locked.archived_by = None
        locked.version += 1
        _save(locked, user)
    return locked


def document_create(
    *,
    agreement: Agreement,
    kind: str,
    title: str,
    file: UploadedFile,
    user: AbstractBaseUser,
    supersedes: AgreementDocument | None = None,
) -> AgreementDocument:
    """Stores an uploaded document under a random name, keeping the name it had on the uploader's machine.

    A document is never replaced: a new version is a new row naming the one it `supersedes`, whose
    file stays as it was. Only the latest version can be superseded, so versions form one line.
    """
    max_length = AgreementDocument._meta.get_field("original_filename").max_length
    with transaction.atomic():
        if supersedes is not None:
            supersedes = AgreementDocument.objects.select_for_update().get(pk=supersedes.pk)
            if AgreementDocument.objects.filter(supersedes=supersedes).exists():
                raise ValidationError(
                    {
                        "supersedes": _("“%(title)s” already has a newer version; upload a new version of that one.")
                        % {"title": supersedes.title}
                    },
                    code="already_superseded",
                )
        document = AgreementDocument(
            agreement=agreement,
            kind=kind,
            title=title,
            file=file,
            supersedes=supersedes,
            original_filename=Path(file.name).name[:max_length],
            uploaded_by=user,
        )
        document.full_clean()
        _save(document, user)
    return document
