"""Exports in the importers' columns, as CSV and XLSX: the list's filters, the reader's language, no formulas."""

import datetime
import io

import pytest
from django.urls import reverse

from exchange.services import import_apply, import_preview
from parks.models import Membership
from tests import factories
from tests.support.spreadsheets import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


def _export(client, kind, file_format, **params):
    response = client.get(reverse("exchange:export", args=[kind, file_format]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def reader(client):
    park = factories.TechnopolisFactory(name="Himgrad")
    user = factories.member(park, Membership.Role.EDITOR)
    client.force_login(user)
    return user


def test_company_export_honours_the_list_filters_in_csv_and_xlsx(client, reader):
    himgrad, gousev = factories.TechnopolisFactory(name="H-park"), factories.TechnopolisFactory(name="G-park")
    factories.ResidentCompanyFactory(technopolis=himgrad, name="Sintez")
    factories.ResidentCompanyFactory(technopolis=gousev, name="Other")

    csv_content = csv_rows(_export(client, "companies", "csv", park=himgrad.pk))
    xlsx_content = xlsx_rows(_export(client, "companies", "xlsx", park=himgrad.pk))

    assert csv_content[0][:3] == ["INN", "Name", "Park"]
    assert [row[1] for row in csv_content[1:]] == ["Sintez"]
    assert [row[1] for row in xlsx_content[1:]] == ["Sintez"]
    assert xlsx_content[1][2] == "H-park"


def test_exported_text_that_starts_like_a_formula_is_escaped_in_csv_and_xlsx(client, reader):
    company = factories.ResidentCompanyFactory(name='=HYPERLINK("http://evil","x")')
    factories.ProductFactory(company=company, name="+1", description="@SUM(A1)")

    csv_content = csv_rows(_export(client, "products", "csv"))
    xlsx_content = xlsx_rows(_export(client, "products", "xlsx"))
    companies = xlsx_rows(_export(client, "companies", "xlsx"))

    assert csv_content[1][1] == "'+1" and csv_content[1][4] == "'@SUM(A1)"
    assert xlsx_content[1][1] == "'+1" and xlsx_content[1][4] == "'@SUM(A1)"
    assert companies[1][1] == '\'=HYPERLINK("http://evil","x")'


def test_export_headers_come_in_the_readers_language(client, reader):
    factories.ResidentCompanyFactory()

    response = client.get(reverse("exchange:export", args=["companies", "xlsx"]), HTTP_ACCEPT_LANGUAGE="ru")

    assert xlsx_rows(response.content)[0][1] == "Название"


def test_an_export_imports_back_unchanged(client, reader, tmp_path):
    park = reader.park_memberships.get().technopolis
    factories.agreement_with_parties(park, factories.TechnopolisFactory(), reference="AGR-9", is_public=True)

    path = tmp_path / "agreements.xlsx"
    path.write_bytes(_export(client, "agreements", "xlsx"))
    report = import_preview(user=reader, kind="agreements", path=path, filename=path.name)

    assert [row.action for row in report.rows] == ["unchanged"], report.rows
    # The columns an export only shows (signing event, cooperation areas) are known, not "ignored".
    assert report.ignored_columns == []


def _text(value) -> str:
    """A cell as CSV writes it: dates in ISO form, numbers as digits, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):  # openpyxl reads a date cell back as midnight
        value = value.date()
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


@pytest.mark.parametrize("kind", ["agreements", "milestones", "companies", "products", "ip", "know-how"])
def test_the_csv_and_the_xlsx_button_give_the_same_columns_and_rows(client, reader, kind):
    park = reader.park_memberships.get().technopolis
    agreement = factories.agreement_with_parties(
        park, factories.TechnopolisFactory(), signed_on=datetime.date(2025, 3, 1)
    )
    factories.MilestoneFactory(agreement=agreement, due_on=datetime.date(2027, 6, 30))
    company = factories.ResidentCompanyFactory(technopolis=park, residency_start=datetime.date(2024, 1, 15))
    factories.ProductFactory(company=company)
    factories.IntellectualPropertyFactory(company=company)
    factories.KnowHowFactory(company=company)

    csv_content = csv_rows(_export(client, kind, "csv"))
    xlsx_content = [[_text(value) for value in row] for row in xlsx_rows(_export(client, kind, "xlsx"))]
    # A spreadsheet reader stops a row at its last filled cell; CSV keeps every column.
    xlsx_content = [row + [""] * (len(csv_content[0]) - len(row)) for row in xlsx_content]

    assert len(csv_content) == 2
    assert xlsx_content == csv_content


def test_xlsx_dates_and_counts_are_typed_so_a_spreadsheet_sorts_and_sums_them(client, reader):
    park = reader.park_memberships.get().technopolis
    company = factories.ResidentCompanyFactory(technopolis=park, residency_start=datetime.date(2024, 1, 15))
    factories.ProductFactory.create_batch(2, company=company)

    header, row = xlsx_rows(_export(client, "companies", "xlsx"))
    cells = dict(zip(header, row, strict=True))

    assert cells["Resident since"] == datetime.datetime(2024, 1, 15)
    assert cells["Products"] == 2
    assert cells["IP records"] == 0


def test_the_import_template_leaves_out_what_an_export_only_shows(client, reader):
    template = client.get(reverse("exchange:template", args=["companies", "csv"]))
    header = csv_rows(b"".join(template.streaming_content))[0]
    exported = csv_rows(_export(client, "companies", "csv"))[0]

    assert "Products" in exported and "Sectors" in exported
    assert "Products" not in header and "Sectors" not in header
    assert [label.removesuffix(" *") for label in header] == exported[: len(header)]


def test_an_export_follows_the_lists_sort(client, reader):
    park = reader.park_memberships.get().technopolis
    for reference in ("AGR-2", "AGR-1", "AGR-3"):
        factories.agreement_with_parties(park, reference=reference)

    ascending = [row[0] for row in csv_rows(_export(client, "agreements", "csv", sort="reference"))[1:]]
    descending = [row[0] for row in csv_rows(_export(client, "agreements", "csv", sort="-reference"))[1:]]

    assert ascending == ["AGR-1", "AGR-2", "AGR-3"]
    assert descending == ["AGR-3", "AGR-2", "AGR-1"]


def test_confidential_agreements_of_other_parks_are_not_exported(client, reader):
    factories.agreement_with_parties(reference="AGR-SECRET", is_public=False)
    factories.agreement_with_parties(reference="AGR-PUBLIC", is_public=True)

    rows = csv_rows(_export(client, "agreements", "csv"))

    assert [row[0] for row in rows[1:]] == ["AGR-PUBLIC"]


def test_templates_show_the_expected_columns_with_an_example_row(client, reader):
    rows = xlsx_rows(client.get(reverse("exchange:template", args=["milestones", "xlsx"])).content)

    assert rows[0][:3] == ["Agreement reference *", "Title *", "Due on *"]
    assert rows[1][2] == "2027-06-30"


def test_unknown_kinds_and_formats_are_not_found(client, reader):
    assert client.get(reverse("exchange:export", args=["users", "csv"])).status_code == 404
    assert client.get(reverse("exchange:export", args=["companies", "pdf"])).status_code == 404


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_template_imports_cleanly_as_downloaded_on_the_demo_data(client, file_format, tmp_path):
    from django.core.management import call_command

    from exchange.importers import IMPORTERS

    call_command("load_demo", stdout=io.StringIO())
    admin = factories.SuperuserFactory()
    client.force_login(admin)
    # In the order records refer to each other: companies before their products, agreements before milestones.
    for kind in ("companies", "products", "ip", "know-how", "agreements", "milestones"):
        template = client.get(reverse("exchange:template", args=[kind, file_format]))
        content = b"".join(template.streaming_content) if template.streaming else template.content
        path = tmp_path / f"{kind}.{file_format}"
        path.write_bytes(content)

        report = import_apply(user=admin, kind=kind, path=path, filename=path.name)

        assert (report.file_errors, report.counts["error"]) == ([], 0), (kind, report.file_errors, report.rows)
        assert report.counts["create"] == 1, kind
        assert IMPORTERS[kind].model.objects.exists()
