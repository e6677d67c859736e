"""Session bookkeeping shared by the sign-in receivers, the middleware and the language switcher."""

import time

from django.contrib.sessions.backends.base import SessionBase

# Set at login when the person has a confirmed device; cleared once they enter a code.
PENDING_KEY = "two_factor_pending"
# When the session's expiry was last pushed forward (seconds since the epoch).
REFRESHED_KEY = "idle_refreshed_at"
# The language chosen with the switcher, or the profile's, copied at sign-in. The value is older than
# its move to accounts: sessions open at the upgrade keep their language.
LANGUAGE_KEY = "portal_language"


def mark_refreshed(session: SessionBase) -> None:
    session[REFRESHED_KEY] = int(time.time())
