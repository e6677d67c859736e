import datetime
from pathlib import Path

import pytest

from demo.seed import load_seed_world
from parks.models import Membership, Technopolis
from tests.factories import member

SEED = Path(__file__).resolve().parents[2] / "extraction" / "corpus" / "tuning" / "en-00-seed.txt"
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_world(db):
    """The demo's parks, people, forum and agreement HIM-GOU-001, as a fresh install has them."""
    return load_seed_world(today=datetime.date(2026, 11, 25))


@pytest.fixture
def himgrad_editor(seed_world):
    return member(Technopolis.objects.get(slug="himgrad"), Membership.Role.EDITOR, username="erika", password=PASSWORD)
