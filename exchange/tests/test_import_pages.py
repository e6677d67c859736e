"""The import pages: upload, preview, confirm; in the portal for editors and in Django admin for staff."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.admin_exchange import ImportExportAdminMixin
from exchange.importers import IMPORTERS
from parks.models import Membership
from residents.models import ResidentCompany
from residents.validators import complete_inn
from tests import factories
from tests.support.spreadsheets import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def park():
    return factories.TechnopolisFactory(name="Himgrad", short_name="", slug="himgrad")


def _upload(client, kind, content, name="companies.csv"):
    return client.post(reverse("exchange:import"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_an_editor_uploads_sees_the_preview_and_confirms(client, park, media_root):
    editor = factories.member(park, Membership.Role.EDITOR)
    client.force_login(editor)
    inn = complete_inn("165500011")

    preview = _upload(client, "companies", csv_bytes([["INN", "Name", "Park"], [inn, "Sintez", "Himgrad"]]))

    assert preview.status_code == 200
    assert preview.context["report"].counts["create"] == 1
    assert "Confirm and import" in preview.content.decode()
    assert not ResidentCompany.objects.exists()
    assert [path.parent.name for path in (media_root / "imports").glob("**/*.upload")] == [str(editor.pk)]

    token = preview.context["confirm_form"].initial["token"]
    confirmed = client.post(reverse("exchange:import_confirm"), {"token": token}, follow=True)

    assert ResidentCompany.objects.get(inn=inn).name == "Sintez"
    assert "1 record created, 0 updated, 0 unchanged" in confirmed.content.decode()
    assert list((media_root / "imports").glob("**/*.upload")) == []


def test_the_preview_names_row_column_and_reason_and_offers_no_confirmation(client, park):
    client.force_login(factories.member(park, Membership.Role.EDITOR))

    preview = _upload(
        client, "companies", xlsx_bytes([["INN", "Name", "Park"], ["1655000000", "Typo", "Himgrad"]]), "c.xlsx"
    )

    page = preview.content.decode()
    assert "Column “INN”: This INN&#x27;s check digits are wrong" in page
    assert "Confirm and import" not in page


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_preview(client, park):
    client.force_login(factories.member(park, Membership.Role.EDITOR))

    preview = _upload(client, "companies", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.csv")

    assert "The file is a PNG file, not a CSV or XLSX spreadsheet." in preview.content.decode()


def test_an_oversized_file_is_refused_before_it_is_kept(client, park, media_root, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    client.force_login(factories.member(park, Membership.Role.EDITOR))
    content = b"INN,Name,Park\n" + b"1655000001,Sintez,Himgrad\n" * 60_000

    response = _upload(client, "companies", content, "huge.csv")

    assert response.context["form"].errors == {"file": ["The file is too large (1.5 MB); the limit is 1 MB."]}
    assert not (media_root / "imports").exists()


def test_a_body_larger_than_any_upload_is_refused_by_its_length_before_it_is_read(client, park, media_root):
    client.force_login(factories.member(park, Membership.Role.EDITOR))
    content = b"INN,Name,Park\n" + b"1655000001,Sintez,Himgrad\n" * 900_000

    response = _upload(client, "companies", content, "huge.csv")

    assert response.status_code == 413
    assert response.content.decode() == (
        "The upload is too large (22.3 MB); the portal takes files of at most 20 MB. Go back and choose a smaller file."
    )
    assert not (media_root / "imports").exists()


def test_nobody_else_can_confirm_an_upload(client, park):
    editor = factories.member(park, Membership.Role.EDITOR)
    client.force_login(editor)
    preview = _upload(
        client, "companies", csv_bytes([["INN", "Name", "Park"], [complete_inn("165500012"), "X", "Himgrad"]])
    )
    token = preview.context["confirm_form"].initial["token"]

    client.force_login(factories.member(park, Membership.Role.EDITOR))
    response = client.post(reverse("exchange:import_confirm"), {"token": token}, follow=True)

    assert "This upload has expired or is not yours" in response.content.decode()
    assert not ResidentCompany.objects.exists()


def test_viewers_may_not_import(client, park):
    client.force_login(factories.member(park, Membership.Role.VIEWER))

    assert client.get(reverse("exchange:import")).status_code == 403


def test_staff_import_in_admin_with_preview_and_confirmation(admin_client, park):
    inn = complete_inn("165500013")
    url = reverse("admin:residents_residentcompany_import")
    changelist = admin_client.get(reverse("admin:residents_residentcompany_changelist"))
    assert url in changelist.content.decode()

    preview = admin_client.post(
        url, {"file": SimpleUploadedFile("c.csv", csv_bytes([["INN", "Name", "Park"], [inn, "Sintez", "Himgrad"]]))}
    )
    assert preview.context["report"].counts["create"] == 1
    assert not ResidentCompany.objects.exists()

    token = preview.context["confirm_form"].initial["token"]
    response = admin_client.post(url, {"token": token})

    assert response.status_code == 302
    assert ResidentCompany.objects.get(inn=inn).technopolis == park


def test_cancelling_an_admin_import_deletes_its_file(admin_client, park, media_root):
    url = reverse("admin:residents_residentcompany_import")
    rows = [["INN", "Name", "Park"], [complete_inn("165500014"), "Sintez", "Himgrad"]]
    preview = admin_client.post(url, {"file": SimpleUploadedFile("c.csv", csv_bytes(rows))})
    assert 'name="cancel"' in preview.content.decode()
    assert len(list(media_root.glob("imports/**/*.upload"))) == 1

    response = admin_client.post(url, {"token": preview.context["confirm_form"].initial["token"], "cancel": "Cancel"})

    assert response.status_code == 302
    assert list(media_root.glob("imports/**/*.upload")) == []
    assert not ResidentCompany.objects.exists()


def test_every_admin_with_import_and_export_names_a_kind_the_exchange_imports_for_its_model():
    kinds = {
        model: model_admin.exchange_kind
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ImportExportAdminMixin)
    }

    assert [(model, kind) for model, kind in kinds.items() if IMPORTERS[kind].model is not model] == []
    assert sorted(kinds.values()) == sorted(IMPORTERS)


def test_admin_exports_the_selected_records(admin_client):
    company = factories.ResidentCompanyFactory(name="Selected")
    factories.ResidentCompanyFactory(name="Not selected")

    response = admin_client.post(
        reverse("admin:residents_residentcompany_changelist"),
        {"action": "export_csv", "_selected_action": [company.pk]},
    )

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Selected" in content and "Not selected" not in content


def test_the_confirmation_checks_the_file_again_and_writes_nothing_when_it_no_longer_passes(client, park):
    client.force_login(factories.member(park, Membership.Role.EDITOR))
    company = factories.ResidentCompanyFactory(technopolis=park)
    content = csv_bytes([["Company INN", "Name"], [company.inn, "Polymer X"]])
    preview = _upload(client, "products", content, "products.csv")
    assert preview.context["report"].counts["create"] == 1
    # Meanwhile the company moves to a park the editor does not edit.
    ResidentCompany.objects.filter(pk=company.pk).update(technopolis=factories.TechnopolisFactory(short_name="Gousev"))

    response = client.post(
        reverse("exchange:import_confirm"), {"token": preview.context["confirm_form"].initial["token"]}
    )

    assert response.context["refused"]
    assert response.context["report"].rows[0].errors == [("Company INN", "You may not edit records of Gousev.")]
    assert not company.products.exists()
