"""The dashboard: what needs attention among the agreements of the signed-in person's parks."""

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from common.page_cache import kept_page
from parks.access import can_edit_any_park
from partners.selectors import waiting_counts

from .. import charts, selectors


def _list_url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def _see_all_links(today: datetime.date) -> dict[str, str]:
    """The full lists behind each bounded section, with the filters those lists offer."""
    return {
        "overdue": _list_url("agreements:milestones", overdue="yes", sort="due_on"),
        "due_soon": _list_url(
            "agreements:milestones",
            overdue="no",
            due_from=today.isoformat(),
            due_to=(today + datetime.timedelta(days=selectors.DUE_SOON_DAYS)).isoformat(),
            sort="due_on",
        ),
        "expiring": _list_url("agreements:list", status="active", sort="expires_on"),
    }


@login_required
def dashboard(request):
    today = timezone.localdate()
    user = request.user

    def context() -> dict:
        months = selectors.milestones_per_month(user=user, today=today)
        return {
            "today": today,
            "scope": selectors.my_scope(user),
            "overdue": selectors.overdue_milestones(user=user, today=today),
            "due_soon": selectors.milestones_due_soon(user=user, today=today),
            "expiring": selectors.agreements_expiring(user=user, today=today),
            "status_counts": selectors.agreement_status_counts(user=user),
            "chart": charts.milestone_month_chart(months, today=today),
            "due_soon_days": selectors.DUE_SOON_DAYS,
            "expiring_days": selectors.EXPIRING_DAYS,
            "see_all": _see_all_links(today),
            # What partner contacts said and nobody dealt with yet, for those who edit agreements (every
            # answer, decision and reading of a comment writes history: the kept page follows).
            "waiting": waiting_counts(user) if can_edit_any_park(user) else None,
        }

    kept = kept_page(request, page="dashboard", template="portal/_dashboard_body.html", context=context)
    return render(request, "portal/dashboard.html", {"kept": kept})
