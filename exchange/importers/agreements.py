"""Importers of agreements (with their parties) and their milestones."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from agreements.access import editable_agreements, may_record_parties, visible_agreements
from agreements.lifecycle import allowed_next_statuses, check_parties
from agreements.models import Agreement, AgreementParty, Milestone, milestones_outside_term_error
from agreements.services import agreement_change_status, check_status_requirements

from ..columns import Column, boolean, choice, optional_date
from .base import Importer, Planned, RowErrors

PARTY_SEPARATOR = ";"


def _parties(agreement: Agreement) -> str:
    return f"{PARTY_SEPARATOR} ".join(party.technopolis.name for party in agreement.parties.all())


class AgreementImporter(Importer):
    kind = "agreements"
    label = gettext_lazy("Agreements")
    model = Agreement
    key_columns = ("reference",)
    columns = (
        Column(
            "reference",
            gettext_lazy("Reference"),
            "reference",
            required=True,
            export=lambda a: a.reference,
            example="AGR-2026-001",
        ),
        Column("title", gettext_lazy("Title"), "title", required=True, export=lambda a: a.title, example="Cooperation"),
        Column(
            "kind",
            gettext_lazy("Kind"),
            "kind",
            choice(Agreement.Kind, blank=Agreement.Kind.COOPERATION),
            export=lambda a: a.get_kind_display(),
            example="cooperation",
        ),
        Column(
            "status",
            gettext_lazy("Status"),
            "status",
            choice(Agreement.Status, blank=Agreement.Status.DRAFT),
            export=lambda a: a.get_status_display(),
            example="signed",
        ),
        Column(
            "parties",
            gettext_lazy("Parties"),
            export=_parties,
            example="Himgrad; Technopolis Gousev",
        ),
        Column("public", gettext_lazy("Public"), "is_public", boolean, export=lambda a: a.is_public, example="no"),
        Column("signed_on", gettext_lazy("Signed on"), "signed_on", optional_date, export=lambda a: a.signed_on),
        Column(
            "effective_from",
            gettext_lazy("Effective from"),
            "effective_from",
            optional_date,
            export=lambda a: a.effective_from,
        ),
        Column("expires_on", gettext_lazy("Expires on"), "expires_on", optional_date, export=lambda a: a.expires_on),
        Column("subject", gettext_lazy("Subject"), "subject", export=lambda a: a.subject),
        Column(
            "signing_event",
            gettext_lazy("Signing event"),
            export=lambda a: str(a.signing_event or ""),
            imported=False,
        ),
        Column(
            "sectors",
            gettext_lazy("Cooperation areas"),
            export=lambda a: f"{PARTY_SEPARATOR} ".join(str(sector) for sector in a.sectors.all()),
            imported=False,
        ),
    )

    @classmethod
    def for_export(cls, queryset):
        parties = Prefetch("parties", queryset=AgreementParty.objects.select_related("technopolis"))
        return queryset.select_related("signing_event").prefetch_related(parties, "sectors")

    def load(self, rows):
        references = [row.get("reference", "").strip() for row in rows]
        parties = Prefetch("parties", queryset=AgreementParty.objects.select_related("technopolis"))
        # Only what the person may see: a row naming an agreement they may not see is a new one, and
        # meets the register's unique reference as the portal's form does, telling nothing of it.
        stored = visible_agreements(self.user, Agreement.objects.filter(reference__in=references))
        self.editable_ids = set(editable_agreements(self.user, stored).values_list("pk", flat=True))
        self.found = {(agreement.reference,): agreement for agreement in self.stored(stored).prefetch_related(parties)}
        self.taken = set(Agreement.objects.filter(reference__in=references).values_list("reference", flat=True))

    def resolve(self, record, values, existing):
        if existing is None and record.reference in self.taken:
            # The same words as the portal's form: the reference is in use, nothing about its agreement.
            raise RowErrors([("reference", record.unique_error_message(Agreement, ("reference",)).messages[0])])
        if existing is not None and existing.pk not in self.editable_ids:
            message = _("You may not edit agreement %(reference)s.") % {"reference": existing.reference}
            raise RowErrors([("reference", message)])
        if "parties" in values:
            names = [name.strip() for name in values["parties"].split(PARTY_SEPARATOR) if name.strip()]
            parks = []
            for name in names:
                parks.append(self.park(name, "parties"))
        else:
            parks = [party.technopolis for party in existing.parties.all()] if existing else []
        try:
            check_parties(record.status, [park.pk for park in parks])
        except ValidationError as error:
            raise RowErrors([("parties", message) for message in error.messages]) from None
        if not may_record_parties(self.user, [park.pk for park in parks]):
            raise RowErrors([("parties", _("One of the parties must be a park you edit."))])
        if existing is not None and record.status in allowed_next_statuses(existing.status):
            # What the new status implies, on the row's own dates and the stored parties' signatories
            # (a move the lifecycle refuses outright is reported by Agreement.clean).
            try:
                check_status_requirements(
                    record,
                    record.status,
                    today=timezone.localdate(),
                    user=self.user,
                    parties=existing.parties.all(),  # prefetched with the stored agreements: no query per row
                )
            except ValidationError as error:
                raise RowErrors(self._messages(error)) from None
        if existing is not None:
            record.updated_at = timezone.now()
            term = ("effective_from", "expires_on", "renewal", "renewal_months")
            if any(getattr(record, name) != getattr(existing, name) for name in term):
                error = milestones_outside_term_error(record, existing.milestones.all())
                if error is not None:
                    raise RowErrors(self._messages(error))
        return parks

    def extra_changed(self, planned: Planned) -> list[str]:
        stored = {party.technopolis_id for party in planned.existing.parties.all()}
        return ["parties"] if stored != {park.pk for park in planned.extra} else []

    def written_fields(self, updated):
        return [*super().written_fields(updated), "updated_at"]

    def write(self, created, updated):
        """Writes the rows; a new status of a stored agreement then goes through the lifecycle service.

        As in the portal: the same checks, history and log event. The rows have passed the same
        checks already (the transition in Agreement.clean, the parties for the new status in
        `resolve`); the service runs after the parties are written, since they may allow the status.
        """
        new_statuses: dict[int, str] = {}
        for planned in updated:
            if "status" in planned.fields:
                planned.fields.remove("status")
                new_statuses[planned.record.pk] = planned.record.status
                planned.record.status = planned.existing.status
        # A row changing nothing but the status is written by the service alone.
        super().write(created, [planned for planned in updated if planned.fields or self.extra_changed(planned)])
        for planned in updated:
            if planned.record.pk in new_statuses:
                agreement_change_status(
                    agreement=planned.record,
                    new_status=new_statuses[planned.record.pk],
                    expected_status=planned.existing.status,
                    user=self.user,
                )

    def write_extra(self, created, updated):
        new_parties = [
            AgreementParty(agreement=planned.record, technopolis=park) for planned in created for park in planned.extra
        ]
        for planned in updated:
            wanted = {park.pk: park for park in planned.extra}
            for party in planned.existing.parties.all():
                if party.technopolis_id not in wanted:
                    party._history_user = self.user
                    party.delete()
                wanted.pop(party.technopolis_id, None)
            new_parties += [AgreementParty(agreement=planned.record, technopolis=park) for park in wanted.values()]
        if new_parties:
            bulk_create_with_history(new_parties, AgreementParty, batch_size=1000, default_user=self.user)


class MilestoneImporter(Importer):
    kind = "milestones"
    label = gettext_lazy("Milestones")
    model = Milestone
    key_columns = ("agreement", "title")
    columns = (
        Column(
            "agreement",
            gettext_lazy("Agreement reference"),
            required=True,
            export=lambda m: m.agreement.reference,
            example="AGR-2026-001",
        ),
        Column("title", gettext_lazy("Title"), "title", required=True, export=lambda m: m.title, example="Joint lab"),
        Column(
            "due_on",
            gettext_lazy("Due on"),
            "due_on",
            optional_date,
            required=True,
            export=lambda m: m.due_on,
            example="2027-06-30",
        ),
        Column(
            "status",
            gettext_lazy("Status"),
            "status",
            choice(Milestone.Status, blank=Milestone.Status.PLANNED),
            export=lambda m: m.get_status_display(),
            example="planned",
        ),
        Column(
            "completed_on",
            gettext_lazy("Completed on"),
            "completed_on",
            optional_date,
            export=lambda m: m.completed_on,
        ),
        Column(
            "responsible_park",
            gettext_lazy("Responsible park"),
            export=lambda m: m.responsible_technopolis.name if m.responsible_technopolis else "",
        ),
        Column("description", gettext_lazy("Description"), "description", export=lambda m: m.description),
        Column(
            "reminder_days",
            gettext_lazy("Remind days before"),
            "reminder_days",
            export=lambda m: m.reminder_days,
            example="14, 3, 0",
        ),
        Column(
            "agreement_title",
            gettext_lazy("Agreement title"),
            export=lambda m: m.agreement.title,
            imported=False,
        ),
        Column(
            "responsible_person",
            gettext_lazy("Responsible person"),
            export=lambda m: str(m.responsible_person or ""),
            imported=False,
        ),
        Column(
            "overdue",
            gettext_lazy("Overdue"),
            export=lambda m: m.is_overdue(timezone.localdate()),
            imported=False,
        ),
    )

    @classmethod
    def for_export(cls, queryset):
        return queryset.select_related("agreement", "responsible_technopolis", "responsible_person")

    def relation_columns(self) -> dict[str, str]:
        return {"agreement": "agreement", "responsible_technopolis": "responsible_park"}

    def load(self, rows):
        references = [row.get("agreement", "").strip() for row in rows]
        # An agreement the person may not see is reported exactly like one that does not exist.
        agreements = visible_agreements(self.user, Agreement.objects.filter(reference__in=references))
        self.agreements = {agreement.reference: agreement for agreement in agreements}
        self.editable_ids = set(editable_agreements(self.user, agreements).values_list("pk", flat=True))
        titles = [row.get("title", "").strip() for row in rows]
        stored = self.stored(
            Milestone.objects.filter(agreement__in=agreements, title__in=titles).select_related("agreement")
        )
        self.found = {(milestone.agreement.reference, milestone.title): milestone for milestone in stored}

    def resolve(self, record, values, existing):
        reference = values.get("agreement", "").strip()
        agreement = self.agreements.get(reference)
        if agreement is None:
            raise RowErrors([("agreement", _("There is no agreement “%(reference)s”.") % {"reference": reference})])
        if agreement.pk not in self.editable_ids:
            raise RowErrors([("agreement", _("You may not edit agreement %(reference)s.") % {"reference": reference})])
        record.agreement = agreement
        if record.due_on is None:
            raise RowErrors([("due_on", _("This column is required."))])
        if "responsible_park" in values:
            name = values["responsible_park"].strip()
            record.responsible_technopolis = self.park(name, "responsible_park") if name else None
