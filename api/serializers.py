"""What the API shows and accepts; each save goes through the owning app's service.

Serializers check the shape of the input (types, choices, references that exist); the models'
`full_clean()` and the services check the rules, whose messages reach the client as 400 with the
field named (api.exceptions). Updates carry the `version` the client read: the services refuse a
save over a newer one (409).
"""

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agreements.access import visible_agreements
from agreements.lifecycle import OVERRIDE_REASON_MAX_LENGTH
from agreements.models import Agreement, AgreementDocument, AgreementParty, InnovationStage, Milestone
from parks.models import Sector, Technopolis
from residents.models import IntellectualProperty, KnowHow, ResidentCompany

VERSION_HELP = _("The version you read. Required to update: a save over a newer version is refused (409).")


def full_clean(record: models.Model, *, exclude: list[str] | None = None) -> models.Model:
    """The model's own checks (clean(), validators, constraints); errors become 400 with field names."""
    record.full_clean(exclude=exclude)
    return record


class BlankAsNullURLField(serializers.URLField):
    """A web address that may be unknown: null in the API (an empty string is not a URL), empty in the database."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, allow_blank=True, **kwargs)

    def to_representation(self, value):
        return value or None

    def to_internal_value(self, data):
        return "" if data in (None, "") else super().to_internal_value(data)

    def validate_empty_values(self, data):
        if data is None:
            return (True, "")
        return super().validate_empty_values(data)


class VersionedSerializer(serializers.ModelSerializer):
    """Reads `version`; an update without it is refused, since it could overwrite unseen changes."""

    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": [_("Send the version you read to update this record.")]})
        return attrs

    def apply(self, record: models.Model, attrs: dict) -> models.Model:
        """Sets the plain fields of `attrs` on `record` (many-to-many relations and version aside)."""
        for name, value in attrs.items():
            setattr(record, name, value)
        return record


# --- parks ----------------------------------------------------------------------------------


class FiguresSerializer(serializers.Serializer):
    resident_companies = serializers.IntegerField(source="figure_resident_companies")
    products = serializers.IntegerField(source="figure_products")
    patents_and_trademarks = serializers.IntegerField(source="figure_patents_and_trademarks")
    know_how = serializers.IntegerField(source="figure_know_how")


class ParkSerializer(serializers.ModelSerializer):
    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    # Blank when the sources do not say: "" is one of the values the schema declares.
    ownership = serializers.ChoiceField(choices=Technopolis.Ownership.choices, allow_blank=True, read_only=True)
    website = BlankAsNullURLField(read_only=True)
    figures = FiguresSerializer(source="*", read_only=True, help_text=_("Counted from the portal's records today."))

    class Meta:
        model = Technopolis
        fields = [
            "id",
            "name",
            "short_name",
            "slug",
            "region",
            "city",
            "founded_year",
            "ownership",
            "receives_government_funding",
            "management_company",
            "cluster_focus",
            "sectors",
            "website",
            "description",
            "figures",
        ]
        read_only_fields = fields


# --- resident companies and their IP -----------------------------------------------------------


class CompanySerializer(VersionedSerializer):
    sectors = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Sector.objects.all(), required=False, help_text=_("Sector slugs.")
    )
    product_count = serializers.IntegerField(read_only=True)
    ip_count = serializers.IntegerField(read_only=True)
    website = BlankAsNullURLField(required=False, max_length=200)

    class Meta:
        model = ResidentCompany
        fields = [
            "id",
            "technopolis",
            "name",
            "legal_form",
            "inn",
            "sectors",
            "residency_start",
            "residency_end",
            "website",
            "staff_count",
            "product_count",
            "ip_count",
            "version",
        ]


class IntellectualPropertySerializer(VersionedSerializer):
    company_name = serializers.CharField(source="company.name", read_only=True)
    technopolis = serializers.IntegerField(source="company.technopolis_id", read_only=True)
    expires_soon = serializers.BooleanField(read_only=True)

    class Meta:
        model = IntellectualProperty
        fields = [
            "id",
            "company",
            "company_name",
            "technopolis",
            "kind",
            "registration_number",
            "title",
            "filed_on",
            "registered_on",
            "expires_on",
            "status",
            "expires_soon",
            "version",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, IntellectualProperty):
            # A record stays with its company.
            self.fields["company"].read_only = True


# --- agreements -----------------------------------------------------------------------------


class PartySerializer(serializers.ModelSerializer):
    technopolis_name = serializers.CharField(source="technopolis.name", read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["technopolis", "technopolis_name", "role", "signatory"]


class AgreementSerializer(VersionedSerializer):
    sectors = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Sector.objects.all(), required=False, help_text=_("Sector slugs.")
    )
    scope = serializers.PrimaryKeyRelatedField(many=True, queryset=InnovationStage.objects.all(), required=False)
    parties = PartySerializer(
        many=True,
        required=False,
        help_text=_("Set when the agreement is created; changed later in the portal."),
    )
    archived = serializers.BooleanField(source="is_archived", read_only=True)
    next_milestone_on = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("The next open milestone's due date; null when none is open.")
    )
    overdue_milestones = serializers.IntegerField(read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "reference",
            "title",
            "kind",
            "status",
            "is_public",
            "subject",
            "signed_on",
            "signing_event",
            "effective_from",
            "expires_on",
            "renewal",
            "renewal_months",
            "notice_period_days",
            "scope",
            "sectors",
            "parties",
            "archived",
            "next_milestone_on",
            "overdue_milestones",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            if "status" in attrs and attrs["status"] != self.instance.status:
                raise serializers.ValidationError(
                    {"status": [_("Change the status with POST to the agreement's status/ address.")]}
                )
            if "parties" in attrs:
                raise serializers.ValidationError({"parties": [_("Parties are changed in the portal.")]})
        elif not attrs.get("parties"):
            raise serializers.ValidationError({"parties": [_("Name at least one party, a park you edit.")]})
        return attrs


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Agreement.Status.choices)
    expected_status = serializers.ChoiceField(
        choices=Agreement.Status.choices,
        help_text=_("The status you read: when it changed meanwhile, nothing is changed (409)."),
    )
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=OVERRIDE_REASON_MAX_LENGTH,
        help_text=_(
            "For a manager of one of its parks (or an admin) moving it on although the new status's data is "
            "missing (a signing date, signatories, the date it takes effect): why. Kept in its history."
        ),
    )


class MilestoneSerializer(VersionedSerializer):
    agreement_reference = serializers.CharField(source="agreement.reference", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "agreement",
            "agreement_reference",
            "title",
            "description",
            "due_on",
            "responsible_technopolis",
            "responsible_person",
            "status",
            "completed_on",
            "reminder_days",
            "is_overdue",
            "version",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        # Only agreements the client may see can be named (others do not exist for them).
        self.fields["agreement"].queryset = visible_agreements(request.user if request else AnonymousUser())
        if isinstance(self.instance, Milestone):
            # A milestone stays with its agreement.
            self.fields["agreement"].read_only = True

    def get_is_overdue(self, milestone: Milestone) -> bool:
        return milestone.is_overdue(self.context["today"])


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class MilestoneDoneSerializer(VersionSerializer):
    completed_on = serializers.DateField(
        required=False, help_text=_("The day it was done: today when left out, never a future day.")
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("How it was done, for the history.")
    )


# --- know-how and documents ---------------------------------------------------------------------


class KnowHowSerializer(serializers.ModelSerializer):
    class Meta:
        model = KnowHow
        fields = ["id", "company", "title", "description", "recorded_on", "confidentiality"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    file = serializers.FileField(write_only=True, help_text=_("PDF, Word, OpenDocument, Excel, RTF, PNG or JPEG."))
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AgreementDocument
        fields = [
            "id",
            "agreement",
            "kind",
            "title",
            "file",
            "supersedes",
            "original_filename",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = ["original_filename", "uploaded_at", "download_url"]

    def get_download_url(self, document: AgreementDocument) -> str:
        return f"/api/v1/documents/{document.pk}/download/"
