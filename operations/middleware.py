"""What every dynamic response tells caches: nothing the portal serves may be kept.

Pages show what the signed-in person may see, downloads and exports are confidential records, and
even the login page carries a CSRF token; a shared proxy or the browser's disk cache must not keep
any of them. Static files are answered by WhiteNoise before this middleware, with their own
long-lived headers, and a view that sets Cache-Control itself keeps its choice.
"""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
