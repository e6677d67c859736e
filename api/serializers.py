"""What the API shows and accepts; each save goes through the owning app's service.

Serializers check the shape of the input (types, choices, references that exist); the models'
`full_clean()` and the services check the rules, whose messages reach the client as 400 with the
field named (api.exceptions). Updates carry the `version` the client read: the services refuse a
save over a newer one (409).
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agreements.access import visible_agreements
from agreements.lifecycle import OVERRIDE_REASON_MAX_LENGTH
from agreements.models import Agreement, AgreementDocument, AgreementParty, InnovationStage, Milestone
from agreements.people_pickers import check_person_of_park
from agreements.selectors import PARK_RECORD_FIELDS, concerned_record_choices
from notifications.models import OutgoingEmail, Subscription
from parks.models import Facility, Person, Sector, Technopolis
from residents.access import visible_know_how
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
    signatory = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Who signed for this park: one of its people; null while the sources do not say."),
    )
    witnesses = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Person.objects.all(),
        required=False,
        help_text=_("People who witnessed the signing for this party."),
    )

    class Meta:
        model = AgreementParty
        fields = ["technopolis", "technopolis_name", "role", "signatory", "witnesses"]
        # The list's own rule (a park once) is checked with the whole list, naming the park.
        validators = []

    def validate(self, attrs):
        park = attrs["technopolis"]
        try:
            check_person_of_park(attrs.get("signatory"), park.pk, field_label=_("signatory"))
        except DjangoValidationError as error:
            raise serializers.ValidationError({"signatory": error.messages}) from None
        return attrs


def _records_field(model: type[models.Model], help_text) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        many=True, queryset=model.objects.all(), required=False, help_text=help_text
    )


class AgreementSerializer(VersionedSerializer):
    sectors = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Sector.objects.all(), required=False, help_text=_("Sector slugs.")
    )
    scope = serializers.PrimaryKeyRelatedField(many=True, queryset=InnovationStage.objects.all(), required=False)
    parties = PartySerializer(
        many=True,
        required=False,
        help_text=_(
            "The whole list of parties: on an update, parks left out stop being parties and each row is "
            "saved as sent (a left-out signatory or witness list means none)."
        ),
    )
    witnesses = _records_field(Person, _("People who witnessed the signing for no party in particular."))
    facilities = _records_field(Facility, _("Facilities of the parties' parks that deliver it."))
    resident_companies = _records_field(ResidentCompany, _("Resident companies of the parties' parks it concerns."))
    ip_records = _records_field(IntellectualProperty, _("IP records of the parties' parks' companies it concerns."))
    know_how = _records_field(
        KnowHow,
        _("Know-how it concerns: only what you may see is listed, and what you may not see stays linked."),
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
            "milestone_confirmation",
            "scope",
            "sectors",
            "parties",
            "witnesses",
            "facilities",
            "resident_companies",
            "ip_records",
            "know_how",
            "archived",
            "next_milestone_on",
            "overdue_milestones",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Know-how the client may not see cannot be named (it does not exist for them).
        self.fields["know_how"].child_relation.queryset = visible_know_how(self._user())

    def _user(self):
        request = self.context.get("request")
        return request.user if request else AnonymousUser()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if "visible_know_how" not in self.context:
            self.context["visible_know_how"] = set(visible_know_how(self._user()).values_list("pk", flat=True))
        data["know_how"] = [pk for pk in data["know_how"] if pk in self.context["visible_know_how"]]
        return data

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            if "status" in attrs and attrs["status"] != self.instance.status:
                raise serializers.ValidationError(
                    {"status": [_("Change the status with POST to the agreement's status/ address.")]}
                )
        elif not attrs.get("parties"):
            raise serializers.ValidationError({"parties": [_("Name at least one party, a park you edit.")]})
        parks = [party["technopolis"] for party in attrs.get("parties", [])]
        twice = [park for index, park in enumerate(parks) if park in parks[:index]]
        if twice:
            raise serializers.ValidationError(
                {"parties": [_("%(park)s is named twice: a park is a party once.") % {"park": twice[0]}]}
            )
        self._check_concerned_records(attrs)
        return attrs

    def _check_concerned_records(self, attrs) -> None:
        """Facilities, companies, IP and know-how only of the parties' parks (as sent, else as stored)."""
        if not any(name in attrs for name in PARK_RECORD_FIELDS):
            return
        if "parties" in attrs:
            park_ids = [party["technopolis"].pk for party in attrs["parties"]]
        else:
            park_ids = list(self.instance.parties.values_list("technopolis_id", flat=True))
        agreement = self.instance or Agreement()
        choices = concerned_record_choices(agreement, user=self._user(), park_ids=park_ids)
        errors = {}
        for name in PARK_RECORD_FIELDS:
            chosen = attrs.get(name, [])
            allowed = set(choices[name].filter(pk__in=[record.pk for record in chosen]).values_list("pk", flat=True))
            outside = [str(record.pk) for record in chosen if record.pk not in allowed]
            if outside:
                errors[name] = [_("%(ids)s: not a record of one of the parties' parks.") % {"ids": ", ".join(outside)}]
        if errors:
            raise serializers.ValidationError(errors)


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
            "confirmation",
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


# --- subscriptions -------------------------------------------------------------------------------


class SubscriptionSerializer(serializers.ModelSerializer):
    """A subscription as seen from one agreement (context["agreement"])."""

    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.exclude(email=""),
        required=False,
        allow_null=True,
        help_text=_("A partner contact (a person with an e-mail address); leave out with `myself`."),
    )
    myself = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text=_("Subscribe yourself instead of a contact.")
    )
    recipient_name = serializers.CharField(read_only=True)
    recipient_address = serializers.EmailField(read_only=True)
    through_park = serializers.SerializerMethodField(
        help_text=_("True when it follows the agreement through one of its parks, not by name.")
    )
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "person",
            "user",
            "myself",
            "recipient_name",
            "recipient_address",
            "delivery",
            "frequency",
            "language",
            "through_park",
            "active",
            "created_at",
        ]
        read_only_fields = ["user", "created_at"]
        extra_kwargs = {
            "delivery": {"required": False},
            "frequency": {"required": False},
            "language": {"required": False},
        }

    def get_through_park(self, subscription: Subscription) -> bool:
        agreement = self.context.get("agreement")
        return agreement is not None and agreement not in subscription.agreements.all()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if bool(attrs.get("person")) == bool(attrs.get("myself")):
            raise serializers.ValidationError(
                {"person": [_("Name a partner contact, or send myself: true (not both).")]}
            )
        if attrs.get("myself") and not self.context["request"].user.email:
            raise serializers.ValidationError(
                {"myself": [_("Your account has no e-mail address; add one in your profile first.")]}
            )
        attrs.setdefault("delivery", Subscription.Delivery.DIGEST)
        attrs.setdefault("frequency", Subscription.Frequency.WEEKLY)
        attrs.setdefault("language", settings.LANGUAGE_CODE)
        return attrs

    def subscriber(self, user) -> dict:
        """The `person` or `user` argument of notifications.services.subscription_create."""
        return {"user": user} if self.validated_data.get("myself") else {"person": self.validated_data["person"]}


class DeliverySerializer(serializers.ModelSerializer):
    """An e-mail of the agreement's delivery log (without its body)."""

    class Meta:
        model = OutgoingEmail
        fields = [
            "id",
            "kind",
            "status",
            "recipient_name",
            "recipient_address",
            "language",
            "subject",
            "milestone",
            "planned_for",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


class ReleaseSerializer(serializers.Serializer):
    """A press release to read: its text, or a file (multipart), in English or Russian."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=100_000)
    file = serializers.FileField(required=False, help_text=_("A .txt, .docx, .pdf or .html file, at most 2 MB."))
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, help_text=_("Detected when left out.")
    )

    def validate(self, attrs):
        from releases.reading import release_text

        if attrs.get("file") is not None and (attrs.get("text") or "").strip():
            raise serializers.ValidationError({"text": [_("Send the text or a file, not both.")]})
        field = "file" if attrs.get("file") is not None else "text"
        try:
            attrs["release"], attrs["filename"] = release_text(text=attrs.get("text", ""), upload=attrs.get("file"))
        except DjangoValidationError as error:
            raise serializers.ValidationError({field: error.messages}) from None
        return attrs
