"""The signed-in person is read with their park roles (accounts.backends): one query, never stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import ModelBackendWithRoles
from parks.access import park_roles
from parks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_every_role_in_one_query():
    himgrad, gousev = factories.TechnopolisFactory(), factories.TechnopolisFactory()
    user = factories.member(himgrad, Membership.Role.EDITOR)
    factories.MembershipFactory(user=user, technopolis=gousev, role=Membership.Role.VIEWER)

    with CaptureQueriesContext(connection) as captured:
        found = ModelBackendWithRoles().get_user(user.pk)
        roles = park_roles(found)

    assert len(captured) == 1
    assert (found, roles) == (user, {himgrad.pk: "editor", gousev.pk: "viewer"})


def test_an_inactive_or_unknown_user_is_nobody():
    user = factories.UserFactory(is_active=False)

    assert ModelBackendWithRoles().get_user(user.pk) is None
    assert ModelBackendWithRoles().get_user(user.pk + 1000) is None


def test_a_role_taken_away_applies_on_the_next_request(client):
    park = factories.TechnopolisFactory()
    agreement = factories.agreement_with_parties(park, factories.TechnopolisFactory(), is_public=False)
    user = factories.member(park, Membership.Role.EDITOR)
    client.force_login(user)
    url = reverse("agreements:detail", args=[agreement.pk])
    assert client.get(url).status_code == 200

    Membership.objects.filter(user=user).delete()

    assert client.get(url).status_code == 404
