"""The portal's URLs: each app's pages are mounted here. Paths are part of the interface."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from operations.health import healthz
from residents.urls import ip_patterns


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Pages name their icon; programs (and the admin's pages) asking the conventional address are sent to it."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The portal's 404 page, or for the API (a mistyped id, an unknown address) JSON as it documents."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)


handler404 = "technopolis_portal.urls.not_found"

urlpatterns = [
    path("", include("portal.urls")),
    path("parks/", include("portal.urls_parks")),
    path("residents/", include("residents.urls")),
    path("ip/", include((ip_patterns, "ip"))),
    path("agreements/from-release/", include("releases.urls")),
    path("agreements/", include("agreements.urls")),
    path("network/", include("network.urls")),
    path("exchange/", include("exchange.urls")),
    path("", include("notifications.urls")),
    path("", include("partners.urls")),
    path("", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", include("api.urls")),
    path("accounts/api-tokens/", include("api.urls_tokens")),
    path("admin/", admin.site.urls),
]
