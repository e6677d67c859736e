"""The partner link: a signed key in the URL, checked against its row (valid until, revoked).

The signature refuses a forged or altered link before the database is asked; the row makes a link
revocable and tells staff who used it when.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from notifications.links import absolute
from parks.models import Person

from .models import PartnerLink

SALT = "partners.link"


def link_token(link: PartnerLink) -> str:
    return signing.dumps({"k": link.key, "a": link.address.lower()}, salt=SALT)


def link_url(link: PartnerLink) -> str:
    return absolute(reverse("partners:open", args=[link_token(link)]))


def key_from_token(token: str) -> tuple[str, str] | None:
    """(key, address) of a link whose signature holds, or None for a forged or altered one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=datetime.timedelta(days=settings.PARTNER_LINK_DAYS))
        return str(data["k"]), str(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def new_links(people: list[tuple[Person, str]], *, reason: str, now: datetime.datetime | None = None) -> list[str]:
    """Issues one link per (person, address), in one insert; returns their URLs in the same order."""
    now = now or timezone.now()
    expires = now + datetime.timedelta(days=settings.PARTNER_LINK_DAYS)
    links = PartnerLink.objects.bulk_create(
        [
            PartnerLink(person=person, address=address, reason=reason, created_at=now, expires_at=expires)
            for person, address in people
        ]
    )
    return [link_url(link) for link in links]


def link_days() -> int:
    return settings.PARTNER_LINK_DAYS


def attach_partner_links(planned: list, *, reason: str, now: datetime.datetime) -> None:
    """Gives each planned e-mail to a partner contact (a person of a park) their personal link.

    `planned` are notifications.outbox.PlannedEmail; the links are made in one insert.
    """
    wanted = [
        email
        for email in planned
        if email.recipient.person is not None and email.recipient.person.technopolis_id is not None
    ]
    urls = new_links([(email.recipient.person, email.recipient.address) for email in wanted], reason=reason, now=now)
    home = absolute(reverse("partners:home"))
    for email, url in zip(wanted, urls, strict=True):
        email.context["partner_url"] = url
        email.context["partner_link_days"] = settings.PARTNER_LINK_DAYS
        # The agreement's own page asks for a staff login: a partner's e-mail points at the partner page,
        # through their link in a reminder; in a digest, whose sections are rendered once for all its
        # partner readers, at the partner page (opened by the link at the foot, or asking for one).
        if email.context.get("agreement"):
            email.context["agreement"] = {**email.context["agreement"], "url": url}
        for section in email.context.get("sections", []):
            section.agreement = {**section.agreement, "url": home}
