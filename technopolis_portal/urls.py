"""The portal's URLs: each app's pages are mounted here. Paths are part of the interface."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from operations.health import healthz
from residents.urls import ip_patterns


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Pages name their icon; programs (and the admin's pages) asking the conventional address are sent to it."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("", include("portal.urls")),
    path("parks/", include("portal.urls_parks")),
    path("residents/", include("residents.urls")),
    path("ip/", include((ip_patterns, "ip"))),
    path("agreements/", include("agreements.urls")),
    path("exchange/", include("exchange.urls")),
    path("", include("notifications.urls")),
    path("", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", include("api.urls")),
    path("accounts/api-tokens/", include("api.urls_tokens")),
    path("admin/", admin.site.urls),
]
