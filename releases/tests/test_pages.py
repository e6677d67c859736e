"""The review flow through the portal's pages: paste or upload, review each fact beside its sentence, confirm."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement, AgreementDocument
from parks.models import Membership, Person, Technopolis
from releases.models import ImportedRelease
from tests.factories import member

from .support import review_post_data

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Agreement.objects.count(),
        Technopolis.objects.count(),
        Person.objects.count(),
        AgreementDocument.objects.count(),
    )


def _read(client, **data):
    return client.post(reverse("releases:start"), data)


def test_the_seed_is_proposed_with_every_fact_beside_its_sentence(client, himgrad_editor, seed_text):
    client.force_login(himgrad_editor)
    response = _read(client, text=seed_text)
    assert response.status_code == 200
    page = response.content.decode()
    form = response.context["form"]
    assert form["kind"].value() == "cooperation"
    assert form["title"].value().startswith("Agreement on collaboration and joint scientific")
    # No signing date in the text: left empty and said so, never guessed.
    assert form["signed_on"].value() is None
    assert response.context["sources"]["signed_on"].status == "missing"
    assert response.context["sources"]["event"].status == "matched"
    parties = response.context["party_formset"].forms
    himgrad, gousev = Technopolis.objects.get(slug="himgrad"), Technopolis.objects.get(slug="gousev")
    assert [row["park"].value() for row in parties] == [himgrad.pk, gousev.pk]
    people = {row["name"].value(): row for row in response.context["people_formset"].forms}
    assert people["Alexey Liulin"]["role"].value() == "signatory"
    assert people["Alexey Liulin"]["party"].value() == "1"
    assert people["Alexey Liulin"]["person"].value() == Person.objects.get(full_name_en="Alexey Liulin").pk
    assert people["Artem Zdunov"]["role"].value() == "witness"
    # Quoted only, and already in the portal: not recorded again.
    assert people["Yana Stoyanova"]["role"].value() == "skip"
    # The sentence each fact came from, marked in the text shown beside the form.
    assert "Artem Zdunov, the Deputy Minister of Economics, took part in the signing ceremony." in page
    assert page.count('<mark id="source-') >= 5
    # Himgrad's signatory is missing from the text, and flagged.
    assert "who signed for Technopolis «Himgrad»" in response.context["missing"]
    # The demo already holds this agreement: the page offers to update it instead of a duplicate.
    assert response.context["existing"].agreement.reference == "HIM-GOU-001"
    assert form["action"].value() == "update"


def test_confirming_creates_the_agreement_in_one_go_and_the_same_release_is_found_again(
    client, himgrad_editor, seed_text, media_root
):
    client.force_login(himgrad_editor)
    review = _read(client, text=seed_text)
    before = Agreement.objects.count()
    response = client.post(
        reverse("releases:confirm"), review_post_data(review, action="create", reference="HIM-GOU-002")
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    agreement = Agreement.objects.get(reference="HIM-GOU-002")
    assert Agreement.objects.count() == before + 1
    assert agreement.status == "draft"
    assert agreement.signed_on is None
    assert agreement.signing_event.name_en == "St. Petersburg International Innovation Forum"
    assert sorted(agreement.parties.values_list("technopolis__slug", flat=True)) == ["gousev", "himgrad"]
    gousev_party = agreement.parties.get(technopolis__slug="gousev")
    assert gousev_party.signatory.full_name_en == "Alexey Liulin"
    assert agreement.parties.get(technopolis__slug="himgrad").signatory is None
    assert list(agreement.witnesses.values_list("full_name_en", flat=True)) == ["Artem Zdunov"]
    assert set(agreement.scope.values_list("code", flat=True)) == {
        "idea",
        "research",
        "prototype",
        "production",
        "promotion",
    }
    assert agreement.milestones.count() == 0
    # The release is kept with the agreement, and the history says where the record came from.
    document = agreement.documents.get()
    assert document.file.name.endswith(".docx")
    assert ImportedRelease.objects.get(agreement=agreement).document == document
    assert agreement.history.earliest().history_change_reason.startswith("Created from the press release")
    # Nobody new: every person was matched.
    assert Person.objects.filter(full_name_en="Alexey Liulin").count() == 1
    again = _read(client, text=seed_text.replace("\n\n", "\n"))
    assert again.context["existing"].same_release
    assert again.context["existing"].agreement == agreement


def test_updating_fills_only_what_the_agreement_lacks(client, himgrad_editor, seed_text, media_root):
    client.force_login(himgrad_editor)
    stored = Agreement.objects.get(reference="HIM-GOU-001")
    title, version, milestones = stored.title_en, stored.version, stored.milestones.count()
    review = _read(client, text=seed_text)
    response = client.post(reverse("releases:confirm"), review_post_data(review, title="Something else entirely"))
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.title_en == title  # never overwritten
    assert stored.version == version + 1
    assert stored.milestones.count() == milestones
    assert stored.parties.count() == 2
    assert stored.releases.get().created is False
    assert stored.history.latest().history_change_reason.startswith("Updated from the press release")


def test_a_viewer_may_not_import(client, seed_world, seed_text):
    client.force_login(member(Technopolis.objects.get(slug="himgrad"), Membership.Role.VIEWER, username="viktor"))
    assert client.get(reverse("releases:start")).status_code == 403
    assert _read(client, text=seed_text).status_code == 403


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": "   "}, "text", "The release is empty"),
        ({"text": "The weather in Kazan was sunny all week. Nobody signed anything."}, "text", "No agreement found"),
        (
            {"file": SimpleUploadedFile("release.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 400)},
            "file",
            "cannot be opened",
        ),
        ({"file": SimpleUploadedFile("big.txt", b"a" * (5 * 1024 * 1024))}, "file", "too large"),
        ({"file": SimpleUploadedFile("release.exe", b"MZ\x90\x00")}, "file", "cannot be read"),
    ],
    ids=["empty", "no agreement", "binary renamed .docx", "5 MB file", "unknown type"],
)
def test_bad_input_gets_a_message_on_the_form_and_nothing_is_saved(client, himgrad_editor, data, field, message):
    client.force_login(himgrad_editor)
    before = _counts()
    response = client.post(reverse("releases:start"), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert _counts() == before


def test_a_scanned_pdf_is_refused(client, himgrad_editor):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(50, 50, 400, 600, fill=1)  # a page of image, no text layer
    pdf.save()
    client.force_login(himgrad_editor)
    response = client.post(reverse("releases:start"), {"file": SimpleUploadedFile("scan.pdf", buffer.getvalue())})
    assert "no text in it" in " ".join(response.context["form"].errors["file"])


def test_html_is_read_without_its_scripts_and_shown_escaped(client, himgrad_editor, seed_text):
    client.force_login(himgrad_editor)
    paragraphs = seed_text.replace("\n", "</p><p>")
    html = (
        f"<html><head><script>alert('head')</script></head><body><p>{paragraphs}</p>"
        "<script>alert(1)</script><p>&lt;b&gt;Tags in the text&lt;/b&gt;</p></body></html>"
    )
    response = client.post(reverse("releases:start"), {"file": SimpleUploadedFile("release.html", html.encode())})
    page = response.content.decode()
    assert response.status_code == 200
    assert "alert(" not in page
    assert "&lt;b&gt;Tags in the text&lt;/b&gt;" in page
    assert "<b>Tags" not in page


def test_a_refused_confirmation_saves_nothing_and_shows_the_page_again(client, himgrad_editor, seed_text, media_root):
    client.force_login(himgrad_editor)
    review = _read(client, text=seed_text)
    before = _counts()
    data = review_post_data(review, action="create", reference="HIM-GOU-001")  # taken
    response = client.post(reverse("releases:confirm"), data)
    assert response.status_code == 200
    assert "An agreement with this reference exists already." in response.context["form"].errors["reference"]
    assert _counts() == before


def test_a_new_park_needs_an_administrator_and_nothing_is_half_written(client, himgrad_editor, seed_text, media_root):
    client.force_login(himgrad_editor)
    review = _read(client, text=seed_text)
    before = _counts()
    # Gousev unmatched, as if it were new: an editor may not add a park, so nothing is written at all.
    data = review_post_data(
        review,
        action="create",
        reference="HIM-GOU-009",
        **{"parties-1-park": None, "parties-1-new_name": "Technopolis Nova"},
    )
    response = client.post(reverse("releases:confirm"), data)
    assert response.status_code == 200
    assert "only an administrator may add a park" in " ".join(response.context["form"].non_field_errors())
    assert _counts() == before


def test_an_administrator_adds_a_new_park_with_what_the_text_says_of_it(admin_client, seed_world, media_root):
    text = (
        "Technopark Kama Valley and Technopolis «Himgrad» signed a memorandum of cooperation on 14 March 2025 "
        "during the Kazan Digital Week.\n\n"
        "Technopark Kama Valley was established in 2015 in the Republic of Tatarstan. "
        "45 resident companies work there."
    )
    review = admin_client.post(reverse("releases:start"), {"text": text})
    assert review.status_code == 200
    rows = review.context["party_formset"].forms
    assert rows[0]["park"].value() is None and rows[0]["new_name"].value() == "Technopark Kama Valley"
    assert rows[0]["founded_year"].value() == 2015
    assert rows[0]["resident_companies"].value() == 45
    response = admin_client.post(reverse("releases:confirm"), review_post_data(review))
    assert response.status_code == 302, response.context["form"].errors
    park = Technopolis.objects.get(name_en="Technopark Kama Valley")
    assert park.founded_year == 2015 and park.region_en == "Republic of Tatarstan"
    assert park.reported_figures.get().resident_companies == 45
    agreement = Agreement.objects.get(parties__technopolis=park)
    assert agreement.kind == "memorandum"
    assert str(agreement.signed_on) == "2025-03-14"
    assert agreement.signing_event.name_en == "Kazan Digital Week" and agreement.signing_event.city_en == "Kazan"


def test_the_admin_agreement_list_offers_a_press_release(admin_client):
    page = admin_client.get(reverse("admin:agreements_agreement_changelist")).content.decode()
    assert f'href="{reverse("releases:start")}"' in page


def test_one_release_makes_one_agreement_even_confirmed_twice(client, himgrad_editor, seed_text, media_root):
    """Two people confirm the same review: the second is told, and nothing more is written."""
    client.force_login(himgrad_editor)
    review = _read(client, text=seed_text)
    first = client.post(reverse("releases:confirm"), review_post_data(review, action="create", reference="HIM-GOU-002"))
    assert first.status_code == 302
    before = _counts()
    second = client.post(
        reverse("releases:confirm"), review_post_data(review, action="create", reference="HIM-GOU-003")
    )
    assert second.status_code == 200
    assert "has been imported already, as agreement HIM-GOU-002" in " ".join(second.context["form"].non_field_errors())
    assert _counts() == before
