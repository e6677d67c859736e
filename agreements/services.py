"""Writes to agreements, each in one transaction: an agreement is never left half-saved.

The forms check what a person typed and show the messages next to the fields; the services
check again, against the stored rows and under a row lock, what must hold whoever calls them
(parties, status transitions), and raise ValidationError, which rolls everything back.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from .access import may_record_parties
from .lifecycle import AgreementStatus, check_parties, check_transition
from .models import Agreement, AgreementDocument, AgreementParty, Milestone

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


def _set_relations(agreement: Agreement, relations: Mapping[str, Iterable[models.Model]]) -> None:
    for name, records in relations.items():
        getattr(agreement, name).set(records)


def agreement_create(
    *,
    agreement: Agreement,
    relations: Mapping[str, Iterable[models.Model]],
    parties: Sequence[AgreementParty],
    milestones: Sequence[Milestone],
    user: AbstractBaseUser,
) -> Agreement:
    """Saves a new, validated agreement with its many-to-many relations, parties and milestones."""
    with transaction.atomic():
        _save(agreement, user)
        _set_relations(agreement, relations)
        _save_rows(agreement, RowChanges(saved=parties), RowChanges(saved=milestones), user)
        _check_stored_parties(agreement, user)
    return agreement


def agreement_update(
    *,
    agreement: Agreement,
    relations: Mapping[str, Iterable[models.Model]],
    parties: RowChanges[AgreementParty],
    milestones: RowChanges[Milestone],
    user: AbstractBaseUser,
) -> Agreement:
    """Saves a validated agreement's changes; its status changes only through agreement_change_status."""
    with transaction.atomic():
        stored = Agreement.objects.select_for_update().get(pk=agreement.pk)
        agreement.status = stored.status
        _save(agreement, user)
        _set_relations(agreement, relations)
        _save_rows(agreement, parties, milestones, user)
        _check_stored_parties(agreement, user)
    return agreement


def agreement_change_status(
    *, agreement: Agreement, new_status: str, user: AbstractBaseUser, expected_status: str | None = None
) -> Agreement:
    """Moves the agreement along its lifecycle.

    `expected_status` is the status the person saw: when someone else changed it meanwhile, the
    request is refused rather than applied to a status they did not see.
    """
    if new_status not in AgreementStatus.values:
        raise ValidationError(_("Unknown status."), code="unknown_status")
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if expected_status is not None and locked.status != expected_status:
            raise ValidationError(
                _("The agreement's status changed meanwhile: it is now %(status)s. Nothing was changed.")
                % {"status": locked.get_status_display()},
                code="stale_status",
            )
        if locked.status == new_status:
            raise ValidationError(
                _("The agreement is already %(status)s.") % {"status": locked.get_status_display()},
                code="same_status",
            )
        check_transition(locked.status, new_status)
        if new_status != AgreementStatus.DRAFT:
            check_parties(new_status, locked.parties.values_list("technopolis_id", flat=True))
        locked.status = new_status
        _save(locked, user)
    return locked


def milestone_mark_done(*, milestone: Milestone, today: datetime.date, user: AbstractBaseUser) -> Milestone:
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if locked.status not in Milestone.OPEN_STATUSES:
            raise ValidationError(
                _("This milestone is already %(status)s.") % {"status": locked.get_status_display()},
                code="not_open",
            )
        locked.status = Milestone.Status.DONE
        locked.completed_on = today
        _save(locked, user)
    return locked


def document_create(
    *, agreement: Agreement, kind: str, title: str, file: UploadedFile, user: AbstractBaseUser
) -> AgreementDocument:
    """Stores an uploaded document under a random name, keeping the name it had on the uploader's machine."""
    max_length = AgreementDocument._meta.get_field("original_filename").max_length
    document = AgreementDocument(
        agreement=agreement,
        kind=kind,
        title=title,
        file=file,
        original_filename=Path(file.name).name[:max_length],
        uploaded_by=user,
    )
    document.full_clean()
    _save(document, user)
    return document
