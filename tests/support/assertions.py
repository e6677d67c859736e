"""Assertions shared by the domain-rule tests: refused by validation, refused by the database."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation


def validation_errors(record: models.Model) -> dict[str, list[str]]:
    """The messages full_clean() raises for `record`, by field; fails the test if it raises none.

    Runs in English so that the messages can be compared whatever LANGUAGE_CODE the run uses.
    """
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        record.full_clean()
    with translation.override("en"):
        return {field: [str(message) for message in messages] for field, messages in caught.value.message_dict.items()}


def assert_refused(record: models.Model, field: str, fragment: str) -> None:
    """full_clean() refuses `record` with a message containing `fragment` on `field`."""
    errors = validation_errors(record)
    assert field in errors, f"expected an error on {field!r}, got {errors}"
    assert any(fragment in message for message in errors[field]), errors[field]


@contextmanager
def refused_by_database(constraint: str) -> Iterator[None]:
    """The statements in the block violate the named database constraint (no model validation involved)."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        yield
