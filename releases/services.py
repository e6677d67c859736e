"""A reviewed release written to the portal in one transaction: the agreement (new or updated), its
parties, signatories, witnesses, event, scope and milestones, the new parks and people, and the
release kept as a document of the agreement. Nothing is written before the person confirms.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agreements import services as agreement_services
from agreements.access import can_edit_agreement
from agreements.lifecycle import AgreementStatus
from agreements.models import Agreement, AgreementDocument, AgreementParty, InnovationStage, Milestone, SigningEvent
from extraction.text import fold
from parks.access import is_admin
from parks.models import Facility, Person, ReportedFigures, Technopolis

from .models import ImportedRelease, release_fingerprint

CHANGE_REASON_MAX = 100  # simple_history's history_change_reason


@dataclass
class NewPark:
    name: str
    region: str = ""
    city: str = ""
    founded_year: int | None = None
    ownership: str = ""
    government_funding: bool | None = None
    figures: dict[str, int] = field(default_factory=dict)  # resident_companies, products, ...
    facilities: list[tuple[str, str]] = field(default_factory=list)  # (Facility.Kind, name as written)
    quote: str = ""


@dataclass
class PartyChoice:
    park: Technopolis | None
    new: NewPark | None = None


@dataclass
class PersonChoice:
    name: str
    role: str  # signatory, witness, contact
    person: Person | None = None
    position: str = ""
    organisation: str = ""
    party: int | None = None  # index in Review.parties


@dataclass
class MilestoneChoice:
    title: str
    due_on: date
    party: int | None = None


@dataclass
class Review:
    text: str
    language: str
    filename: str
    reference: str
    title: str
    kind: str
    signed_on: date | None
    event: SigningEvent | None
    new_event: tuple[str, str] | None  # (name, city)
    stages: list[InnovationStage]
    subject: str
    parties: list[PartyChoice]
    people: list[PersonChoice]
    milestones: list[MilestoneChoice]
    parent: Agreement | None = None  # the agreement an amendment changes
    update: Agreement | None = None


def may_add_parks(user) -> bool:
    """Parks are the register's backbone: new ones come from administrators (or those given the right)."""
    return is_admin(user) or user.has_perm("parks.add_technopolis")


def apply_release(review: Review, *, user) -> Agreement:
    """Creates the agreement, or fills the gaps of review.update, from a reviewed release."""
    with transaction.atomic():
        if review.update is None:
            _check_not_imported(review)
        parks = [_park(choice, review, user) for choice in review.parties]
        event = review.event or _new_event(review)
        people = [_person(choice, review, parks) for choice in review.people]
        if review.update is None:
            agreement = _create(review, parks, event, people, user)
        else:
            agreement = _update(review, parks, event, people, user)
        _keep_release(review, agreement, user, created=review.update is None)
    return agreement


def _check_not_imported(review: Review) -> None:
    """One release makes one agreement, even when two people confirm it at once: the second waits for
    the first's transaction (an advisory lock on the release's fingerprint) and is then told."""
    fingerprint = release_fingerprint(review.text)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"release:{fingerprint}"])
    imported = ImportedRelease.objects.filter(fingerprint=fingerprint).select_related("agreement").first()
    if imported is not None:
        raise ValidationError(
            _("This release has been imported already, as agreement %(reference)s: update that one instead.")
            % {"reference": imported.agreement.reference},
            code="already_imported",
        )


def _translated(field_name: str, value: str, language: str) -> dict[str, str]:
    # The release's language gets the value; the other one falls back to it on every page.
    return {f"{field_name}_{language}": value}


def _park(choice: PartyChoice, review: Review, user) -> Technopolis:
    if choice.park is not None:
        return choice.park
    new = choice.new
    if not may_add_parks(user):
        raise ValidationError(
            _("“%(name)s” is not in the portal, and only an administrator may add a park: pick an existing park.")
            % {"name": new.name},
            code="may_not_add_park",
        )
    if Technopolis.objects.filter(**{f"name_{review.language}__iexact": new.name}).exists():
        raise ValidationError(
            _("A park named “%(name)s” exists already: pick it instead of adding it again.") % {"name": new.name},
            code="park_exists",
        )
    park = Technopolis(
        **_translated("name", new.name, review.language),
        **_translated("region", new.region, review.language),
        **_translated("city", new.city, review.language),
        slug=_unique_slug(new.name),
        founded_year=new.founded_year,
        ownership=new.ownership,
        receives_government_funding=new.government_funding,
    )
    park.full_clean()
    park.save()
    if new.figures:
        figures = ReportedFigures(
            technopolis=park,
            source=(_("Press release") + (f": {review.filename}" if review.filename else ""))[:300],
            **_translated("quote", new.quote, review.language),
            **new.figures,
        )
        figures.full_clean()
        figures.save()
    for kind, name in new.facilities:
        Facility.objects.create(technopolis=park, kind=kind, **_translated("name", name[:200], review.language))
    return park


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True)[:90] or "park"
    slug, number = base, 2
    while Technopolis.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _new_event(review: Review) -> SigningEvent | None:
    if not review.new_event:
        return None
    name, city = review.new_event
    event = SigningEvent(**_translated("name", name, review.language), **_translated("city", city, review.language))
    event.full_clean()
    event.save()
    return event


def _person(choice: PersonChoice, review: Review, parks: list[Technopolis]) -> Person:
    if choice.person is not None:
        return choice.person
    person = Person(
        **_translated("full_name", choice.name, review.language),
        **_translated("position", choice.position[:300], review.language),
        **_translated("organisation", choice.organisation[:300], review.language),
        technopolis=parks[choice.party] if choice.party is not None and choice.role != "witness" else None,
        language=review.language,
    )
    person.full_clean()
    person.save()
    return person


def _reason(review: Review, *, created: bool) -> str:
    source = review.filename or _("pasted text")
    if created:
        reason = _("Created from the press release (%(source)s)") % {"source": source}
    else:
        reason = _("Updated from the press release (%(source)s)") % {"source": source}
    return reason[:CHANGE_REASON_MAX]


def _signatories(review: Review, people: list[Person]) -> dict[int, Person]:
    return {
        choice.party: person
        for choice, person in zip(review.people, people, strict=True)
        if choice.role == "signatory" and choice.party is not None
    }


def _witnesses(review: Review, people: list[Person]) -> list[Person]:
    return [person for choice, person in zip(review.people, people, strict=True) if choice.role == "witness"]


def _milestone(choice: MilestoneChoice, review: Review, parks: list[Technopolis]) -> Milestone:
    return Milestone(
        **_translated("title", choice.title[:500], review.language),
        due_on=choice.due_on,
        responsible_technopolis=parks[choice.party] if choice.party is not None else None,
    )


def _create(review, parks, event, people, user) -> Agreement:
    agreement = Agreement(
        reference=review.reference,
        **_translated("title", review.title, review.language),
        **_translated("subject", review.subject, review.language),
        kind=review.kind,
        status=AgreementStatus.DRAFT,
        signed_on=review.signed_on,
        signing_event=event,
        parent=review.parent,
        parent_relation=Agreement.ParentRelation.AMENDMENT if review.parent else "",
    )
    agreement.full_clean()
    agreement._change_reason = _reason(review, created=True)
    signatories = _signatories(review, people)
    rows = [AgreementParty(technopolis=park, signatory=signatories.get(index)) for index, park in enumerate(parks)]
    milestones = [_milestone(choice, review, parks) for choice in review.milestones]
    for milestone in milestones:
        milestone.agreement = agreement
        milestone.full_clean(exclude=["agreement"])
    return agreement_services.agreement_create(
        agreement=agreement,
        relations={"scope": review.stages, "witnesses": _witnesses(review, people)},
        parties=rows,
        milestones=milestones,
        user=user,
    )


def _update(review, parks, event, people, user) -> Agreement:
    """Fills what the stored agreement lacks and adds what it does not have; never overwrites."""
    agreement = Agreement.objects.select_for_update().get(pk=review.update.pk)
    if not can_edit_agreement(user, agreement):
        raise ValidationError(_("You may not change this agreement."), code="not_editable")
    for name, value in (("title", review.title), ("subject", review.subject)):
        if value and not getattr(agreement, f"{name}_{review.language}"):
            setattr(agreement, f"{name}_{review.language}", value)
    agreement.signed_on = agreement.signed_on or review.signed_on
    agreement.signing_event = agreement.signing_event or event
    agreement.version += 1
    agreement.full_clean()
    agreement._change_reason = _reason(review, created=False)
    agreement._history_user = user
    agreement.save()
    agreement.scope.add(*review.stages)
    agreement.witnesses.add(*_witnesses(review, people))
    signatories = _signatories(review, people)
    stored = {party.technopolis_id: party for party in agreement.parties.all()}
    for index, park in enumerate(parks):
        party = stored.get(park.pk)
        if party is None:
            party = AgreementParty(agreement=agreement, technopolis=park, signatory=signatories.get(index))
        elif party.signatory_id is None and index in signatories:
            party.signatory = signatories[index]
            party.version += 1
        else:
            continue
        party._history_user = user
        party.save()
    titles = {fold(title) for title in agreement.milestones.values_list(f"title_{review.language}", flat=True) if title}
    for choice in review.milestones:
        if fold(choice.title) in titles:
            continue
        milestone = _milestone(choice, review, parks)
        milestone.agreement = agreement
        milestone.full_clean()
        milestone._history_user = user
        milestone.save()
    return agreement


def _keep_release(review: Review, agreement: Agreement, user, *, created: bool) -> None:
    stem = Path(review.filename).stem if review.filename else "press-release"
    document = agreement_services.document_create(
        agreement=agreement,
        kind=AgreementDocument.Kind.OTHER,
        title=(_("Press release") + (f": {review.filename}" if review.filename else ""))[:300],
        file=ContentFile(_as_docx(review.text), name=f"{stem}.docx"),
        user=user,
    )
    ImportedRelease.objects.create(
        agreement=agreement,
        document=document,
        fingerprint=release_fingerprint(review.text),
        language=review.language,
        created=created,
        imported_by=user,
    )


def _as_docx(text: str) -> bytes:
    """The release's text as a Word document, one paragraph per line (documents are checked by type,
    and a .docx is what staff open)."""
    from docx import Document

    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
