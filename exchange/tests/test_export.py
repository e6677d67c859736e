"""Exports in the importers' columns, as CSV and XLSX: the list's filters, the reader's language, no formulas."""

import pytest
from django.urls import reverse

from exchange.services import import_preview
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
