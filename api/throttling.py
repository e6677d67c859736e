"""Per-user request rate of the API (settings.REST_FRAMEWORK's DEFAULT_THROTTLE_RATES["user"])."""

from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle


class ApiUserThrottle(UserRateThrottle):
    """DRF's per-user throttle, reading its rate when asked rather than at import.

    An exceeded rate is answered 429 with a Retry-After header (seconds).
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
