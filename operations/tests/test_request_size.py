"""A request body larger than any upload is refused by its announced length, before it is read."""

import json

import pytest
from django.urls import reverse

from parks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


def _post_announcing(client, url: str, length: int, **extra):
    # The body itself is small: only the announced length matters, as nothing of it is read.
    return client.generic(
        "POST", url, b"x" * 10, content_type="application/octet-stream", CONTENT_LENGTH=str(length), **extra
    )


@pytest.fixture
def editor_client(client):
    client.force_login(factories.member(factories.TechnopolisFactory(), Membership.Role.EDITOR))
    return client


def test_the_api_answers_413_in_json(editor_client, settings):
    response = _post_announcing(editor_client, "/api/v1/agreements/", settings.MAX_REQUEST_BODY_BYTES + 1)

    assert response.status_code == 413
    assert json.loads(response.content) == {
        "detail": "The upload is too large (21.0 MB); the portal takes files of at most 20 MB. "
        "Go back and choose a smaller file."
    }


def test_the_refusal_speaks_the_browsers_language(editor_client, settings):
    response = _post_announcing(editor_client, reverse("exchange:import"), 50 * 1024 * 1024, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 413
    assert response.content.decode().startswith("Файл слишком большой (50.0 МБ)")
