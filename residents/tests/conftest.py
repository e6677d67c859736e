"""The residents tests' parks and people: Himgrad (the reader's park), Gousev, and a person in every role."""

import pytest

from parks.models import Membership
from tests.factories import SuperuserFactory, TechnopolisFactory, member


@pytest.fixture
def park():
    return TechnopolisFactory(name="Himgrad")


@pytest.fixture
def other_park():
    return TechnopolisFactory(name="Gousev")


@pytest.fixture
def users(park, other_park):
    """Himgrad's viewer and editor, Gousev's editor and an admin."""
    return {
        "viewer": member(park, Membership.Role.VIEWER),
        "editor": member(park, Membership.Role.EDITOR),
        "other_editor": member(other_park, Membership.Role.EDITOR),
        "admin": SuperuserFactory(),
    }
