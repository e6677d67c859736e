"""Absolute links back to the portal, and the signed tokens that act without a login."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
SNOOZE_SALT = "notifications.snooze"
# A snooze link in an old e-mail should not work for ever; an unsubscribe link must.
SNOOZE_LINK_MAX_AGE = 60 * 60 * 24 * 60


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def agreement_url(agreement_id: int) -> str:
    return absolute(reverse("agreements:detail", args=[agreement_id]))


def unsubscribe_token(subscription_id: int) -> str:
    return signing.dumps({"subscription": subscription_id}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscription_id: int) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(subscription_id)]))


def subscription_id_from_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["subscription"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def snooze_token(milestone_id: int, address: str) -> str:
    return signing.dumps({"milestone": milestone_id, "by": address}, salt=SNOOZE_SALT)


def snooze_url(milestone_id: int, address: str) -> str:
    return absolute(reverse("notifications:snooze", args=[snooze_token(milestone_id, address)]))


def snooze_from_token(token: str) -> tuple[int, str] | None:
    """(milestone id, the address the link was sent to), or None for a bad or expired link."""
    try:
        data = signing.loads(token, salt=SNOOZE_SALT, max_age=SNOOZE_LINK_MAX_AGE)
        return int(data["milestone"]), str(data["by"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: mail clients POST to the link without asking the user."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
