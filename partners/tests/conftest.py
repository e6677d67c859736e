"""The partner loop's world: Himgrad's editor, a partner contact at Kazan following their agreement."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Confirmation, Milestone
from notifications.models import Subscription
from parks.models import Membership, Person, Technopolis
from partners.links import link_token, new_links
from partners.models import PartnerLink
from tests import factories


@dataclass
class Loop:
    himgrad: Technopolis
    kazan: Technopolis
    editor: User
    viewer: User
    partner: Person
    agreement: Agreement
    one_side: Milestone  # Kazan is responsible; Kazan's word makes it done
    both_sides: Milestone  # every party confirms
    link: PartnerLink

    def open_partner_page(self, client):
        response = client.get(reverse("partners:open", args=[link_token(self.link)]))
        assert response.status_code == 302
        return client


@pytest.fixture
def today() -> datetime.date:
    """The partner pages act on the real day (a confirmation cannot be dated in the future)."""
    return timezone.localdate()


@pytest.fixture
def loop(db, today) -> Loop:
    himgrad = factories.TechnopolisFactory(name="Himgrad", short_name="Himgrad")
    kazan = factories.TechnopolisFactory(name="Kazan IT Park", short_name="Kazan")
    editor = factories.member(himgrad, Membership.Role.EDITOR, username="erika", first_name="Erika", last_name="Lind")
    viewer = factories.member(himgrad, Membership.Role.VIEWER, username="viktor")
    partner = factories.PersonFactory(
        full_name="Rustam Gusev", technopolis=kazan, email="gusev@kazan.example", language="en"
    )
    agreement = factories.agreement_with_parties(
        himgrad,
        kazan,
        reference="HK-2026/1",
        title="Himgrad and Kazan cooperation",
        status=Agreement.Status.ACTIVE,
        effective_from=today - datetime.timedelta(days=200),
        expires_on=today + datetime.timedelta(days=700),
    )
    subscription = factories.SubscriptionFactory(person=partner, delivery=Subscription.Delivery.DIGEST)
    subscription.agreements.add(agreement)
    one_side = factories.MilestoneFactory(
        agreement=agreement,
        title="Joint incubation intake",
        due_on=today + datetime.timedelta(days=5),
        responsible_technopolis=kazan,
        responsible_person=partner,
    )
    both_sides = factories.MilestoneFactory(
        agreement=agreement,
        title="Shared laboratory opened",
        due_on=today + datetime.timedelta(days=40),
        responsible_technopolis=himgrad,
        confirmation=Confirmation.EVERY_SIDE,
    )
    new_links([(partner, partner.email)], reason="digest")
    return Loop(
        himgrad=himgrad,
        kazan=kazan,
        editor=editor,
        viewer=viewer,
        partner=partner,
        agreement=agreement,
        one_side=one_side,
        both_sides=both_sides,
        link=PartnerLink.objects.get(person=partner),
    )
