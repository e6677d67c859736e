"""The fixture world of the access tests: three parks and one person of each kind.

- park A is the reader's park (the viewer and the editor belong to it), park B belongs to the
  "outsider" (an editor of another park), park C is a third park;
- `ac` is a confidential agreement between A and C: A is a party, B is not;
- `bc_secret` is a confidential agreement between B and C: it does not exist for A's people;
- `bc_public` is a public agreement between B and C: everyone sees it, only B's editor changes it;
- each has a milestone, a document and a digest subscription following it; companies in A and B
  each have a patent and a know-how record.

Used by the permission matrix, the IDOR tests and the bad-input tests.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import factory
from django.apps import apps
from django.contrib.auth.models import User
from django.urls import reverse

from agreements.models import Agreement, AgreementDocument, Milestone
from notifications.models import Subscription
from parks.models import Membership, Person, Technopolis
from partners.links import link_token, new_links
from partners.models import PartnerLink
from residents.models import IntellectualProperty, KnowHow, ResidentCompany
from tests import factories

# "partner": a partner contact of park C with no account, on the partner pages through their link.
ROLES = ("anonymous", "viewer", "editor", "outsider", "admin", "partner")


@dataclass
class World:
    park_a: Technopolis
    park_b: Technopolis
    park_c: Technopolis
    viewer: User
    editor: User
    outsider: User
    admin: User
    ac: Agreement
    bc_secret: Agreement
    bc_public: Agreement
    milestones: dict[str, Milestone]
    documents: dict[str, AgreementDocument]
    subscriptions: dict[str, Subscription]
    company_a: ResidentCompany
    company_b: ResidentCompany
    ip_a: IntellectualProperty
    ip_b: IntellectualProperty
    know_how_a: KnowHow
    know_how_b: KnowHow
    calendar_token: Any
    membership_a: Membership
    partner: Person
    partner_link: PartnerLink

    def user(self, role: str) -> User | None:
        return None if role in ("anonymous", "partner") else getattr(self, role)


def _agreement_with_things(key: str, *parks: Technopolis, **fields) -> tuple[Agreement, Milestone, AgreementDocument]:
    agreement = factories.agreement_with_parties(*parks, **fields)
    milestone = factories.MilestoneFactory(
        agreement=agreement, title=f"Milestone of {fields['reference']}", due_on=datetime.date(2026, 3, 1)
    )
    document = factories.AgreementDocumentFactory(
        agreement=agreement,
        title=f"Document of {fields['reference']}",
        original_filename=f"{key}.pdf",
        file=factory.django.FileField(filename=f"{key}.pdf", data=b"%PDF-1.4\n" + key.encode() + b"\n%%EOF\n"),
    )
    return agreement, milestone, document


def build_world() -> World:
    park_a = factories.TechnopolisFactory(name="Innopolis Alpha", short_name="Alpha", slug="alpha")
    park_b = factories.TechnopolisFactory(name="Technopolis Beta", short_name="Beta", slug="beta")
    park_c = factories.TechnopolisFactory(name="Technopark Gamma", short_name="Gamma", slug="gamma")
    viewer = factories.member(park_a, Membership.Role.VIEWER, username="viewer")
    ac, m_ac, d_ac = _agreement_with_things(
        "ac",
        park_a,
        park_c,
        reference="AC-SECRET-001",
        title="Alpha and Gamma confidential plan",
        status=Agreement.Status.NEGOTIATION,
        is_public=False,
    )
    bc_secret, m_bcs, d_bcs = _agreement_with_things(
        "bcs",
        park_b,
        park_c,
        reference="BC-SECRET-002",
        title="Beta and Gamma confidential plan",
        status=Agreement.Status.NEGOTIATION,
        is_public=False,
    )
    bc_public, m_bcp, d_bcp = _agreement_with_things(
        "bcp",
        park_b,
        park_c,
        reference="BC-PUBLIC-003",
        title="Beta and Gamma public memorandum",
        status=Agreement.Status.NEGOTIATION,
        is_public=True,
    )
    subscriptions = {}
    for key, agreement in (("ac", ac), ("bc_secret", bc_secret), ("bc_public", bc_public)):
        subscription = factories.SubscriptionFactory(
            person=factories.PersonFactory(full_name=f"Digest reader {key}"),
            delivery=Subscription.Delivery.DIGEST,
        )
        subscription.agreements.add(agreement)
        subscriptions[key] = subscription
    # Park C's contact follows A–C by name (so sees it, confidential as it is) and B's agreements through
    # park B: the public B–C one, not the confidential one, which does not name them.
    partner = factories.PersonFactory(
        full_name="Gamma Partner", technopolis=park_c, email="partner@gamma.example", language="en"
    )
    following = factories.SubscriptionFactory(person=partner, delivery=Subscription.Delivery.DIGEST)
    following.agreements.add(ac)
    following_b = factories.SubscriptionFactory(person=partner, delivery=Subscription.Delivery.DIGEST)
    following_b.parks.add(park_b)
    Milestone.objects.filter(pk=m_ac.pk).update(responsible_person=partner)
    (partner_url,) = new_links([(partner, partner.email)], reason="digest")
    company_a = factories.ResidentCompanyFactory(technopolis=park_a, name="Alpha Robotics")
    company_b = factories.ResidentCompanyFactory(technopolis=park_b, name="Beta Photonics")
    return World(
        park_a=park_a,
        park_b=park_b,
        park_c=park_c,
        viewer=viewer,
        editor=factories.member(park_a, Membership.Role.EDITOR, username="editor"),
        outsider=factories.member(park_b, Membership.Role.EDITOR, username="outsider"),
        admin=factories.SuperuserFactory(username="boss"),
        ac=ac,
        bc_secret=bc_secret,
        bc_public=bc_public,
        milestones={"ac": m_ac, "bc_secret": m_bcs, "bc_public": m_bcp},
        documents={"ac": d_ac, "bc_secret": d_bcs, "bc_public": d_bcp},
        subscriptions=subscriptions,
        company_a=company_a,
        company_b=company_b,
        ip_a=factories.IntellectualPropertyFactory(company=company_a, title="Alpha gripper patent"),
        ip_b=factories.IntellectualPropertyFactory(company=company_b, title="Beta laser patent"),
        know_how_a=factories.KnowHowFactory(company=company_a, title="ALPHA-SECRET-KNOWHOW"),
        know_how_b=factories.KnowHowFactory(company=company_b, title="BETA-SECRET-KNOWHOW"),
        calendar_token=factories.CalendarTokenFactory(user=viewer),
        membership_a=Membership.objects.get(user=viewer),
        partner=partner,
        partner_link=PartnerLink.objects.get(person=partner),
    )


def log_in(client, user: User | None):
    if user is not None:
        client.force_login(user)
    return client


def open_partner_page(client, world: World):
    """The partner's session: their personal link opened, as from their e-mail."""
    response = client.get(reverse("partners:open", args=[link_token(world.partner_link)]))
    assert response.status_code == 302, response.status_code
    return client


# What a refused request must leave untouched: every record of the portal's apps, with history.
SNAPSHOT_APPS = ("agreements", "residents", "parks", "notifications", "partners", "portal", "auth")


def snapshot() -> dict[str, list[dict]]:
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in SNAPSHOT_APPS:
            rows = list(model.objects.order_by("pk").values())
            for row in rows:
                row.pop("last_login", None)
            state[model._meta.label] = rows
    return state
