"""Admin for agreements with their parties, milestones and documents.

The rules live in the models and agreements.lifecycle; the admin only shows their messages on the
offending field or inline. Django's admin saves the agreement and its inlines in one transaction,
and only once the form and every inline are valid, so a refused post saves nothing. A new status
is saved by the lifecycle service (agreements.services.agreement_change_status), as in the portal.
"""

import datetime
from pathlib import Path

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from common.admin import MissingDataAdminMixin, MissingDataFilter
from common.admin_exchange import ImportExportAdminMixin
from common.bilingual import BilingualAdminMixin
from common.concurrency import VersionedInlineForm, VersionedModelForm, stored_version

from .completeness import AGREEMENT_RULES, MILESTONE_RULES
from .forms import AgreementPartyInlineFormSet
from .lifecycle import AgreementStatus, allowed_next_statuses, check_parties
from .models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    InnovationStage,
    Milestone,
    SigningEvent,
)
from .services import agreement_change_status

BILATERAL_PARTIES = 2


class _ProtectedDownload:
    """A stored document as the file widget shows it: linked through the portal's download view."""

    def __init__(self, document: AgreementDocument):
        self.url = reverse("agreements:document_download", args=[document.agreement_id, document.pk])
        self.name = document.original_filename or Path(document.file.name).name

    def __str__(self) -> str:
        return self.name


class DocumentFileWidget(AdminFileWidget):
    """Links the current file to the download view, which checks access; /media/ is never served."""

    def format_value(self, value):
        value = super().format_value(value)
        document = getattr(value, "instance", None)
        if self.is_initial(value) and isinstance(document, AgreementDocument) and document.pk:
            return _ProtectedDownload(document)
        return value


DOCUMENT_FILE_WIDGET = {models.FileField: {"widget": DocumentFileWidget}}


class DocumentAdminForm(ModelForm):
    """A stored document's file never changes: a new file is a new document (a new version)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in ("file", "supersedes"):
                if name in self.fields:
                    # Disabled: whatever is posted, the stored value stays.
                    self.fields[name].disabled = True


def next_version(record: Agreement | AgreementParty | Milestone) -> None:
    """The version after the stored one (also when reverting to an old version from the history)."""
    record.version = stored_version(record, lock=True) + 1


def record_upload(document: AgreementDocument, *, uploaded_name: str, user: AbstractBaseUser) -> None:
    """Keeps the name the file had on the uploader's machine (it is stored under a random one)."""
    max_length = AgreementDocument._meta.get_field("original_filename").max_length
    document.original_filename = Path(uploaded_name).name[:max_length]
    document.uploaded_by = user


@admin.register(SigningEvent)
class SigningEventAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ["name", "city", "held_on", "agreement_count"]
    search_fields = ["name_en", "name_ru", "city_en", "city_ru"]
    date_hierarchy = "held_on"

    def get_queryset(self, request: HttpRequest) -> QuerySet[SigningEvent]:
        return super().get_queryset(request).annotate(agreement_count=Count("agreements", distinct=True))

    @admin.display(description=_("agreements"), ordering="agreement_count")
    def agreement_count(self, event: SigningEvent) -> int:
        return event.agreement_count


@admin.register(InnovationStage)
class InnovationStageAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ["position", "name", "code"]
    list_display_links = ["name"]
    search_fields = ["name_en", "name_ru", "code"]
    prepopulated_fields = {"code": ["name"]}


class ArchivedFilter(admin.SimpleListFilter):
    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", _("no")), ("yes", _("yes"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.current()
        if self.value() == "yes":
            return queryset.archived()
        return queryset


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    form = VersionedInlineForm
    formset = AgreementPartyInlineFormSet
    fields = ["technopolis", "role", "signatory", "witnesses", "version"]
    autocomplete_fields = ["technopolis", "signatory", "witnesses"]
    extra = 0


class MilestoneInline(BilingualAdminMixin, admin.TabularInline):
    model = Milestone
    form = VersionedInlineForm
    fields = ["title", "due_on", "status", "completed_on", "responsible_technopolis", "responsible_person", "version"]
    autocomplete_fields = ["responsible_technopolis", "responsible_person"]
    extra = 0
    show_change_link = True


class AgreementDocumentInline(admin.TabularInline):
    model = AgreementDocument
    form = DocumentAdminForm
    fields = ["kind", "title", "file", "original_filename", "uploaded_at", "uploaded_by"]
    readonly_fields = ["original_filename", "uploaded_at", "uploaded_by"]
    formfield_overrides = DOCUMENT_FILE_WIDGET
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(ImportExportAdminMixin, BilingualAdminMixin, MissingDataAdminMixin, SimpleHistoryAdmin):
    # "From a press release" beside the import button: the portal's review page, where staff check each fact.
    change_list_template = "admin/agreements/agreement_change_list.html"
    exchange_kind = "agreements"
    missing_data_rules = AGREEMENT_RULES
    list_display = [
        "reference",
        "title",
        "kind",
        "status",
        "signed_on",
        "expires_on",
        "party_structure",
        "act_by",
        "missing_data",
    ]
    form = VersionedModelForm
    list_filter = [
        MissingDataFilter,
        ArchivedFilter,
        "status",
        "kind",
        "renewal",
        "is_public",
        "sectors",
        "is_synthetic",
    ]
    # Names and titles are kept in English and in Russian: either finds the record.
    search_fields = [
        "reference",
        "title_en",
        "title_ru",
        "subject_en",
        "subject_ru",
        "parties__technopolis__name_en",
        "parties__technopolis__name_ru",
        "parties__technopolis__short_name_en",
        "parties__technopolis__short_name_ru",
    ]
    date_hierarchy = "signed_on"
    autocomplete_fields = [
        "signing_event",
        "witnesses",
        "scope",
        "sectors",
        "facilities",
        "resident_companies",
        "ip_records",
        "know_how",
        "parent",
    ]
    readonly_fields = ["missing_data", "term_end", "act_by", "created_at", "updated_at", "archived_at", "archived_by"]
    fieldsets = [
        (
            None,
            {"fields": ["reference", "title", "kind", "status", "is_public", "subject", "missing_data", "version"]},
        ),
        (_("Signing"), {"fields": ["signed_on", "signing_event", "witnesses"]}),
        (
            _("Term"),
            {
                "fields": [
                    ("effective_from", "expires_on"),
                    ("renewal", "renewal_months", "notice_period_days"),
                    ("date_reminder_days", "milestone_confirmation"),
                    ("term_end", "act_by"),
                ]
            },
        ),
        (
            _("What it covers"),
            {"fields": ["scope", "sectors", "facilities", "resident_companies", "ip_records", "know_how"]},
        ),
        (_("Amends or supplements"), {"fields": [("parent", "parent_relation")]}),
        (
            _("Record"),
            {
                "fields": ["is_synthetic", ("created_at", "updated_at"), ("archived_at", "archived_by")],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [AgreementPartyInline, MilestoneInline, AgreementDocumentInline]
    save_on_top = True

    def has_delete_permission(self, request: HttpRequest, obj: Agreement | None = None) -> bool:
        # Staff archive agreements in the portal; only superusers may delete, and the PROTECT
        # foreign keys still refuse an agreement with milestones or documents.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Agreement, form: VersionedModelForm, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)  # a new agreement may start in any status
            return
        if form.saves_nothing():
            # Saved after all (in save_related) when a party or milestone row changes, as in the portal.
            obj._saves_nothing = True
            return
        next_version(obj)
        changes_status = self._hold_new_status(obj)
        reverting = getattr(request, "saves_agreement_alone", False)
        # When only the status changes, the service's save is the one change in the history, as in the portal.
        if reverting or not (changes_status and set(form.changed_data) - {"version"} == {"status"}):
            super().save_model(request, obj, form, change)
        if reverting:
            self._change_status(request, obj)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        agreement = form.instance
        if getattr(agreement, "_saves_nothing", False):
            del agreement._saves_nothing
            if any(formset.has_changed() for formset in formsets if formset.model in (Milestone, AgreementParty)):
                next_version(agreement)
                super().save_model(request, agreement, form, change)
        self._change_status(request, agreement)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        # Reverting saves the agreement alone (no inlines, no save_related), so save_model changes the
        # status right away; the version check, the save and the status change share one transaction.
        request.saves_agreement_alone = True
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    @staticmethod
    def _hold_new_status(agreement: Agreement) -> bool:
        """Puts the stored status back on the agreement and keeps the chosen one aside; False when they agree.

        The form has checked the transition (Agreement.clean). The lifecycle service makes it, with the
        portal's history and log event, after the parties posted with it are saved: they may be what
        allows the new status.
        """
        stored = Agreement.objects.values_list("status", flat=True).get(pk=agreement.pk)
        if agreement.status == stored:
            return False
        agreement.status, agreement._new_status = stored, agreement.status
        return True

    @staticmethod
    def _change_status(request: HttpRequest, agreement: Agreement) -> None:
        new_status = getattr(agreement, "_new_status", None)
        if new_status is None:
            return
        del agreement._new_status
        try:
            changed = agreement_change_status(
                agreement=agreement, new_status=new_status, expected_status=agreement.status, user=request.user
            )
        except ValidationError as error:
            # What the new status implies is missing (or it is too early): the rest of the form is saved.
            messages.error(request, _("The status was not changed: %(reason)s") % {"reason": " ".join(error.messages)})
            return
        agreement.status, agreement.version = changed.status, changed.version

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agreement]:
        # distinct: searching by park and filtering by sector join rows that would otherwise be counted too.
        return super().get_queryset(request).annotate(party_count=Count("parties", distinct=True))

    def get_form(self, request: HttpRequest, obj: Agreement | None = None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "status" in form.base_fields:
            allowed = ", ".join(str(AgreementStatus(s).label) for s in sorted(allowed_next_statuses(obj.status)))
            form.base_fields["status"].help_text = _("From %(current)s it can go to: %(allowed)s.") % {
                "current": obj.get_status_display(),
                "allowed": allowed or _("nowhere, it is final"),
            }
        return form

    def save_formset(self, request: HttpRequest, form: ModelForm, formset, change: bool) -> None:
        if formset.model in (Milestone, AgreementParty):
            for row in formset.initial_forms:
                if row.has_changed() and row not in formset.deleted_forms:
                    next_version(row.instance)
        if formset.model is AgreementDocument:
            for document_form in formset.forms:
                uploaded = document_form.cleaned_data.get("file")
                if "file" in document_form.changed_data and uploaded:
                    record_upload(document_form.instance, uploaded_name=uploaded.name, user=request.user)
        super().save_formset(request, form, formset, change)

    @admin.display(description=_("parties"), ordering="party_count")
    def party_structure(self, agreement: Agreement) -> str:
        count = agreement.party_count
        if count == BILATERAL_PARTIES:
            return _("bilateral")
        if count > BILATERAL_PARTIES:
            return _("multilateral (%(count)d)") % {"count": count}
        return ngettext("%(count)d party", "%(count)d parties", count) % {"count": count}

    @admin.display(description=_("current term ends"))
    def term_end(self, agreement: Agreement) -> datetime.date | None:
        return agreement.term_end_on(timezone.localdate())

    @admin.display(description=_("act by"))
    def act_by(self, agreement: Agreement) -> datetime.date | None:
        return agreement.act_by_on(timezone.localdate())


@admin.register(AgreementParty)
class AgreementPartyAdmin(SimpleHistoryAdmin):
    """Parties listed and edited one by one; best added and removed on their agreement's page.

    An existing party keeps its agreement and park here, and removing one is refused when the
    agreement would be left with too few parties for its status.
    """

    list_display = ["technopolis", "agreement", "role", "signatory"]
    list_select_related = ["technopolis", "agreement", "signatory"]
    search_fields = [
        "agreement__reference",
        "agreement__title_en",
        "agreement__title_ru",
        "technopolis__name_en",
        "technopolis__name_ru",
        "technopolis__short_name_en",
        "technopolis__short_name_ru",
        "role",
        "signatory__full_name_en",
        "signatory__full_name_ru",
    ]
    autocomplete_fields = ["agreement", "technopolis", "signatory", "witnesses"]
    form = VersionedModelForm

    def save_model(self, request: HttpRequest, obj: AgreementParty, form: VersionedModelForm, change: bool) -> None:
        if change and form.saves_nothing():
            return
        if change:
            next_version(obj)
        super().save_model(request, obj, form, change)

    def get_readonly_fields(self, request: HttpRequest, obj: AgreementParty | None = None):
        return ["agreement", "technopolis"] if obj is not None else []

    def get_actions(self, request: HttpRequest):
        # Deleting in bulk would skip the per-agreement check of delete_view.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        party = self.get_object(request, unquote(object_id))
        if party is not None:
            remaining = party.agreement.parties.exclude(pk=party.pk).values_list("technopolis_id", flat=True)
            try:
                check_parties(party.agreement.status, remaining)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect(reverse("admin:agreements_agreementparty_change", args=[party.pk]))
        return super().delete_view(request, object_id, extra_context)


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue(timezone.localdate())
        return queryset


@admin.register(Milestone)
class MilestoneAdmin(ImportExportAdminMixin, BilingualAdminMixin, MissingDataAdminMixin, SimpleHistoryAdmin):
    exchange_kind = "milestones"
    missing_data_rules = MILESTONE_RULES
    list_display = [
        "title",
        "agreement",
        "due_on",
        "status",
        "completed_on",
        "responsible_technopolis",
        "responsible_person",
        "missing_data",
    ]
    list_filter = [MissingDataFilter, OverdueFilter, "status"]
    list_select_related = ["agreement", "responsible_technopolis", "responsible_person"]
    search_fields = ["title_en", "title_ru", "agreement__reference", "agreement__title_en", "agreement__title_ru"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["agreement", "responsible_technopolis", "responsible_person"]
    readonly_fields = ["missing_data"]
    form = VersionedModelForm
    fields = [
        "agreement",
        "title",
        "description",
        ("due_on", "status", "completed_on"),
        ("responsible_technopolis", "responsible_person"),
        "confirmation",
        "missing_data",
        "version",
    ]

    def save_model(self, request: HttpRequest, obj: Milestone, form: VersionedModelForm, change: bool) -> None:
        if change and form.saves_nothing():
            return
        if change:
            next_version(obj)
        super().save_model(request, obj, form, change)


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "agreement", "original_filename", "uploaded_at", "uploaded_by"]
    list_filter = ["kind"]
    list_select_related = ["agreement", "uploaded_by"]
    search_fields = ["title", "original_filename", "agreement__reference", "agreement__title_en", "agreement__title_ru"]
    date_hierarchy = "uploaded_at"
    autocomplete_fields = ["agreement", "supersedes"]
    form = DocumentAdminForm
    fields = ["agreement", "kind", "title", "file", "supersedes", "original_filename", "uploaded_at", "uploaded_by"]
    readonly_fields = ["original_filename", "uploaded_at", "uploaded_by"]
    formfield_overrides = DOCUMENT_FILE_WIDGET

    def save_model(self, request: HttpRequest, obj: AgreementDocument, form: ModelForm, change: bool) -> None:
        uploaded = form.cleaned_data.get("file")
        if "file" in form.changed_data and uploaded:
            record_upload(obj, uploaded_name=uploaded.name, user=request.user)
        super().save_model(request, obj, form, change)
