"""An import file is kept only while its preview can be confirmed: per person, bounded, then deleted."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange import services, tasks
from parks.models import Membership
from residents.models import ResidentCompany
from residents.validators import complete_inn
from tests import factories
from tests.support.spreadsheets import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    park = factories.TechnopolisFactory(name="Himgrad")
    user = factories.member(park, Membership.Role.EDITOR)
    client.force_login(user)
    return user


def _companies(count: int = 1, start: int = 100) -> bytes:
    rows = [[complete_inn(f"1655{start + number:05d}"), f"Company {number}", "Himgrad"] for number in range(count)]
    return csv_bytes([["INN", "Name", "Park"], *rows])


def _upload(client, content: bytes, name: str = "companies.csv"):
    return client.post(reverse("exchange:import"), {"kind": "companies", "file": SimpleUploadedFile(name, content)})


def _kept(media_root) -> list:
    return sorted(media_root.glob("imports/**/*.upload"))


def test_a_previewed_file_waits_in_its_uploaders_folder(client, editor, media_root):
    _upload(client, _companies())

    assert [path.parent.name for path in _kept(media_root)] == [str(editor.pk)]


def test_cancel_deletes_the_file_and_imports_nothing(client, editor, media_root):
    preview = _upload(client, _companies())
    token = preview.context["confirm_form"].initial["token"]

    response = client.post(reverse("exchange:import_cancel"), {"token": token}, follow=True)

    assert "The upload was cancelled and its file deleted; nothing was imported." in response.content.decode()
    assert _kept(media_root) == []
    assert not ResidentCompany.objects.exists()
    refused = client.post(reverse("exchange:import_confirm"), {"token": token}, follow=True)
    assert "This upload has expired or is not yours. Upload the file again." in refused.content.decode()


def test_a_preview_with_nothing_to_confirm_keeps_no_file(client, editor, media_root):
    broken = csv_bytes([["INN", "Name", "Park"], ["123", "Bad INN", "Himgrad"]])

    preview = _upload(client, broken)

    assert preview.context["report"].has_errors
    assert "Confirm and import" not in preview.content.decode()
    assert _kept(media_root) == []


def test_nobody_else_can_cancel_an_upload(client, editor, media_root):
    token = _upload(client, _companies()).context["confirm_form"].initial["token"]
    other = factories.member(factories.TechnopolisFactory(), Membership.Role.EDITOR)
    client.force_login(other)

    client.post(reverse("exchange:import_cancel"), {"token": token})

    assert len(_kept(media_root)) == 1


def test_a_persons_pending_files_are_bounded_the_oldest_making_room(client, editor, media_root, settings):
    settings.IMPORT_PENDING_MB_PER_USER = 1
    content = _companies(count=9000)  # about 0.3 MB each
    tokens = [_upload(client, content).context["confirm_form"].initial["token"] for _ in range(5)]

    kept = _kept(media_root)
    assert sum(path.stat().st_size for path in kept) <= 1024 * 1024
    assert len(kept) == 3
    # The newest preview can still be confirmed; the oldest asks for a new upload.
    assert services.upload_open(user=editor, token=tokens[-1]) is not None
    assert services.upload_open(user=editor, token=tokens[0]) is None


def test_the_sweep_deletes_expired_previews_and_keeps_recent_ones(client, editor, media_root, settings):
    settings.IMPORT_PREVIEW_MINUTES = 60
    _upload(client, _companies(start=100))
    _upload(client, _companies(start=200))
    old, recent = _kept(media_root)
    an_hour_and_more_ago = time.time() - 61 * 60
    os.utime(old, (an_hour_and_more_ago, an_hour_and_more_ago))

    removed = tasks.forget_expired_uploads.apply().get()

    assert removed == 1
    assert _kept(media_root) == [recent]


def test_an_expired_preview_cannot_be_confirmed(client, editor, media_root, settings):
    token = _upload(client, _companies()).context["confirm_form"].initial["token"]
    # A lifetime of zero minutes: the token is already older than that when confirmed.
    settings.IMPORT_PREVIEW_MINUTES = 0

    response = client.post(reverse("exchange:import_confirm"), {"token": token}, follow=True)

    assert "This upload has expired or is not yours. Upload the file again." in response.content.decode()
    assert not ResidentCompany.objects.exists()
