"""The IP registry: patents, trademarks and registrations of every park's companies (no know-how)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.page_cache import kept_page

from ..access import can_edit_company
from ..filters import IntellectualPropertyFilter
from ..history import ip_record_history
from ..models import IntellectualProperty
from ..selectors import EXPIRING_SOON_DAYS, ip_records_for_list

PAGE_SIZE = 25


@login_required
def ip_list(request: HttpRequest) -> HttpResponse:
    def context() -> dict:
        today = timezone.localdate()
        filterset = IntellectualPropertyFilter(
            request.GET,
            queryset=ip_records_for_list(
                IntellectualProperty.objects.order_by("kind", "registration_number", "pk"), today=today
            ),
            today=today,
            request=request,
        )
        return {
            "filter": filterset,
            "page_obj": Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "today": today,
            "expiring_days": EXPIRING_SOON_DAYS,
        }

    kept = kept_page(request, page="ip-list", template="residents/_ip_list_body.html", context=context)
    return render(request, "residents/ip_list.html", {"kept": kept, "crumbs": [(_("IP registry"), None)]})


@login_required
def ip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(ip_records_for_list(today=timezone.localdate()), pk=pk)
    return render(
        request,
        "residents/ip_detail.html",
        {
            "record": record,
            "company": record.company,
            "can_edit": can_edit_company(request.user, record.company),
            "expiring_days": EXPIRING_SOON_DAYS,
            "history": ip_record_history(record),
            "crumbs": [(_("IP registry"), reverse("ip:list")), (str(record), None)],
        },
    )
