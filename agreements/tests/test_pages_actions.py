"""Editors' actions on an agreement's page (status, milestones, documents) and the protected download."""

import datetime
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agreements.models import Agreement, AgreementDocument, Milestone
from agreements.services import agreement_change_status
from tests import factories
from tests.support.twofactor import verified_login


def messages_after(client, response) -> list[str]:
    return [str(message) for message in client.get(response.url).context["messages"]]


# --- Status -----------------------------------------------------------------------------------


def change_status(client, world, status, current="negotiation"):
    return client.post(
        reverse("agreements:change_status", args=[world.agreement.pk]), {"status": status, "current_status": current}
    )


def test_an_allowed_transition_changes_the_status(editor_client, world):
    Agreement.objects.filter(pk=world.agreement.pk).update(signed_on=datetime.date(2026, 11, 5))

    response = change_status(editor_client, world, "signed")

    assertRedirects(response, reverse("agreements:detail", args=[world.agreement.pk]), fetch_redirect_response=False)
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.SIGNED
    assert messages_after(editor_client, response) == ["AB-001 moved to “signed”."]
    assert world.agreement.history.latest().history_user == world.editor


def test_a_status_button_asks_first_saying_what_is_missing(editor_client, world):
    response = editor_client.get(reverse("agreements:change_status", args=[world.agreement.pk]), {"status": "signed"})

    assertContains(response, "Move AB-001 to “signed”?")
    assertContains(response, "<li>the signing date</li>", html=True)
    assertContains(response, "A manager of one of its parks may move it on without, giving the reason.")
    assertNotContains(response, 'name="override_reason"')
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.NEGOTIATION


def test_signing_needs_a_signing_date_and_every_partys_signatory(editor_client, world):
    world.agreement.parties.filter(technopolis=world.park_b).update(signatory=None)

    response = change_status(editor_client, world, "signed")

    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.NEGOTIATION
    assert messages_after(editor_client, response) == [
        "To be “signed” the agreement needs the signing date, a signatory for every party. Complete it first, "
        "or a manager may move it on without, giving the reason."
    ]


def test_a_manager_moves_it_on_without_the_data_and_the_history_says_why(client, world):
    manager = factories.member(world.park_a, "manager", username="manager")
    client.force_login(manager)
    url = reverse("agreements:change_status", args=[world.agreement.pk])

    form = client.get(url, {"status": "signed"})
    response = client.post(
        url,
        {"status": "signed", "current_status": "negotiation", "override_reason": "Signed at the forum; scan awaited"},
    )

    assertContains(form, 'name="override_reason"')
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.SIGNED
    assert world.agreement.history.latest().history_change_reason == "Signed at the forum; scan awaited"
    page = client.get(response.url)
    assertContains(page, "Reason: Signed at the forum; scan awaited")


def test_an_editor_cannot_override_what_is_missing(editor_client, world):
    response = editor_client.post(
        reverse("agreements:change_status", args=[world.agreement.pk]),
        {"status": "signed", "current_status": "negotiation", "override_reason": "Trust me"},
    )

    assert response.status_code == 400
    assertContains(
        response, "Only a manager of one of its parks, or an administrator, may move it on without.", status_code=400
    )
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.NEGOTIATION


def test_expired_is_offered_and_accepted_only_after_the_end_of_the_term(editor_client, world, today):
    Agreement.objects.filter(pk=world.agreement.pk).update(
        status=Agreement.Status.ACTIVE,
        signed_on=today - datetime.timedelta(days=400),
        effective_from=today - datetime.timedelta(days=400),
        expires_on=today + datetime.timedelta(days=300),
    )
    page = editor_client.get(reverse("agreements:detail", args=[world.agreement.pk]))

    response = change_status(editor_client, world, "expired", current="active")

    assertNotContains(page, "status=expired")
    assertContains(page, "status=terminated")
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.ACTIVE
    assert messages_after(editor_client, response) == [
        f"Not yet “expired”. Its term runs until {(today + datetime.timedelta(days=300)).isoformat()}: "
        "it can expire after that day."
    ]
    Agreement.objects.filter(pk=world.agreement.pk).update(expires_on=today - datetime.timedelta(days=1))
    # In life the term ends as the days pass, and the kept page is kept per day; here the record is
    # moved without history, which a kept page would show only when it is made again (common.page_cache).
    cache.clear()
    assertContains(editor_client.get(reverse("agreements:detail", args=[world.agreement.pk])), "status=expired")
    change_status(editor_client, world, "expired", current="active")
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.EXPIRED


def test_a_transition_the_lifecycle_does_not_allow_is_refused(editor_client, world):
    response = change_status(editor_client, world, "completed")

    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.NEGOTIATION
    assert messages_after(editor_client, response) == [
        "An agreement cannot go from negotiation to completed. From negotiation it can go to: draft, signed."
    ]


def test_a_stale_status_button_is_refused(editor_client, world):
    Agreement.objects.filter(pk=world.agreement.pk).update(status=Agreement.Status.SIGNED)

    # The page was loaded in negotiation; "draft" was one of its buttons.
    response = change_status(editor_client, world, "draft", current="negotiation")

    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.SIGNED
    assert messages_after(editor_client, response) == [
        "Someone changed the agreement's status meanwhile, to “signed”. Nothing was changed."
    ]


def test_an_unknown_status_is_refused(editor_client, world):
    response = change_status(editor_client, world, "approved")

    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.NEGOTIATION
    assert messages_after(editor_client, response) == ["Unknown status."]


def test_leaving_draft_needs_two_stored_parties(editor_client, world):
    Agreement.objects.filter(pk=world.agreement.pk).update(status=Agreement.Status.DRAFT)
    world.agreement.parties.filter(technopolis=world.park_b).delete()

    response = change_status(editor_client, world, "negotiation", current="draft")

    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.DRAFT
    assert messages_after(editor_client, response) == [
        "An agreement in status negotiation needs at least two parties (parks); it has 1."
    ]


def test_the_service_refuses_the_same_status_twice(world):
    with pytest.raises(ValidationError, match="already “negotiation”"):
        agreement_change_status(agreement=world.agreement, new_status="negotiation", user=world.editor)


# --- Milestones -------------------------------------------------------------------------------


def mark_done(client, world, milestone, completed_on=None, note=""):
    day = completed_on or datetime.date.today()
    return client.post(
        reverse("agreements:milestone_done", args=[world.agreement.pk, milestone.pk]),
        {"completed_on": day.isoformat(), "note": note, "version": milestone.version},
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_mark_done_asks_the_day_today_first_and_a_note(editor_client, world, monkeypatch, today, language):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    editor_client.cookies["django_language"] = language

    response = editor_client.get(reverse("agreements:milestone_done", args=[world.agreement.pk, world.milestone.pk]))

    assertContains(response, "Open the joint laboratory")
    # The browser's date picker needs the ISO form, whatever the language.
    assertContains(response, f'value="{today.isoformat()}"')
    assertContains(response, 'name="note"')
    world.milestone.refresh_from_db()
    assert world.milestone.status != Milestone.Status.DONE


def test_marking_a_milestone_done_records_the_day_and_the_note(editor_client, world, monkeypatch, today):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    done_on = today - datetime.timedelta(days=3)

    response = mark_done(editor_client, world, world.milestone, done_on, note="Opened with both rectors")

    world.milestone.refresh_from_db()
    assert (world.milestone.status, world.milestone.completed_on) == (Milestone.Status.DONE, done_on)
    assert world.milestone.completion_note == "Opened with both rectors"
    assert messages_after(editor_client, response) == ["Milestone “Open the joint laboratory” marked done."]
    assertContains(editor_client.get(response.url), "Opened with both rectors")


def test_a_milestone_cannot_be_done_tomorrow(editor_client, world, monkeypatch, today):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)

    response = mark_done(editor_client, world, world.milestone, today + datetime.timedelta(days=1))

    assert response.status_code == 400
    assertContains(response, "A milestone cannot be done on a future day.", status_code=400)
    world.milestone.refresh_from_db()
    assert world.milestone.status != Milestone.Status.DONE


@pytest.mark.parametrize("status", [Milestone.Status.DONE, Milestone.Status.CANCELLED])
def test_a_closed_milestone_is_left_as_it_is(editor_client, world, status):
    completed = datetime.date(2026, 2, 2)
    Milestone.objects.filter(pk=world.milestone.pk).update(status=status, completed_on=completed)

    response = mark_done(editor_client, world, world.milestone)

    world.milestone.refresh_from_db()
    assert (world.milestone.status, world.milestone.completed_on) == (status, completed)
    assert messages_after(editor_client, response) == [f"This milestone is already “{status.label}”."]


def test_the_mark_done_button_shows_for_open_milestones_only(editor_client, world):
    factories.MilestoneFactory(
        agreement=world.agreement, status=Milestone.Status.DONE, completed_on=datetime.date(2026, 2, 2)
    )

    response = editor_client.get(reverse("agreements:detail", args=[world.agreement.pk]))

    assertContains(response, "Mark done<", count=1)


# --- Documents --------------------------------------------------------------------------------


def upload(client, world, name="Протокол встречи.pdf", content=b"%PDF-1.4\n%%EOF\n", **fields):
    data = {"kind": AgreementDocument.Kind.SIGNED_SCAN, "title": "Signed copy", **fields}
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(reverse("agreements:document_upload", args=[world.agreement.pk]), data)


def test_a_valid_pdf_is_uploaded_with_its_name_and_uploader(editor_client, world):
    response = upload(editor_client, world)

    assertRedirects(response, reverse("agreements:detail", args=[world.agreement.pk]), fetch_redirect_response=False)
    document = AgreementDocument.objects.get(title="Signed copy")
    assert (document.original_filename, document.uploaded_by, document.agreement) == (
        "Протокол встречи.pdf",
        world.editor,
        world.agreement,
    )
    assert document.file.name.startswith(f"agreements/{world.agreement.pk}/")
    assert document.file.read() == b"%PDF-1.4\n%%EOF\n"


def test_an_executable_is_refused_with_the_reason(editor_client, world):
    before = AgreementDocument.objects.count()

    response = upload(editor_client, world, name="invoice.exe", content=b"MZ")

    assert response.status_code == 200
    assert "not allowed" in str(response.context["document_form"].errors["file"])
    assertContains(response, "File extension “exe” is not allowed.")
    assertContains(response, "The document was not uploaded; see the reason below.")
    assert AgreementDocument.objects.count() == before


def test_an_oversized_file_is_refused_with_the_reason(editor_client, world, settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    before = AgreementDocument.objects.count()

    response = upload(editor_client, world, content=b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))

    assertContains(response, "The file is 1.0 MB; documents may be at most 1 MB.")
    assert AgreementDocument.objects.count() == before


def test_an_upload_without_a_title_keeps_what_was_typed(editor_client, world):
    response = upload(editor_client, world, title="", kind=AgreementDocument.Kind.ANNEX)

    assert response.context["document_form"].errors["title"] == ["This field is required."]
    assertContains(response, '<option value="annex" selected>')


def test_the_download_returns_the_bytes_under_the_original_name(client, world):
    client.force_login(world.viewer)

    response = client.get(reverse("agreements:document_download", args=[world.agreement.pk, world.document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\nsecret\n%%EOF\n"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('Проект соглашения.pdf')}" in disposition
    assert response["Content-Type"] == "application/pdf"


def test_a_document_whose_file_is_gone_is_not_found(client, world):
    world.document.file.delete(save=False)
    client.force_login(world.viewer)

    response = client.get(reverse("agreements:document_download", args=[world.agreement.pk, world.document.pk]))

    assert response.status_code == 404


def test_the_admin_links_documents_to_the_protected_download(client, world):
    verified_login(client, world.admin)
    download = reverse("agreements:document_download", args=[world.agreement.pk, world.document.pk])

    document_page = client.get(reverse("admin:agreements_agreementdocument_change", args=[world.document.pk]))
    agreement_page = client.get(reverse("admin:agreements_agreement_change", args=[world.agreement.pk]))

    for response in (document_page, agreement_page):
        assertContains(response, f'href="{download}"')
        assertContains(response, "Проект соглашения.pdf")
        assertNotContains(response, 'href="/media/')


def test_a_managers_reason_is_kept_whole_up_to_its_limit_and_a_longer_one_is_refused(client, world):
    client.force_login(factories.member(world.park_a, "manager"))
    url = reverse("agreements:change_status", args=[world.agreement.pk])
    base = {"status": "signed", "current_status": "negotiation"}

    too_long = client.post(url, {**base, "override_reason": "x" * 101})
    kept = client.post(url, {**base, "override_reason": "y" * 100})

    assert too_long.status_code == 400
    assertContains(too_long, "at most 100 characters", status_code=400)
    assert kept.status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.history.latest().history_change_reason == "y" * 100


def test_the_service_refuses_a_reason_longer_than_the_history_keeps(world):
    manager = factories.member(world.park_a, "manager")

    with pytest.raises(ValidationError, match="at most 100 characters"):
        agreement_change_status(agreement=world.agreement, new_status="signed", user=manager, override_reason="z" * 300)
