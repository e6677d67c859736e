"""The agreements tests' world: parks A, B and C and a person in every role (tests/support/agreement_pages.py)."""

import pytest

from tests.support.agreement_pages import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def editor_client(client, world):
    """Signed in as park A's editor."""
    client.force_login(world.editor)
    return client
