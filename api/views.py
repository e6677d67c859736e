"""The API's viewsets: the portal's reads (selectors, access rules) and writes (services) over HTTP.

Each list starts from what the client may see, so an invisible record is answered 404 exactly as
in the portal; writes ask the same access functions (403 when the record is visible but not
theirs to change) and call the same services, so lifecycle rules, history and versions apply.
"""

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from agreements import services as agreement_services
from agreements.access import can_edit_agreement, can_see_contacts, visible_agreements
from agreements.lifecycle import check_parties
from agreements.models import Agreement, AgreementDocument, AgreementParty, Milestone
from agreements.selectors import (
    PARK_RECORD_FIELDS,
    RELATION_FIELDS,
    agreements_for_list,
    hidden_know_how,
    milestones_for_list,
)
from agreements.services import RowChanges
from extraction import extract as extract_agreement
from notifications import selectors as notification_selectors
from notifications import services as notification_services
from parks.access import can_edit_any_park
from parks.models import Person, Technopolis
from partners.services import staff_confirm
from releases.gazetteer import gazetteer_for
from residents import services as resident_services
from residents.access import can_create_company, can_edit_company, parks_for_companies, visible_know_how
from residents.filters import IntellectualPropertyFilter, ResidentCompanyFilter
from residents.models import IntellectualProperty, ResidentCompany
from residents.selectors import companies_for_list, ip_records_for_list, parks_with_figures

from . import serializers as api
from .filters import ApiAgreementFilter, ApiMilestoneFilter
from .schema import ErrorSerializer
from .serializers import full_clean


class PortalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reads for every signed-in user; subclasses that write say who may create and change."""

    lookup_value_regex = r"[0-9]{1,18}"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    filterset_needs_today = True

    def may_create(self, user) -> bool:
        return False

    def may_change(self, user, record) -> bool:
        return False

    def today(self):
        return timezone.localdate()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": self.today()}

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The list's filters (e.g. "archived: no" by default) never hide a record asked for by id.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def saved(self, serializer, record) -> None:
        """Answers with the stored record, read as the list reads it (annotations included)."""
        serializer.instance = self.get_queryset().get(pk=record.pk)

    @staticmethod
    def version_of(serializer) -> int:
        return serializer.validated_data.pop("version")


class WritableViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, PortalViewSet):
    pass


class ParkViewSet(PortalViewSet):
    """Technology parks, with figures counted from records. Everyone signed in sees every park."""

    serializer_class = api.ParkSerializer
    filterset_class = None

    def get_queryset(self):
        parks = Technopolis.objects.prefetch_related("sectors").order_by("name", "pk")
        return parks_with_figures(parks, today=self.today())


class CompanyViewSet(WritableViewSet):
    """Resident companies (a public registry); editors register and change those of their parks."""

    serializer_class = api.CompanySerializer
    filterset_class = ResidentCompanyFilter

    def get_queryset(self):
        return companies_for_list().order_by("name", "pk")

    def may_create(self, user) -> bool:
        return can_create_company(user)

    def may_change(self, user, record) -> bool:
        return can_edit_company(user, record)

    def _check_park(self, park: Technopolis) -> None:
        if not parks_for_companies(self.request.user).filter(pk=park.pk).exists():
            raise serializers.ValidationError({"technopolis": [_("You can only place companies in parks you edit.")]})

    def perform_create(self, serializer):
        data = serializer.validated_data
        data.pop("version", None)
        sectors = data.pop("sectors", [])
        self._check_park(data["technopolis"])
        company = full_clean(ResidentCompany(**data))
        self.saved(serializer, resident_services.company_create(company=company, sectors=sectors))

    def perform_update(self, serializer):
        version = self.version_of(serializer)
        company = serializer.instance
        sectors = serializer.validated_data.pop("sectors", None)
        sectors = list(company.sectors.all()) if sectors is None else sectors
        serializer.apply(company, serializer.validated_data)
        self._check_park(company.technopolis)
        full_clean(company)
        self.saved(serializer, resident_services.company_update(company=company, version=version, sectors=sectors))


class IntellectualPropertyViewSet(WritableViewSet):
    """The IP registry (public); editors record and change the IP of their parks' companies."""

    serializer_class = api.IntellectualPropertySerializer
    filterset_class = IntellectualPropertyFilter

    def get_queryset(self):
        records = ip_records_for_list(today=self.today())
        return records.order_by("kind", "registration_number", "pk")

    def may_create(self, user) -> bool:
        return can_edit_any_park(user)

    def may_change(self, user, record) -> bool:
        return can_edit_company(user, record.company)

    def _save(self, record: IntellectualProperty, version: int | None = None) -> IntellectualProperty:
        # IP is saved with its company (residents.services), whose own fields stay as stored.
        company = ResidentCompany.objects.get(pk=record.company_id)
        resident_services.company_update(
            company=company,
            version=company.version,
            sectors=list(company.sectors.all()),
            records=[record],
            record_versions={record: version} if version is not None else None,
        )
        return record

    def perform_create(self, serializer):
        data = serializer.validated_data
        data.pop("version", None)
        if not can_edit_company(self.request.user, data["company"]):
            raise serializers.ValidationError(
                {"company": [_("You can only record IP of companies in parks you edit.")]}
            )
        self.saved(serializer, self._save(full_clean(IntellectualProperty(**data))))

    def perform_update(self, serializer):
        version = self.version_of(serializer)
        record = serializer.apply(serializer.instance, serializer.validated_data)
        self.saved(serializer, self._save(full_clean(record), version))


class AgreementViewSet(WritableViewSet):
    """Agreements the client may see; editors of a party park change them. Archived ones: ?archived=yes."""

    serializer_class = api.AgreementSerializer
    filterset_class = ApiAgreementFilter
    filterset_needs_today = False

    def get_queryset(self):
        agreements = agreements_for_list(user=self.request.user, today=self.today())
        return agreements.prefetch_related("sectors", "scope", "parties__witnesses", "witnesses", *PARK_RECORD_FIELDS)

    def may_create(self, user) -> bool:
        return can_edit_any_park(user)

    def may_change(self, user, record) -> bool:
        return can_edit_agreement(user, record)

    def _relations(self, data: dict, agreement: Agreement) -> dict[str, list]:
        relations = {name: list(data.pop(name)) for name in RELATION_FIELDS if name in data}
        if "know_how" in relations:
            relations["know_how"] += hidden_know_how(agreement, user=self.request.user)
        return relations

    def perform_create(self, serializer):
        data = serializer.validated_data
        data.pop("version", None)
        relations = self._relations(data, Agreement())
        sent_parties = data.pop("parties")
        parties, party_witnesses = _party_changes(None, sent_parties)
        agreement = full_clean(Agreement(**data))
        check_parties(agreement.status, [row["technopolis"].pk for row in sent_parties])
        saved = agreement_services.agreement_create(
            agreement=agreement,
            relations=relations,
            parties=parties.saved,
            milestones=[],
            party_witnesses=party_witnesses,
            user=self.request.user,
        )
        self.saved(serializer, saved)

    def perform_update(self, serializer):
        version = self.version_of(serializer)
        data = serializer.validated_data
        relations = self._relations(data, serializer.instance)
        sent_parties = data.pop("parties", None)
        parties, party_witnesses = RowChanges(), {}
        if sent_parties is not None:
            parties, party_witnesses = _party_changes(serializer.instance, sent_parties)
        agreement = full_clean(serializer.apply(serializer.instance, data))
        if sent_parties is not None:
            check_parties(agreement.status, [row["technopolis"].pk for row in sent_parties])
        saved = agreement_services.agreement_update(
            agreement=agreement,
            version=version,
            relations=relations,
            parties=parties,
            milestones=RowChanges(),
            party_witnesses=party_witnesses,
            user=self.request.user,
        )
        self.saved(serializer, saved)

    @extend_schema(
        request={"application/json": api.ReleaseSerializer, "multipart/form-data": api.ReleaseSerializer},
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def extract(self, request):
        """Reads a press release and returns the proposed agreement (the JSON of `manage.py extract_agreement`):
        parties, kind, signed_on, event, city, signatories, witnesses, scope, milestones, facts, the source
        span of each fact and its matches in the portal. Nothing is saved: create the record with POST
        /agreements/."""
        if not self.may_create(request.user):
            raise PermissionDenied
        release = api.ReleaseSerializer(data=request.data)
        release.is_valid(raise_exception=True)
        proposal = extract_agreement(
            release.validated_data["release"], release.validated_data.get("language"), gazetteer_for(request.user)
        )
        if proposal.is_empty():
            raise serializers.ValidationError(
                {"text": [_("No agreement found in this text: it names no document signed between two organisations.")]}
            )
        return Response(proposal.to_dict())

    @extend_schema(request=api.StatusChangeSerializer, responses=api.AgreementSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Moves the agreement along its lifecycle (draft → negotiation → signed → active → …)."""
        agreement = self.get_object()
        change = api.StatusChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        agreement_services.agreement_change_status(
            agreement=agreement,
            new_status=change.validated_data["status"],
            expected_status=change.validated_data["expected_status"],
            user=request.user,
            override_reason=change.validated_data.get("override_reason", ""),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)

    @extend_schema(request=api.VersionSerializer, responses=api.AgreementSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archives the agreement: out of the lists (unless ?archived=yes), kept whole, restorable."""
        return self._archive_or_restore(request, agreement_services.agreement_archive)

    @extend_schema(request=api.VersionSerializer, responses=api.AgreementSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Brings an archived agreement back into the lists."""
        return self._archive_or_restore(request, agreement_services.agreement_restore)

    @extend_schema(
        methods=["get"],
        responses={
            200: api.SubscriptionSerializer(many=True),
            403: OpenApiResponse(ErrorSerializer, _("Only the staff of its parties see who follows an agreement.")),
        },
    )
    @extend_schema(methods=["post"], request=api.SubscriptionSerializer, responses={201: api.SubscriptionSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def subscriptions(self, request, pk=None):
        """Who follows the agreement by e-mail (its parties' staff only: these are contacts); its
        editors add a partner contact, or themselves (`myself`), with the delivery they choose."""
        agreement = self._agreement_with_contacts()
        if request.method == "GET":
            subscriptions = notification_selectors.agreement_subscriptions(agreement)
            context = {**self.get_serializer_context(), "agreement": agreement}
            return Response(api.SubscriptionSerializer(subscriptions, many=True, context=context).data)
        if not can_edit_agreement(request.user, agreement):
            raise PermissionDenied(_("You see this record but may not change it."))
        sent = api.SubscriptionSerializer(data=request.data, context=self.get_serializer_context())
        sent.is_valid(raise_exception=True)
        subscription = notification_services.subscription_create(
            agreement=agreement,
            delivery=sent.validated_data["delivery"],
            frequency=sent.validated_data["frequency"],
            language=sent.validated_data["language"],
            **sent.subscriber(request.user),
        )
        context = {**self.get_serializer_context(), "agreement": agreement}
        return Response(api.SubscriptionSerializer(subscription, context=context).data, status=201)

    @extend_schema(
        parameters=[OpenApiParameter("subscription_id", int, OpenApiParameter.PATH)],
        request=None,
        responses={204: None},
    )
    @action(detail=True, methods=["delete"], url_path=r"subscriptions/(?P<subscription_id>[0-9]{1,18})")
    def unfollow(self, request, pk=None, subscription_id=None):
        """Stops the subscription following this agreement; one left following nothing ends. A
        subscription that follows it through a park is changed in the admin."""
        agreement = self._agreement_with_contacts()
        if not can_edit_agreement(request.user, agreement):
            raise PermissionDenied(_("You see this record but may not change it."))
        following = notification_selectors.agreement_subscriptions(agreement)
        subscription = next((found for found in following if found.pk == int(subscription_id)), None)
        if subscription is None:
            raise NotFound()
        if agreement not in subscription.agreements.all():
            raise PermissionDenied(_("This subscription follows the agreement through a park: change it in the admin."))
        notification_services.subscription_remove_agreement(subscription=subscription, agreement=agreement)
        return Response(status=204)

    @extend_schema(
        responses={
            200: api.DeliverySerializer(many=True),
            403: OpenApiResponse(ErrorSerializer, _("Only the staff of its parties see an agreement's e-mails.")),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def deliveries(self, request, pk=None):
        """The delivery log: its reminders and the digests that listed it, newest first (the last 200)."""
        agreement = self._agreement_with_contacts()
        emails = notification_selectors.agreement_delivery_log(agreement)
        return Response(api.DeliverySerializer(emails, many=True).data)

    def _agreement_with_contacts(self) -> Agreement:
        agreement = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not can_see_contacts(self.request.user, agreement):
            raise PermissionDenied(_("Only the staff of its parties see who follows an agreement."))
        return agreement

    def _archive_or_restore(self, request, service):
        # Not through the list's filters, which leave archived agreements out unless asked for.
        agreement = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(request, agreement)
        seen = api.VersionSerializer(data=request.data)
        seen.is_valid(raise_exception=True)
        service(agreement=agreement, user=request.user, expected_version=seen.validated_data["version"])
        return Response(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)


def _party_changes(
    agreement: Agreement | None, rows: list[dict]
) -> tuple[RowChanges[AgreementParty], dict[int, list[Person]]]:
    """The parties as sent (the whole list) against those stored, matched by park: new and changed
    rows to save, left-out ones to delete, and who witnessed for each row saved."""
    stored = {}
    if agreement is not None:
        stored = {party.technopolis_id: party for party in agreement.parties.prefetch_related("witnesses")}
    saved, witnesses = [], {}
    for row in rows:
        park = row["technopolis"]
        party = stored.pop(park.pk, None)
        role, signatory = row.get("role", ""), row.get("signatory")
        sent_witnesses = list(row.get("witnesses", []))
        if party is not None:
            stored_witnesses = {person.pk for person in party.witnesses.all()}
            if (
                party.role == role
                and party.signatory_id == (signatory.pk if signatory else None)
                and stored_witnesses == {person.pk for person in sent_witnesses}
            ):
                continue
        party = party or AgreementParty(technopolis=park)
        party.role, party.signatory = role, signatory
        saved.append(party)
        witnesses[park.pk] = sent_witnesses
    return RowChanges(saved=saved, deleted=list(stored.values())), witnesses


class MilestoneViewSet(WritableViewSet):
    """Milestones of the agreements the client may see; editors of a party park change them."""

    serializer_class = api.MilestoneSerializer
    filterset_class = ApiMilestoneFilter

    def get_queryset(self):
        return milestones_for_list(user=self.request.user).order_by("due_on", "pk")

    def may_create(self, user) -> bool:
        return can_edit_any_park(user)

    def may_change(self, user, record) -> bool:
        return can_edit_agreement(user, record.agreement)

    def _save(self, milestone: Milestone, version: int | None = None) -> Milestone:
        # Milestones are saved with their agreement (agreements.services), whose fields stay as stored.
        agreement = Agreement.objects.get(pk=milestone.agreement_id)
        agreement_services.agreement_update(
            agreement=agreement,
            version=agreement.version,
            relations={},
            parties=RowChanges(),
            milestones=RowChanges(saved=[milestone]),
            milestone_versions={milestone.pk: version} if version is not None else None,
            user=self.request.user,
        )
        return milestone

    def perform_create(self, serializer):
        data = serializer.validated_data
        data.pop("version", None)
        if not can_edit_agreement(self.request.user, data["agreement"]):
            raise PermissionDenied(_("You can only add milestones to agreements of parks you edit."))
        self.saved(serializer, self._save(full_clean(Milestone(**data))))

    def perform_update(self, serializer):
        version = self.version_of(serializer)
        milestone = serializer.apply(serializer.instance, serializer.validated_data)
        self.saved(serializer, self._save(full_clean(milestone), version))

    @extend_schema(request=api.MilestoneDoneSerializer, responses=api.MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Marks an open milestone done, on the day given (today by default), with an optional note."""
        milestone = self.get_object()
        seen = api.MilestoneDoneSerializer(data=request.data)
        seen.is_valid(raise_exception=True)
        # Through the confirmation rules: a milestone needing every party's word waits for the others'.
        staff_confirm(
            milestone=milestone,
            today=self.today(),
            user=request.user,
            expected_version=seen.validated_data["version"],
            completed_on=seen.validated_data.get("completed_on"),
            note=seen.validated_data.get("note", ""),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=milestone.pk)).data)


class KnowHowViewSet(PortalViewSet):
    """Know-how of resident companies: only that of the reader's own parks (admins: all)."""

    serializer_class = api.KnowHowSerializer

    def get_queryset(self):
        return visible_know_how(self.request.user).order_by("title", "pk")


class DocumentViewSet(mixins.CreateModelMixin, PortalViewSet):
    """Documents of the agreements the reader may see (?agreement=<id> for one agreement's), every
    version kept; editors of a party park upload new ones, or new versions (`supersedes`)."""

    serializer_class = api.DocumentSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        documents = AgreementDocument.objects.filter(agreement__in=visible_agreements(self.request.user))
        agreement = self.request.query_params.get("agreement", "")
        if agreement.isdigit():
            documents = documents.filter(agreement_id=int(agreement))
        return documents.order_by("agreement_id", "-uploaded_at", "pk")

    def may_create(self, user) -> bool:
        return can_edit_any_park(user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        agreement = data["agreement"]
        if not visible_agreements(self.request.user).filter(pk=agreement.pk).exists():
            raise NotFound()
        if not can_edit_agreement(self.request.user, agreement):
            raise PermissionDenied(_("You see this record but may not change it."))
        document = agreement_services.document_create(
            agreement=agreement,
            kind=data.get("kind", AgreementDocument.Kind.OTHER),
            title=data["title"],
            file=data["file"],
            supersedes=data.get("supersedes"),
            user=self.request.user,
        )
        serializer.instance = document

    # The file's own type (application/pdf, image/png, …), as uploaded.
    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file as it was uploaded, under its original name."""
        document = self.get_object()
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise NotFound() from None
        return FileResponse(handle, as_attachment=True, filename=document.download_name)
