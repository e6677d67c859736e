"""What every dynamic response tells caches (nothing may be kept), and the refusal of oversized bodies.

Caches: nothing the portal serves may be kept.

Pages show what the signed-in person may see, downloads and exports are confidential records, and
even the login page carries a CSRF token; a shared proxy or the browser's disk cache must not keep
any of them. Static files are answered by WhiteNoise before this middleware, with their own
long-lived headers, and a view that sets Cache-Control itself keeps its choice.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request whose announced body is larger than any upload the portal takes (413).

    Django reads an upload into a temporary file before a form can check its size; a body over the
    limit is refused here by its Content-Length, before a byte of it is read. The views still check
    each file against its own, smaller limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return _too_large(request, length)
        return self.get_response(request)


def _too_large(request, length: int) -> HttpResponse:
    # Before LocaleMiddleware: the answer takes the browser's language itself.
    with translation.override(translation.get_language_from_request(request)):
        message = _(
            "The upload is too large (%(size)s MB); the portal takes files of at most %(limit)s MB. "
            "Go back and choose a smaller file."
        ) % {
            "size": round(length / 1024 / 1024, 1),
            "limit": max(settings.DOCUMENT_MAX_UPLOAD_MB, settings.IMPORT_MAX_UPLOAD_MB),
        }
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
