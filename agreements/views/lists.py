"""The agreement and milestone lists (their exports are exchange's, with the same filters and sort)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.page_cache import kept_page
from parks.access import can_edit_any_park

from ..filters import AgreementFilter, MilestoneFilter
from ..selectors import MilestoneRow, agreements_for_list_page, milestones_for_list, with_parties

PAGE_SIZE = 25


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    def context() -> dict:
        today = timezone.localdate()
        filterset = AgreementFilter(
            request.GET, queryset=agreements_for_list_page(user=request.user, today=today), request=request
        )
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = with_parties(page.object_list)
        return {
            "filter": filterset,
            "page_obj": page,
            "can_create": can_edit_any_park(request.user),
        }

    kept = kept_page(request, page="agreement-list", template="agreements/_agreement_list_body.html", context=context)
    return render(request, "agreements/agreement_list.html", {"kept": kept, "crumbs": [(_("Agreements"), None)]})


def _milestone_filter(request: HttpRequest) -> MilestoneFilter:
    return MilestoneFilter(
        request.GET,
        queryset=milestones_for_list(user=request.user).order_by("due_on", "pk"),
        request=request,
        today=timezone.localdate(),
    )


@login_required
def milestone_list(request: HttpRequest) -> HttpResponse:
    def context() -> dict:
        filterset = _milestone_filter(request)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [MilestoneRow(milestone, milestone.is_overdue(filterset.today)) for milestone in page.object_list]
        return {"filter": filterset, "page_obj": page, "rows": rows}

    kept = kept_page(request, page="milestone-list", template="agreements/_milestone_list_body.html", context=context)
    return render(
        request,
        "agreements/milestone_list.html",
        {"kept": kept, "crumbs": [(_("Agreements"), reverse("agreements:list")), (_("Milestones"), None)]},
    )
