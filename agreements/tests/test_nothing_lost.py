"""Nothing lost: no silent overwrites, archive instead of delete, documents kept by version, uploads checked."""

import datetime
import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agreements.admin import AgreementAdmin
from agreements.models import Agreement, AgreementDocument, AgreementParty, Milestone
from agreements.validators import validate_document_content, validate_document_size
from tests import factories
from tests.support.agreement_pages import form_values, log_in, page_data
from tests.support.twofactor import verified_login


def edit_url(agreement: Agreement) -> str:
    return reverse("agreements:edit", args=[agreement.pk])


def detail_url(agreement: Agreement) -> str:
    return reverse("agreements:detail", args=[agreement.pk])


def messages_after(client, response) -> list[str]:
    return [str(message) for message in client.get(response["Location"]).context["messages"]]


# --- Two people editing the same agreement in the portal ----------------------------------------


@pytest.fixture
def second_editor(world):
    return log_in(Client(), factories.member(world.park_b, "editor", username="second"))


def test_the_second_of_two_stale_saves_is_refused_naming_what_changed_and_keeping_what_was_typed(
    editor_client, second_editor, world
):
    mine = page_data(editor_client.get(edit_url(world.agreement)))
    theirs = page_data(second_editor.get(edit_url(world.agreement)))
    theirs["title"] = "Beta's better title"
    assert second_editor.post(edit_url(world.agreement), theirs).status_code == 302

    mine["subject"] = "What I typed meanwhile"
    response = editor_client.post(edit_url(world.agreement), mine)

    assert response.status_code == 200
    assertContains(response, "Someone else (second) saved this record after you opened it")
    assertContains(response, "Alpha and Beta joint laboratory")  # the title when I opened the form
    stale = response.context["stale"]
    assert [(change.field, change.after) for change in stale.changes] == [("title", "Beta's better title")]
    assert response.context["form"]["subject"].value() == "What I typed meanwhile"
    world.agreement.refresh_from_db()
    assert (world.agreement.title, world.agreement.subject, world.agreement.version) == ("Beta's better title", "", 2)


def test_saving_again_after_a_refused_stale_save_keeps_the_other_persons_change(editor_client, second_editor, world):
    mine = page_data(editor_client.get(edit_url(world.agreement)))
    theirs = page_data(second_editor.get(edit_url(world.agreement)))
    theirs["title"] = "Beta's better title"
    second_editor.post(edit_url(world.agreement), theirs)
    mine["subject"] = "What I typed meanwhile"
    refused = editor_client.post(edit_url(world.agreement), mine)

    # Shown again with their title (I had not touched it), my subject and the current version.
    form = refused.context["form"]
    assert (form["title"].value(), form["subject"].value(), form["version"].value()) == (
        "Beta's better title",
        "What I typed meanwhile",
        "2",
    )
    assertContains(refused, "Their changes are now in the form, with yours: check it and save again.")
    response = editor_client.post(edit_url(world.agreement), page_data(refused))

    assertRedirects(response, detail_url(world.agreement), fetch_redirect_response=False)
    world.agreement.refresh_from_db()
    assert (world.agreement.title, world.agreement.subject, world.agreement.version) == (
        "Beta's better title",
        "What I typed meanwhile",
        3,
    )


def test_a_field_both_changed_shows_both_values_and_keeps_mine_until_i_save_again(editor_client, second_editor, world):
    mine = page_data(editor_client.get(edit_url(world.agreement)))
    theirs = page_data(second_editor.get(edit_url(world.agreement)))
    theirs.update(title="Beta's better title", expires_on="2029-12-31")
    second_editor.post(edit_url(world.agreement), theirs)
    mine.update(title="Alpha's better title", expires_on="2029-12-31")

    refused = editor_client.post(edit_url(world.agreement), mine)

    assert [(c.label, c.theirs, c.mine) for c in refused.context["conflicts"]] == [
        ("Title (English)", "Beta's better title", "Alpha's better title")
    ]
    text = html.unescape(refused.content.decode())
    panel = text[text.index('id="edit-conflicts"') :]
    assert "You both changed these fields." in panel
    assert panel.index("Beta's better title") < panel.index("Alpha's better title")
    assert refused.context["form"]["title"].value() == "Alpha's better title"
    assert refused.context["form"].errors["title"] == [
        "Saved meanwhile as “Beta's better title”. Your value is kept here: save again to keep it, or change it."
    ]
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Beta's better title"  # nothing of mine saved until I choose

    assert editor_client.post(edit_url(world.agreement), page_data(refused)).status_code == 302
    world.agreement.refresh_from_db()
    assert (world.agreement.title, world.agreement.version) == ("Alpha's better title", 3)


def test_sectors_changed_meanwhile_are_shown_beside_mine_as_their_earlier_choice_is_not_recorded(
    editor_client, second_editor, world
):
    sector = factories.SectorFactory(name="Biotechnology")
    mine = page_data(editor_client.get(edit_url(world.agreement)))
    theirs = page_data(second_editor.get(edit_url(world.agreement)))
    theirs["sectors"] = [str(sector.pk)]
    second_editor.post(edit_url(world.agreement), theirs)
    mine["subject"] = "What I typed meanwhile"

    refused = editor_client.post(edit_url(world.agreement), mine)

    assert [(c.label, c.theirs, c.mine) for c in refused.context["conflicts"]] == [
        ("Cooperation areas", "Biotechnology", "—")
    ]
    assertContains(refused, "What the form showed when you opened it is not recorded for this field")
    assert refused.context["form"]["subject"].value() == "What I typed meanwhile"


def test_a_stale_save_in_russian_merges_the_title_in_both_languages(editor_client, second_editor, world):
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    mine = page_data(editor_client.get(edit_url(world.agreement)))
    theirs = page_data(second_editor.get(edit_url(world.agreement)))
    theirs["title_ru"] = "Лаборатория Альфы и Беты"
    second_editor.post(edit_url(world.agreement), theirs)
    mine["subject"] = "Предмет"

    refused = editor_client.post(edit_url(world.agreement), mine)
    assert refused.context["form"]["title"].value() == "Лаборатория Альфы и Беты"  # the Russian title, first
    assertContains(refused, "Их изменения теперь в форме вместе с вашими: проверьте её и сохраните снова.")
    editor_client.post(edit_url(world.agreement), page_data(refused))

    world.agreement.refresh_from_db()
    assert (world.agreement.title_en, world.agreement.title_ru, world.agreement.subject) == (
        "Alpha and Beta joint laboratory",
        "Лаборатория Альфы и Беты",
        "Предмет",
    )


def test_a_milestone_renamed_meanwhile_keeps_its_new_name_when_the_refused_form_is_saved_again(
    editor_client, second_editor, world
):
    mine = page_data(editor_client.get(edit_url(world.agreement)))
    theirs = page_data(second_editor.get(edit_url(world.agreement)))
    theirs["milestones-0-title"] = "Open the joint laboratory in March"
    second_editor.post(edit_url(world.agreement), theirs)
    mine["milestones-0-due_on"] = "2027-05-31"

    refused = editor_client.post(edit_url(world.agreement), mine)
    assert refused.status_code == 200
    editor_client.post(edit_url(world.agreement), page_data(refused))

    world.milestone.refresh_from_db()
    assert (world.milestone.title, world.milestone.due_on.isoformat(), world.milestone.version) == (
        "Open the joint laboratory in March",
        "2027-05-31",
        3,
    )


def test_a_milestone_ticked_off_meanwhile_is_not_overwritten_by_the_edit_form(editor_client, second_editor, world):
    mine = page_data(editor_client.get(edit_url(world.agreement)))
    response = second_editor.post(
        reverse("agreements:milestone_done", args=[world.agreement.pk, world.milestone.pk]),
        {"completed_on": datetime.date.today().isoformat()},
    )
    assert response.status_code == 302

    mine["milestones-0-title"] = "Open the joint laboratory in March"
    response = editor_client.post(edit_url(world.agreement), mine)

    assert response.status_code == 200
    labels = [change.label for change in response.context["stale"].changes]
    assert "Milestone “Open the joint laboratory”: status" in labels
    assert response.context["milestones"].forms[0]["title"].value() == "Open the joint laboratory in March"
    world.milestone.refresh_from_db()
    assert (world.milestone.title, world.milestone.status) == ("Open the joint laboratory", Milestone.Status.DONE)


def test_saving_an_agreement_bumps_its_version_and_that_of_the_changed_milestones_only(editor_client, world):
    other = factories.MilestoneFactory(agreement=world.agreement, title="Later", due_on="2027-09-01")
    data = page_data(editor_client.get(edit_url(world.agreement)))
    index = next(i for i in range(3) if data.get(f"milestones-{i}-id") == world.milestone.pk)
    data[f"milestones-{index}-title"] = "Renamed"

    editor_client.post(edit_url(world.agreement), data)

    world.agreement.refresh_from_db()
    world.milestone.refresh_from_db()
    other.refresh_from_db()
    assert (world.agreement.version, world.milestone.version, other.version) == (2, 2, 1)


def test_mark_done_with_a_stale_version_is_refused_and_changes_nothing(editor_client, world):
    world.milestone.title = "Renamed by someone"
    world.milestone.version = 2
    world.milestone.save()

    response = editor_client.post(
        reverse("agreements:milestone_done", args=[world.agreement.pk, world.milestone.pk]),
        {"version": "1", "completed_on": datetime.date.today().isoformat()},
    )

    assert "saved this record after you opened it" in messages_after(editor_client, response)[0]
    world.milestone.refresh_from_db()
    assert world.milestone.status == Milestone.Status.PLANNED


def test_the_mark_done_form_carries_the_milestone_version(editor_client, world):
    response = editor_client.get(reverse("agreements:milestone_done", args=[world.agreement.pk, world.milestone.pk]))

    assertContains(response, f'<input type="hidden" name="version" value="{world.milestone.version}"')


# --- The same in admin --------------------------------------------------------------------------


@pytest.fixture
def two_admins(world):
    first, second = Client(), Client()
    verified_login(first, world.admin)
    verified_login(second, factories.SuperuserFactory(username="deputy"))
    return first, second


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def admin_page_data(response) -> dict[str, object]:
    """What an admin page posts back unchanged: its form, inline forms and management forms."""
    data = form_values(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        data.update(form_values(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(form_values(form))
    return data


def test_a_stale_agreement_save_in_admin_is_refused_with_the_changes_and_keeps_the_typed_values(two_admins, world):
    first, second = two_admins
    url = admin_url(Agreement, "change", world.agreement.pk)
    mine, theirs = admin_page_data(first.get(url)), admin_page_data(second.get(url))
    theirs["title"] = "Deputy's title"
    assert second.post(url, theirs).status_code == 302

    mine["subject"] = "Typed by the first admin"
    response = first.post(url, mine)

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Someone else (deputy) saved this record after you opened it" in errors
    assert "title: Alpha and Beta joint laboratory → Deputy's title" in errors
    assert response.context["adminform"].form["subject"].value() == "Typed by the first admin"
    world.agreement.refresh_from_db()
    assert (world.agreement.title, world.agreement.subject, world.agreement.version) == ("Deputy's title", "", 2)


def test_saving_again_after_a_stale_admin_save_keeps_the_other_admins_change(two_admins, world):
    first, second = two_admins
    url = admin_url(Agreement, "change", world.agreement.pk)
    mine, theirs = admin_page_data(first.get(url)), admin_page_data(second.get(url))
    theirs["title"] = "Deputy's title"
    theirs["milestones-0-title"] = "Deputy's milestone"
    assert second.post(url, theirs).status_code == 302
    mine["subject"] = "Typed by the first admin"
    mine["milestones-0-due_on"] = "2027-05-31"

    refused = first.post(url, mine)

    assert refused.status_code == 200
    assertContains(refused, "Their changes are now in the form, with yours: check it and save again.")
    form = refused.context["adminform"].form
    assert (form["title"].value(), form["version"].value()) == ("Deputy's title", "2")
    response = first.post(url, admin_page_data(refused))

    assert response.status_code == 302
    world.agreement.refresh_from_db()
    world.milestone.refresh_from_db()
    assert (world.agreement.title, world.agreement.subject) == ("Deputy's title", "Typed by the first admin")
    assert (world.milestone.title, world.milestone.due_on.isoformat()) == ("Deputy's milestone", "2027-05-31")


def test_a_field_both_admins_changed_is_shown_side_by_side_in_admin(two_admins, world):
    first, second = two_admins
    url = admin_url(Milestone, "change", world.milestone.pk)
    mine, theirs = admin_page_data(first.get(url)), admin_page_data(second.get(url))
    theirs["description"] = "The deputy's description"
    assert second.post(url, theirs).status_code == 302
    mine["description"] = "My description"

    refused = first.post(url, mine)

    text = html.unescape(refused.content.decode())
    panel = text[text.index('id="edit-conflicts"') :]
    assert panel.index("The deputy's description") < panel.index("My description")
    assert "Saved meanwhile as “The deputy's description”. Your value is kept here" in text
    assert refused.context["adminform"].form["description"].value() == "My description"

    assert first.post(url, admin_page_data(refused)).status_code == 302
    world.milestone.refresh_from_db()
    assert (world.milestone.description, world.milestone.version) == ("My description", 3)


def test_a_stale_milestone_save_in_admin_is_refused(two_admins, world):
    first, second = two_admins
    url = admin_url(Milestone, "change", world.milestone.pk)
    mine, theirs = admin_page_data(first.get(url)), admin_page_data(second.get(url))
    theirs["title"] = "Deputy's milestone"
    assert second.post(url, theirs).status_code == 302

    mine["description"] = "Typed by the first admin"
    response = first.post(url, mine)

    assert response.status_code == 200
    assert "title: Open the joint laboratory → Deputy's milestone" in " ".join(
        response.context["adminform"].form.non_field_errors()
    )
    world.milestone.refresh_from_db()
    assert (world.milestone.description, world.milestone.version) == ("", 2)


def test_reverting_to_an_earlier_version_in_admin_is_not_taken_for_a_stale_save(two_admins, world):
    first, _ = two_admins
    url = admin_url(Agreement, "change", world.agreement.pk)
    data = admin_page_data(first.get(url))
    data["title"] = "Changed"
    first.post(url, data)
    original = world.agreement.history.order_by("history_id").first()

    revert_url = admin_url(Agreement, "simple_history", world.agreement.pk, original.history_id)
    response = first.post(revert_url, admin_page_data(first.get(revert_url)))

    assert response.status_code == 302
    world.agreement.refresh_from_db()
    assert (world.agreement.title, world.agreement.version) == ("Alpha and Beta joint laboratory", 3)


# --- Archive instead of delete ------------------------------------------------------------------


def archive(client, agreement: Agreement):
    return client.post(reverse("agreements:archive", args=[agreement.pk]))


def test_an_editor_archives_an_agreement_and_its_page_says_when_and_by_whom(editor_client, world):
    response = archive(editor_client, world.agreement)

    assertRedirects(response, detail_url(world.agreement), fetch_redirect_response=False)
    world.agreement.refresh_from_db()
    assert world.agreement.archived_by == world.editor and world.agreement.archived_at is not None
    page = editor_client.get(detail_url(world.agreement))
    assertContains(page, 'id="archived-banner"')
    assertContains(page, "by editor")
    assertContains(page, reverse("agreements:restore", args=[world.agreement.pk]))


def test_archived_agreements_are_left_out_of_lists_and_exports_unless_asked_for(editor_client, world):
    messages_after(editor_client, archive(editor_client, world.agreement))  # read, so the list shows none
    lists = reverse("agreements:list")

    assertNotContains(editor_client.get(lists), "AB-001")
    assertNotContains(editor_client.get(reverse("exchange:export", args=["agreements", "csv"])), "AB-001")
    assertNotContains(editor_client.get(reverse("agreements:milestones")), "Open the joint laboratory")
    assertContains(editor_client.get(lists, {"archived": "yes"}), "AB-001")
    assertNotContains(editor_client.get(lists, {"archived": "yes"}), "BC-002")
    assertContains(editor_client.get(lists, {"archived": "all"}), "AB-001")
    assertContains(
        editor_client.get(reverse("exchange:export", args=["agreements", "csv"]), {"archived": "all"}), "AB-001"
    )
    assertContains(
        editor_client.get(reverse("agreements:milestones"), {"archived": "yes"}), "Open the joint laboratory"
    )


def test_a_restored_agreement_is_back_in_the_list(editor_client, world):
    messages_after(editor_client, archive(editor_client, world.agreement))  # read, so the list shows none

    response = editor_client.post(reverse("agreements:restore", args=[world.agreement.pk]))

    assert messages_after(editor_client, response) == ["Agreement AB-001 restored."]
    world.agreement.refresh_from_db()
    assert (world.agreement.archived_at, world.agreement.archived_by) == (None, None)
    assertContains(editor_client.get(reverse("agreements:list")), "AB-001")


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("viewer", 403), ("outsider", 404), ("admin", 302)])
@pytest.mark.parametrize("action", ["archive", "restore"])
def test_who_may_archive_and_restore(client, world, role, expected, action):
    if action == "restore":
        Agreement.objects.filter(pk=world.agreement.pk).update(archived_at="2026-05-01T10:00Z")
    before = Agreement.objects.values_list("archived_at", flat=True).get(pk=world.agreement.pk)

    response = log_in(client, world.user(role)).post(reverse(f"agreements:{action}", args=[world.agreement.pk]))

    assert response.status_code == expected
    after = Agreement.objects.values_list("archived_at", flat=True).get(pk=world.agreement.pk)
    assert (after == before) == (role != "admin")
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_archiving_twice_says_so_and_changes_nothing(editor_client, world):
    messages_after(editor_client, archive(editor_client, world.agreement))  # read, so the list shows none
    world.agreement.refresh_from_db()

    response = archive(editor_client, world.agreement)

    assert messages_after(editor_client, response) == ["The agreement is already archived."]
    assert Agreement.objects.get(pk=world.agreement.pk).archived_at == world.agreement.archived_at


def test_staff_who_are_not_superusers_cannot_delete_agreements_in_admin(world):
    staff = factories.UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__endswith="_agreement"))
    request = RequestFactory().get("/admin/")
    request.user = staff
    model_admin = AgreementAdmin(Agreement, admin.site)

    assert model_admin.has_delete_permission(request, world.agreement) is False
    request.user = world.admin
    assert model_admin.has_delete_permission(request, world.agreement) is True


def test_a_superuser_cannot_delete_an_agreement_with_milestones_and_documents(two_admins, world):
    first, _ = two_admins

    response = first.post(admin_url(Agreement, "delete", world.agreement.pk), {"post": "yes"})

    assert response.status_code == 200
    assertContains(response, "would require deleting the following protected related objects")
    assert Agreement.objects.filter(pk=world.agreement.pk).exists()


# --- Documents: a new upload is a new version ---------------------------------------------------


def upload(client, agreement, *, name="Протокол.pdf", content=b"%PDF-1.4\nv2\n%%EOF\n", **fields):
    data = {"kind": AgreementDocument.Kind.DRAFT, "title": "Draft text", **fields}
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(reverse("agreements:document_upload", args=[agreement.pk]), data)


def test_a_new_version_keeps_the_old_file_downloadable_and_unchanged_on_disk(editor_client, world, settings):
    old = world.document
    old_path = Path(settings.MEDIA_ROOT) / old.file.name
    old_bytes = old_path.read_bytes()

    response = upload(editor_client, world.agreement, supersedes=old.pk)

    assert response.status_code == 302
    new = AgreementDocument.objects.get(supersedes=old)
    assert new.file.name != old.file.name
    assert old_path.read_bytes() == old_bytes
    old.refresh_from_db()
    assert old.file.name == str(old_path.relative_to(settings.MEDIA_ROOT))
    download = editor_client.get(reverse("agreements:document_download", args=[world.agreement.pk, old.pk]))
    assert b"".join(download.streaming_content) == old_bytes
    page = editor_client.get(detail_url(world.agreement))
    assertContains(page, "version 2")
    assertContains(page, "Earlier versions:")
    assert [versions.latest for versions in page.context["page"].documents] == [new]
    assert page.context["page"].documents[0].earlier == [old]


def test_only_the_latest_version_can_be_superseded(editor_client, world):
    upload(editor_client, world.agreement, supersedes=world.document.pk)

    response = upload(editor_client, world.agreement, supersedes=world.document.pk, title="Another")

    assert response.status_code == 200
    assert "supersedes" in response.context["document_form"].errors
    assert AgreementDocument.objects.filter(title="Another").count() == 0


def test_a_document_of_another_agreement_cannot_be_superseded(editor_client, world):
    other = factories.AgreementDocumentFactory(agreement=world.public)

    response = upload(editor_client, world.agreement, supersedes=other.pk)

    assert response.status_code == 200
    assert "supersedes" in response.context["document_form"].errors


def test_the_admin_never_replaces_the_file_of_a_stored_document(two_admins, world, settings):
    first, _ = two_admins
    url = admin_url(AgreementDocument, "change", world.document.pk)
    stored_name = world.document.file.name
    data = admin_page_data(first.get(url))
    data["file"] = SimpleUploadedFile("replacement.pdf", b"%PDF-1.4\nreplaced\n%%EOF\n")
    data["title"] = "Renamed"

    response = first.post(url, data)

    assert response.status_code == 302
    world.document.refresh_from_db()
    assert (world.document.title, world.document.file.name) == ("Renamed", stored_name)
    assert b"replaced" not in (Path(settings.MEDIA_ROOT) / stored_name).read_bytes()


# --- Uploads checked by content -----------------------------------------------------------------


def office_zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = office_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = office_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = office_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", b"%PDF-1.7\n%%EOF\n"),
        ("text.docx", DOCX),
        ("table.xlsx", XLSX),
        ("text.odt", ODT),
        ("old.doc", OLE + "WordDocument".encode("utf-16-le")),
        ("old.xls", OLE + "Workbook".encode("utf-16-le")),
        ("letter.rtf", b"{\\rtf1\\ansi hello}"),
        ("photo.png", PNG),
        ("photo.JPG", JPEG),
        ("photo.jpeg", JPEG),
    ],
)
def test_documents_of_the_allowed_types_pass(name, content):
    validate_document_content(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # a program renamed
        ("scan.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("text.docx", XLSX),  # a spreadsheet named as a text
        ("text.docx", office_zip({"payload.js": b"alert(1)"})),
        ("text.odt", office_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
        ("old.doc", OLE + "Workbook".encode("utf-16-le")),
        ("photo.png", JPEG),
        ("photo.jpg", b"%PDF-1.7\n"),
        ("letter.rtf", b"plain text"),
    ],
)
def test_content_that_does_not_match_the_name_is_refused(name, content):
    with pytest.raises(ValidationError) as error:
        validate_document_content(SimpleUploadedFile(name, content))

    assert error.value.code == "content_mismatch"


@given(content=st.binary(max_size=2048))
@hypothesis_settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_bytes_pass_as_a_pdf_only_when_they_start_like_one(content):
    try:
        validate_document_content(SimpleUploadedFile("any.pdf", content))
    except ValidationError:
        accepted = False
    else:
        accepted = True
    assert accepted == content.startswith(b"%PDF")


def test_an_executable_renamed_to_pdf_is_refused_on_the_file_field_and_nothing_is_stored(editor_client, world):
    before = AgreementDocument.objects.count()

    response = upload(editor_client, world.agreement, name="invoice.pdf", content=b"MZ\x90\x00" + b"\x00" * 64)

    assert response.status_code == 200
    errors = response.context["document_form"].errors["file"]
    assert errors == [
        "The file's content is not a PDF document, as its name says. "
        "Upload PDF, Word, Excel, OpenDocument, RTF, PNG or JPEG files with their usual extension."
    ]
    assert AgreementDocument.objects.count() == before


def test_an_html_page_named_pdf_is_refused_in_admin_too(two_admins, world):
    first, _ = two_admins
    html_page = SimpleUploadedFile("scan.pdf", b"<html><body>hello</body></html>")

    response = first.post(
        admin_url(AgreementDocument, "add"),
        {"agreement": world.agreement.pk, "kind": AgreementDocument.Kind.OTHER, "title": "Scan", "file": html_page},
    )

    assert response.status_code == 200
    assert "is not a PDF document" in " ".join(response.context["adminform"].form.errors["file"])
    assert not AgreementDocument.objects.filter(title="Scan").exists()


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1

    with pytest.raises(ValidationError, match="at most 1 MB"):
        validate_document_size(SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (1024 * 1024)))


def test_the_stored_name_contains_nothing_of_the_uploaded_name(editor_client, world):
    upload(editor_client, world.agreement, name="Secret plans of Alpha.pdf", title="Plans")

    stored = AgreementDocument.objects.get(title="Plans").file.name

    assert re.fullmatch(rf"agreements/{world.agreement.pk}/[0-9a-f]{{32}}\.pdf", stored)
    assert not any(part in stored.lower() for part in ("secret", "plans", "alpha"))


def test_uploaded_files_are_not_served_under_media(editor_client, world):
    response = editor_client.get(f"/media/{world.document.file.name}")

    assert response.status_code == 404


def test_archiving_and_restoring_show_in_the_change_history_without_version_numbers(editor_client, world):
    messages_after(editor_client, archive(editor_client, world.agreement))
    cache.clear()  # the page made afresh, not its kept body (common.page_cache), to read its context

    page = editor_client.get(detail_url(world.agreement))

    changes = [(change.label, change.new) for entry in page.context["page"].history for change in entry.changes]
    assert ("archived by", world.editor) in changes
    assert not [label for label, _ in changes if label == "version"]


def test_a_stale_party_save_in_admin_is_refused(two_admins, world):
    first, second = two_admins
    party = world.agreement.parties.get(technopolis=world.park_a)
    url = admin_url(AgreementParty, "change", party.pk)
    mine, theirs = admin_page_data(first.get(url)), admin_page_data(second.get(url))
    theirs["role"] = "host"
    assert second.post(url, theirs).status_code == 302

    mine["role"] = "initiator"
    response = first.post(url, mine)

    assert response.status_code == 200
    assert "role: — → host" in " ".join(response.context["adminform"].form.non_field_errors())
    party.refresh_from_db()
    assert (party.role, party.version) == ("host", 2)


def test_editing_a_milestone_inline_on_the_agreement_admin_page_moves_both_versions(two_admins, world):
    first, _ = two_admins
    url = admin_url(Agreement, "change", world.agreement.pk)
    data = admin_page_data(first.get(url))
    data["milestones-0-title"] = "Renamed in admin"

    assert first.post(url, data).status_code == 302

    world.agreement.refresh_from_db()
    world.milestone.refresh_from_db()
    assert (world.agreement.version, world.milestone.title, world.milestone.version) == (2, "Renamed in admin", 2)
