"""Importing records from CSV and XLSX: the preview row by row, then everything or nothing."""

import datetime
import logging

import pytest

from agreements.models import Agreement, AgreementParty, Milestone
from exchange.services import import_apply, import_preview
from parks.models import Membership
from residents.models import IntellectualProperty, KnowHow, Product, ResidentCompany
from residents.validators import complete_inn
from tests import factories
from tests.support.logs import log_events
from tests.support.spreadsheets import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

COMPANY_HEADER = ["INN", "Name", "Park", "Legal form", "Resident since"]


@pytest.fixture
def park():
    return factories.TechnopolisFactory(name="Himgrad", short_name="", slug="himgrad")


@pytest.fixture
def editor(park):
    return factories.member(park, Membership.Role.EDITOR)


def _file(tmp_path, content: bytes, name: str = "records.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _preview(user, kind, path):
    return import_preview(user=user, kind=kind, path=path, filename=path.name)


def _apply(user, kind, path):
    return import_apply(user=user, kind=kind, path=path, filename=path.name)


def _actions(report):
    return [(row.line, row.action) for row in report.rows]


def test_preview_lists_each_row_as_create_update_unchanged_or_error_and_writes_nothing(tmp_path, park, editor):
    changed = factories.ResidentCompanyFactory(technopolis=park, name="Old name", legal_form="ooo")
    same = factories.ResidentCompanyFactory(technopolis=park, name="Same", legal_form="ooo", residency_start=None)
    new_inn = complete_inn("165500001")
    path = _file(
        tmp_path,
        csv_bytes(
            [
                COMPANY_HEADER,
                [new_inn, "Sintez", "Himgrad", "ooo", "2024-01-15"],
                [changed.inn, "New name", "himgrad", "ooo", "2020-01-01"],
                [same.inn, "Same", "Himgrad", "ooo", ""],
                ["1655000000", "Typo", "Himgrad", "ooo", ""],
                [complete_inn("165500002"), "Late", "Himgrad", "ooo", "15.13.2024"],
            ]
        ),
    )

    report = _preview(editor, "companies", path)

    assert _actions(report) == [(2, "create"), (3, "update"), (4, "unchanged"), (5, "error"), (6, "error")]
    assert report.rows[1].changed == ["Name"]
    assert report.rows[3].errors == [("INN", "This INN's check digits are wrong: please check for a typo.")]
    assert report.rows[4].errors[0][0] == "Resident since"
    assert "is not a date" in report.rows[4].errors[0][1]
    assert not ResidentCompany.objects.filter(inn=new_inn).exists()
    changed.refresh_from_db()
    assert changed.name == "Old name"


def test_confirmed_import_writes_every_row_bumps_versions_and_history_names_the_importer(tmp_path, park, editor):
    stored = factories.ResidentCompanyFactory(technopolis=park, name="Old name")
    new_inn = complete_inn("165500003")
    path = _file(
        tmp_path,
        csv_bytes(
            [COMPANY_HEADER, [new_inn, "Sintez", "Himgrad", "", ""], [stored.inn, "New name", "Himgrad", "", ""]]
        ),
    )

    report = _apply(editor, "companies", path)

    assert not report.has_errors
    assert report.counts["create"] == 1 and report.counts["update"] == 1
    created = ResidentCompany.objects.get(inn=new_inn)
    assert created.technopolis == park and created.name == "Sintez"
    stored.refresh_from_db()
    assert (stored.name, stored.version) == ("New name", 2)
    assert created.history.get().history_user == editor
    assert stored.history.latest().history_user == editor


def test_one_bad_row_means_nothing_is_written(tmp_path, park, editor):
    stored = factories.ResidentCompanyFactory(technopolis=park, name="Old name")
    good = complete_inn("165500004")
    path = _file(
        tmp_path,
        csv_bytes(
            [
                COMPANY_HEADER,
                [good, "Good", "Himgrad", "", ""],
                [stored.inn, "Renamed", "Himgrad", "", ""],
                ["123", "Bad", "Himgrad", "", ""],
            ]
        ),
    )

    report = _apply(editor, "companies", path)

    assert report.has_errors
    assert report.rows[2].errors[0][0] == "INN"
    assert not ResidentCompany.objects.filter(inn=good).exists()
    stored.refresh_from_db()
    assert (stored.name, stored.version) == ("Old name", 1)


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path, park, editor):
    path = _file(
        tmp_path,
        csv_bytes([COMPANY_HEADER, [complete_inn("165500005"), "Sintez", "Himgrad", "ooo", "2024-01-15"]]),
    )
    _apply(editor, "companies", path)
    company = ResidentCompany.objects.get()
    history_rows = company.history.count()

    report = _apply(editor, "companies", path)

    assert _actions(report) == [(2, "unchanged")]
    company.refresh_from_db()
    assert company.version == 1
    assert company.history.count() == history_rows


def test_an_editor_imports_only_into_parks_they_edit(tmp_path, park, editor):
    other = factories.TechnopolisFactory(name="Gousev", short_name="", slug="gousev")
    theirs = factories.ResidentCompanyFactory(technopolis=other, name="Theirs")
    path = _file(
        tmp_path,
        csv_bytes(
            [
                COMPANY_HEADER,
                [complete_inn("165500006"), "New in their park", "Gousev", "", ""],
                [theirs.inn, "Taken over", "Himgrad", "", ""],
            ]
        ),
    )

    report = _apply(editor, "companies", path)

    assert [row.errors for row in report.rows] == [
        [("Park", "You may not edit records of Gousev.")],
        [("Park", "You may not edit records of Gousev.")],
    ]
    assert ResidentCompany.objects.count() == 1


def test_xlsx_rows_import_like_csv_rows_with_dates_and_numbers_as_excel_stores_them(tmp_path, park, editor):
    company = factories.ResidentCompanyFactory(technopolis=park)
    content = xlsx_bytes(
        [
            ["Company INN", "Name", "Year launched", "Description"],
            [int(company.inn), "Polymer X", 2025, '=HYPERLINK("http://evil")'],
        ]
    )
    path = _file(tmp_path, content, "products.xlsx")

    report = _apply(editor, "products", path)

    assert _actions(report) == [(2, "create")]
    product = Product.objects.get()
    assert (product.company, product.name, product.year_launched) == (company, "Polymer X", 2025)


def test_ip_records_and_know_how_are_keyed_by_number_and_by_company_and_title(tmp_path, park, editor):
    company = factories.ResidentCompanyFactory(technopolis=park)
    ip_path = _file(
        tmp_path,
        csv_bytes(
            [
                ["Kind", "Registration number", "Company INN", "Title", "Registered on", "Expires on"],
                ["invention patent", "RU2799001", company.inn, "Catalyst", "2024-01-01", "2023-01-01"],
                ["trademark", "TM-1", company.inn, "Brand", "2024-01-01", ""],
            ]
        ),
        "ip.csv",
    )
    report = _preview(editor, "ip", ip_path)
    assert report.rows[0].errors == [("Expires on", "Protection must expire after registration.")]
    assert report.rows[1].action == "create"

    know_how_path = _file(
        tmp_path,
        csv_bytes([["Company INN", "Title", "Confidentiality"], [company.inn, "Process", "trade secret"]]),
        "kh.csv",
    )
    _apply(editor, "know-how", know_how_path)
    assert KnowHow.objects.get().confidentiality == KnowHow.Confidentiality.TRADE_SECRET
    assert _actions(_apply(editor, "know-how", know_how_path)) == [(2, "unchanged")]
    assert not IntellectualProperty.objects.exists()


def test_agreements_import_with_their_parties_under_the_lifecycle_rules(tmp_path, park, editor):
    partner = factories.TechnopolisFactory(name="Gousev", short_name="", slug="gousev")
    header = ["Reference", "Title", "Status", "Parties", "Signed on", "Effective from", "Expires on"]
    path = _file(
        tmp_path,
        csv_bytes(
            [
                header,
                ["AGR-1", "Cooperation", "signed", "Himgrad; Gousev", "2026-06-18", "2026-06-18", "2029-06-18"],
                ["AGR-2", "Alone", "signed", "Himgrad", "", "", ""],
                ["AGR-3", "Not ours", "draft", "Gousev", "", "", ""],
            ]
        ),
    )

    report = _preview(editor, "agreements", path)
    assert report.rows[0].action == "create"
    assert report.rows[1].errors == [
        ("Parties", "An agreement in status signed needs at least two parties (parks); it has 1.")
    ]
    assert report.rows[2].errors == [("Parties", "One of the parties must be a park you edit.")]

    ok_path = _file(
        tmp_path,
        csv_bytes(
            [header, ["AGR-1", "Cooperation", "signed", "Himgrad; Gousev", "2026-06-18", "2026-06-18", "2029-06-18"]]
        ),
        "ok.csv",
    )
    _apply(editor, "agreements", ok_path)
    agreement = Agreement.objects.get(reference="AGR-1")
    assert set(agreement.parties.values_list("technopolis__name", flat=True)) == {"Himgrad", "Gousev"}
    assert agreement.signed_on == datetime.date(2026, 6, 18)
    assert _actions(_apply(editor, "agreements", ok_path)) == [(2, "unchanged")]

    backwards = _file(
        tmp_path, csv_bytes([["Reference", "Title", "Status"], ["AGR-1", "Cooperation", "draft"]]), "b.csv"
    )
    report = _apply(editor, "agreements", backwards)
    assert report.rows[0].errors[0][0] == "Status"
    assert "cannot go from signed to draft" in report.rows[0].errors[0][1]
    assert AgreementParty.objects.filter(agreement=agreement, technopolis=partner).exists()


def test_a_status_changed_by_import_writes_the_portal_s_log_event_and_history(tmp_path, park, editor, caplog):
    agreement = factories.agreement_with_parties(park, factories.TechnopolisFactory(), reference="AGR-1")
    row = ["AGR-1", agreement.title, "negotiation"]
    moved_on = _file(tmp_path, csv_bytes([["Reference", "Title", "Status"], row]))
    caplog.set_level(logging.INFO, logger="portal.agreements")

    assert _actions(_apply(editor, "agreements", moved_on)) == [(2, "update")]

    [event] = log_events(caplog, "agreement_status_changed")
    assert (event.agreement_id, event.from_status, event.to_status, event.user_id) == (
        agreement.pk,
        "draft",
        "negotiation",
        editor.pk,
    )
    # One change in the history, as when the status changes in the portal.
    [before, after] = agreement.history.order_by("history_id")
    assert (before.status, before.version) == ("draft", 1)
    assert (after.status, after.version, after.history_user) == ("negotiation", 2, editor)


def test_an_agreement_leaves_draft_by_import_with_its_second_party_on_the_same_row(tmp_path, park, editor, caplog):
    factories.TechnopolisFactory(name="Gousev", short_name="", slug="gousev")
    agreement = factories.agreement_with_parties(park, reference="AGR-1")
    row = ["AGR-1", "Cooperation", "negotiation", "Himgrad; Gousev"]
    path = _file(tmp_path, csv_bytes([["Reference", "Title", "Status", "Parties"], row]))
    caplog.set_level(logging.INFO, logger="portal.agreements")

    _apply(editor, "agreements", path)

    agreement.refresh_from_db()
    assert (agreement.status, agreement.parties.count()) == ("negotiation", 2)
    assert len(log_events(caplog, "agreement_status_changed")) == 1


def test_a_status_change_the_lifecycle_refuses_is_an_error_on_the_status_column(tmp_path, park, editor, caplog):
    agreement = factories.agreement_with_parties(park, factories.TechnopolisFactory(), reference="AGR-1")
    path = _file(tmp_path, csv_bytes([["Reference", "Title", "Status"], ["AGR-1", "Cooperation", "active"]]))
    caplog.set_level(logging.INFO, logger="portal.agreements")

    report = _apply(editor, "agreements", path)

    assert report.rows[0].errors == [
        ("Status", "An agreement cannot go from draft to active. From draft it can go to: negotiation.")
    ]
    agreement.refresh_from_db()
    assert (agreement.status, agreement.version) == ("draft", 1)
    assert log_events(caplog, "agreement_status_changed") == []


def test_a_status_whose_data_is_missing_is_an_error_on_the_status_column(tmp_path, park, editor):
    agreement = factories.agreement_with_parties(
        park, factories.TechnopolisFactory(), reference="AGR-1", status="negotiation"
    )
    path = _file(tmp_path, csv_bytes([["Reference", "Title", "Status"], ["AGR-1", "Cooperation", "signed"]]))

    report = _apply(editor, "agreements", path)

    assert report.rows[0].errors == [
        (
            "Status",
            "To be “signed” the agreement needs the signing date. Complete it first, or a manager may move it "
            "on without, giving the reason.",
        )
    ]
    agreement.refresh_from_db()
    assert agreement.status == "negotiation"


def test_a_status_whose_data_comes_in_the_same_row_is_accepted(tmp_path, park, editor):
    agreement = factories.agreement_with_parties(
        park, factories.TechnopolisFactory(), reference="AGR-1", status="negotiation"
    )
    rows = [["Reference", "Title", "Status", "Signed on"], ["AGR-1", "Cooperation", "signed", "2026-11-05"]]

    report = _apply(editor, "agreements", _file(tmp_path, csv_bytes(rows)))

    assert report.rows[0].errors == []
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == ("signed", datetime.date(2026, 11, 5))


def test_milestones_import_only_into_agreements_the_person_edits(tmp_path, park, editor):
    ours = factories.agreement_with_parties(park, factories.TechnopolisFactory(), reference="AGR-OURS")
    factories.agreement_with_parties(reference="AGR-THEIRS")
    path = _file(
        tmp_path,
        csv_bytes(
            [
                ["Agreement reference", "Title", "Due on", "Status", "Completed on"],
                ["AGR-OURS", "Joint lab", "2027-06-30", "planned", ""],
                ["AGR-OURS", "Report", "2027-01-31", "done", ""],
                ["AGR-THEIRS", "Sneaky", "2027-06-30", "planned", ""],
                ["AGR-NONE", "Ghost", "2027-06-30", "planned", ""],
            ]
        ),
    )

    report = _preview(editor, "milestones", path)

    assert report.rows[0].action == "create"
    assert report.rows[1].errors == [("Completed on", "A done milestone needs the date it was completed.")]
    # Confidential to other parks: as if it did not exist (tests/test_idor.py covers the leak).
    assert report.rows[2].errors == [("Agreement reference", "There is no agreement “AGR-THEIRS”.")]
    assert report.rows[3].errors == [("Agreement reference", "There is no agreement “AGR-NONE”.")]
    assert not Milestone.objects.filter(agreement=ours).exists()


def test_a_key_twice_in_one_file_is_an_error_on_the_second_line(tmp_path, park, editor):
    inn = complete_inn("165500007")
    path = _file(tmp_path, csv_bytes([COMPANY_HEADER, [inn, "A", "Himgrad", "", ""], [inn, "B", "Himgrad", "", ""]]))

    report = _preview(editor, "companies", path)

    assert report.rows[1].errors == [("row", "The same record appears on line 2 already.")]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
            "companies.csv",
            "The file is a PNG file, not a CSV or XLSX spreadsheet.",
        ),
        (b"PK\x03\x04broken", "companies.xlsx", "The file is not a readable Excel workbook (.xlsx)"),
        (b"not a zip", "companies.xlsx", "The file is named .xlsx but is not an Excel workbook."),
        (b"INN,Name,Park\n\xa9\xae\xb0\xb1\xb5\xb6,x,y\n", "garbage.csv", "The file is not UTF-8 text"),
        (b"Name\nSintez\n", "columns.csv", "Required columns are missing: INN, Park."),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused_with_a_clear_message(tmp_path, editor, content, name, message):
    report = _apply(editor, "companies", _file(tmp_path, content, name))

    assert report.file_errors and report.file_errors[0].startswith(message)
    assert not ResidentCompany.objects.exists()


def test_a_windows_1251_csv_with_semicolons_from_russian_excel_is_read(tmp_path, park, editor):
    park.name = "Химград"
    park.save()
    inn = complete_inn("165500008")
    content = csv_bytes([["ИНН", "Name", "Park"], [inn, "ООО «Синтез»", "Химград"]], encoding="cp1251", delimiter=";")
    content = content.replace("ИНН".encode("cp1251"), b"INN")

    report = _apply(editor, "companies", _file(tmp_path, content))

    assert not report.has_errors, report.rows
    assert ResidentCompany.objects.get(inn=inn).name == "ООО «Синтез»"
