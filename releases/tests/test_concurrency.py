"""Two people confirm the same release at the same moment: one agreement is made, the other is told."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from agreements.models import Agreement
from parks.models import Technopolis
from releases.models import ImportedRelease
from releases.services import PartyChoice, Review, apply_release


def _review(text: str, reference: str) -> Review:
    parks = [Technopolis.objects.get(slug="himgrad"), Technopolis.objects.get(slug="gousev")]
    return Review(
        text=text, language="en", filename="", reference=reference, title="Agreement on collaboration",
        kind=Agreement.Kind.COOPERATION, signed_on=None, event=None, new_event=None, stages=[], subject="",
        parties=[PartyChoice(park=park) for park in parks], people=[], milestones=[],
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_make_one_agreement(himgrad_editor, seed_text, media_root):
    reviews = [_review(seed_text, "HIM-GOU-101"), _review(seed_text, "HIM-GOU-102")]
    start = threading.Barrier(2)
    made, refused = [], []

    def confirm(review):
        try:
            start.wait()
            made.append(apply_release(review, user=himgrad_editor).reference)
        except ValidationError as error:
            refused.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(review,)) for review in reviews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(made) == 1 and len(refused) == 1
    assert f"imported already, as agreement {made[0]}" in refused[0]
    assert Agreement.objects.filter(reference__in=["HIM-GOU-101", "HIM-GOU-102"]).count() == 1
    assert ImportedRelease.objects.count() == 1
