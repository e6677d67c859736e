"""API tokens: made and revoked by each person on a portal page, stored hashed, 401 once revoked."""

import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return factories.UserFactory(username="yana")


def api(token: str | None = None) -> APIClient:
    client = APIClient()
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_shown_once_on_creation_and_only_its_hash_is_kept(client, user):
    client.force_login(user)
    page = client.post(reverse("api_tokens:list"), {"name": "reporting script"})
    assert page.status_code == 200
    token = page.context["new_token"]
    assert token in page.content.decode()
    stored = ApiToken.objects.get(user=user)
    assert stored.name == "reporting script"
    assert stored.digest == hashlib.sha512(token.encode()).hexdigest()
    assert token not in {stored.digest, stored.token_key, str(stored.public_id)}
    again = client.get(reverse("api_tokens:list"))
    assert token not in again.content.decode()
    assert "reporting script" in again.content.decode()


def test_the_profile_page_links_to_the_token_page(client, user):
    client.force_login(user)
    assert reverse("api_tokens:list") in client.get(reverse("portal:profile")).content.decode()


def test_a_token_signs_requests_in_and_records_when_it_was_last_used(user):
    record, token = api_token_create(user=user, name="bi")
    assert record.last_used_at is None
    response = api(token).get("/api/v1/parks/")
    assert response.status_code == 200
    assert ApiToken.objects.get(pk=record.pk).last_used_at is not None


def test_requests_without_a_valid_token_are_answered_401(user):
    missing = api().get("/api/v1/agreements/")
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"] == "Token"
    assert api("not-a-real-token").get("/api/v1/agreements/").status_code == 401


def test_a_revoked_token_is_answered_401(client, user):
    record, token = api_token_create(user=user, name="bi")
    assert api(token).get("/api/v1/parks/").status_code == 200
    client.force_login(user)
    response = client.post(reverse("api_tokens:revoke", args=[record.public_id]))
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=record.pk).exists()
    assert api(token).get("/api/v1/parks/").status_code == 401


def test_nobody_revokes_someone_elses_token(client, user):
    record, token = api_token_create(user=user, name="bi")
    client.force_login(factories.UserFactory())
    assert client.post(reverse("api_tokens:revoke", args=[record.public_id])).status_code == 404
    assert api(token).get("/api/v1/parks/").status_code == 200


def test_a_token_of_a_deactivated_account_is_answered_401(user):
    _record, token = api_token_create(user=user, name="bi")
    user.is_active = False
    user.save()
    assert api(token).get("/api/v1/parks/").status_code == 401


def test_two_tokens_cannot_share_a_name(client, user):
    client.force_login(user)
    client.post(reverse("api_tokens:list"), {"name": "bi"})
    page = client.post(reverse("api_tokens:list"), {"name": "bi"})
    assert page.context["new_token"] is None
    assert "You already have a token with this name." in page.content.decode()
    assert ApiToken.objects.filter(user=user).count() == 1
