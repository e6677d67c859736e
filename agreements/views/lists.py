"""The agreement and milestone lists, with their CSV exports (the same filters, the same rows)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exports import csv_response
from parks.access import can_edit_any_park

from ..filters import AgreementFilter, MilestoneFilter
from ..selectors import MilestoneRow, agreements_for_export, agreements_for_list, milestones_for_list

PAGE_SIZE = 25
# Rows fetched per query when streaming an export (prefetches run per chunk).
EXPORT_CHUNK = 500


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _iso(date) -> str:
    return date.isoformat() if date else ""


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filterset = AgreementFilter(
        request.GET, queryset=agreements_for_list(user=request.user, today=today), request=request
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "can_create": can_edit_any_park(request.user),
            "sort": request.GET.get("sort", ""),
            "crumbs": [(_("Agreements"), None)],
        },
    )


@login_required
def agreement_export(request: HttpRequest) -> HttpResponse:
    filterset = AgreementFilter(request.GET, queryset=agreements_for_export(user=request.user), request=request)
    header = [
        _("Reference"),
        _("Title"),
        _("Kind"),
        _("Status"),
        _("Parties"),
        _("Signed on"),
        _("Signing event"),
        _("Effective from"),
        _("Expires on"),
        _("Public"),
        _("Cooperation areas"),
    ]
    rows = (
        [
            agreement.reference,
            agreement.title,
            agreement.get_kind_display(),
            agreement.get_status_display(),
            "; ".join(str(party.technopolis) for party in agreement.parties.all()),
            _iso(agreement.signed_on),
            agreement.signing_event or "",
            _iso(agreement.effective_from),
            _iso(agreement.expires_on),
            _yes_no(agreement.is_public),
            "; ".join(str(sector) for sector in agreement.sectors.all()),
        ]
        for agreement in filterset.qs.iterator(chunk_size=EXPORT_CHUNK)
    )
    return csv_response("agreements.csv", header, rows)


def _milestone_filter(request: HttpRequest) -> MilestoneFilter:
    return MilestoneFilter(
        request.GET,
        queryset=milestones_for_list(user=request.user).order_by("due_on", "pk"),
        request=request,
        today=timezone.localdate(),
    )


@login_required
def milestone_list(request: HttpRequest) -> HttpResponse:
    filterset = _milestone_filter(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [MilestoneRow(milestone, milestone.is_overdue(filterset.today)) for milestone in page.object_list]
    return render(
        request,
        "agreements/milestone_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": rows,
            "sort": request.GET.get("sort", ""),
            "crumbs": [(_("Agreements"), reverse("agreements:list")), (_("Milestones"), None)],
        },
    )


@login_required
def milestone_export(request: HttpRequest) -> HttpResponse:
    filterset = _milestone_filter(request)
    header = [
        _("Agreement"),
        _("Agreement title"),
        _("Milestone"),
        _("Due on"),
        _("Status"),
        _("Overdue"),
        _("Completed on"),
        _("Responsible park"),
        _("Responsible person"),
    ]
    rows = (
        [
            milestone.agreement.reference,
            milestone.agreement.title,
            milestone.title,
            _iso(milestone.due_on),
            milestone.get_status_display(),
            _yes_no(milestone.is_overdue(filterset.today)),
            _iso(milestone.completed_on),
            milestone.responsible_technopolis or "",
            milestone.responsible_person or "",
        ]
        for milestone in filterset.qs.iterator(chunk_size=EXPORT_CHUNK)
    )
    return csv_response("milestones.csv", header, rows)
