"""Know-how and agreements' documents through the API, with the portal's access rules (issue 19)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from parks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(media_root):
    park, partner, stranger = (factories.TechnopolisFactory() for _ in range(3))
    ours = factories.agreement_with_parties(park, partner, reference="OURS-1", is_public=False)
    theirs = factories.agreement_with_parties(partner, stranger, reference="THEIRS-1", is_public=False)
    return {
        "park": park,
        "stranger": stranger,
        "ours": ours,
        "theirs": theirs,
        "our_document": factories.AgreementDocumentFactory(agreement=ours, title="Signed copy"),
        "their_document": factories.AgreementDocumentFactory(agreement=theirs, title="Their secret annex"),
    }


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_documents_are_listed_and_downloaded_only_on_agreements_one_may_see(world):
    client = api_for(factories.member(world["park"], Membership.Role.VIEWER))

    listed = client.get("/api/v1/documents/").json()
    download = client.get(f"/api/v1/documents/{world['our_document'].pk}/download/")
    hidden = client.get(f"/api/v1/documents/{world['their_document'].pk}/download/")

    assert [document["title"] for document in listed["results"]] == ["Signed copy"]
    assert download.status_code == 200 and b"".join(download.streaming_content)
    assert hidden.status_code == 404


def test_an_editor_uploads_a_document_and_a_new_version_of_it(world):
    client = api_for(factories.member(world["park"], Membership.Role.EDITOR))
    upload = SimpleUploadedFile("Протокол.pdf", PDF, content_type="application/pdf")

    first = client.post(
        "/api/v1/documents/",
        {"agreement": world["ours"].pk, "kind": "signed_scan", "title": "Minutes", "file": upload},
        format="multipart",
    )
    second = client.post(
        "/api/v1/documents/",
        {
            "agreement": world["ours"].pk,
            "title": "Minutes, corrected",
            "file": SimpleUploadedFile("v2.pdf", PDF),
            "supersedes": first.json()["id"],
        },
        format="multipart",
    )

    assert first.status_code == 201, first.json()
    assert first.json()["original_filename"] == "Протокол.pdf"
    assert second.status_code == 201, second.json()
    downloaded = client.get(first.json()["download_url"])
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content) == PDF


@pytest.mark.parametrize(
    ("who", "agreement", "expected"),
    [("viewer", "ours", 403), ("editor", "theirs", 404)],
)
def test_only_a_partys_editors_upload(world, who, agreement, expected):
    role = Membership.Role.VIEWER if who == "viewer" else Membership.Role.EDITOR
    client = api_for(factories.member(world["park"], role))

    response = client.post(
        "/api/v1/documents/",
        {"agreement": world[agreement].pk, "title": "Sneaky", "file": SimpleUploadedFile("x.pdf", PDF)},
        format="multipart",
    )

    assert response.status_code == expected


def test_a_file_that_is_not_what_its_name_says_is_refused_by_the_field(world):
    client = api_for(factories.member(world["park"], Membership.Role.EDITOR))

    response = client.post(
        "/api/v1/documents/",
        {"agreement": world["ours"].pk, "title": "Fake", "file": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00binary")},
        format="multipart",
    )

    assert response.status_code == 400
    assert "file" in response.json()


def test_know_how_is_read_only_by_its_parks_staff(world):
    company = factories.ResidentCompanyFactory(technopolis=world["park"])
    factories.KnowHowFactory(company=company, title="Catalyst recipe")

    own = api_for(factories.member(world["park"])).get("/api/v1/know-how/").json()
    other = api_for(factories.member(world["stranger"])).get("/api/v1/know-how/").json()

    assert [record["title"] for record in own["results"]] == ["Catalyst recipe"]
    assert other["results"] == []
