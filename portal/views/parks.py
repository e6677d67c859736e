"""The park pages: a park's profile with its residents, figures and agreements.

They live in the portal because they combine parks, residents and agreements, and `parks` must
not import the apps built on it.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.access import can_see_park_contacts, visible_agreements
from agreements.models import Agreement, AgreementParty
from common.completeness import annotate_missing, missing_data
from common.json_prefetch import Lists, fetch_with_lists
from common.page_cache import kept_page
from network.drawing import track_drawing
from network.selectors import TrackRecord, park_quarters
from parks.completeness import PARK_RULES
from parks.history import park_history
from parks.models import Facility, Person, ReportedFigures, Sector, Technopolis
from residents.selectors import current_residents, parks_with_figures

from ..filters import ParkFilter

PAGE_SIZE = 50
# How many residents and agreements a park's page lists; the full lists are a link away.
SHOWN_ON_PAGE = 20


@login_required
def park_list(request: HttpRequest) -> HttpResponse:
    parks = parks_with_figures(Technopolis.objects.prefetch_related("sectors"), today=timezone.localdate())
    filterset = ParkFilter(request.GET, queryset=parks.order_by("name", "pk"))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/parks/list.html",
        {"page_obj": page, "filter": filterset, "crumbs": [(_("Parks"), None)]},
    )


# The park's short lists, loaded inside its own query on PostgreSQL (see common.json_prefetch).
def _page_lists() -> Lists:
    return {
        "sectors": (Sector.objects.all(), ()),
        "facilities": (Facility.objects.order_by("name"), ()),
        "reported_figures": (ReportedFigures.objects.order_by("-reported_on", "source"), ()),
        "people": (Person.objects.all(), ()),
    }


def _park_for_page(slug: str, today) -> Technopolis:
    parks = annotate_missing(parks_with_figures(Technopolis.objects.all(), today=today), PARK_RULES)
    return fetch_with_lists(parks, _page_lists(), get=lambda queryset: get_object_or_404(queryset, slug=slug))


def _park_agreements(request: HttpRequest, park: Technopolis) -> QuerySet[Agreement]:
    """The park's agreements this person may see, newest first, with every party's park."""
    return (
        visible_agreements(request.user)
        .filter(parties__technopolis=park)
        .distinct()
        .order_by("-signed_on", "reference")
        .prefetch_related(Prefetch("parties", queryset=AgreementParty.objects.select_related("technopolis")))
    )


def _track(request: HttpRequest, park: Technopolis, today) -> dict:
    """The park's own milestones per quarter, as on the network's track record page: one query."""
    record = TrackRecord(park_quarters(user=request.user, today=today, park=park), None, [], [], 0)
    return {"track": record, "track_picture": track_drawing(record)}


@login_required
def park_detail(request: HttpRequest, slug: str) -> HttpResponse:
    def context() -> dict:
        today = timezone.localdate()
        park = _park_for_page(slug, today)
        # One more than shown, to tell whether there are more.
        agreements = list(_park_agreements(request, park)[: SHOWN_ON_PAGE + 1])
        return {
            "park": park,
            "missing": missing_data(park, PARK_RULES),
            "show_contacts": can_see_park_contacts(request.user, park.pk),
            # Parks are completed in the admin, by those allowed there.
            "admin_edit_url": reverse("admin:parks_technopolis_change", args=[park.pk])
            if request.user.is_staff and request.user.has_perm("parks.change_technopolis")
            else "",
            "residents": current_residents(park=park, today=today)[:SHOWN_ON_PAGE],
            "agreements": agreements[:SHOWN_ON_PAGE],
            "more_agreements": len(agreements) > SHOWN_ON_PAGE,
            "shown": SHOWN_ON_PAGE,
            "today": today,
            **_track(request, park, today),
            "title": str(park),
            "crumbs": [(_("Parks"), reverse("parks:list")), (str(park), None)],
        }

    kept = kept_page(
        request, page="park", template="portal/parks/_detail_body.html", context=context, extras=("title", "crumbs")
    )
    return render(request, "portal/parks/detail.html", {"kept": kept, **kept.extras})


@login_required
def park_history_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Its own page, so that the park's page keeps its few queries (the history costs four more)."""
    park = get_object_or_404(Technopolis, slug=slug)
    return render(
        request,
        "portal/parks/history.html",
        {
            "park": park,
            "history": park_history(park, with_contacts=can_see_park_contacts(request.user, park.pk)),
            "crumbs": [
                (_("Parks"), reverse("parks:list")),
                (str(park), reverse("parks:detail", args=[park.slug])),
                (_("Change history"), None),
            ],
        },
    )
