"""The resident company pages: who sees and changes what, filters, export, and the one-page form."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from parks.models import Membership
from residents.models import IntellectualProperty, KnowHow, Product, ResidentCompany
from residents.validators import complete_inn
from tests.factories import (
    IntellectualPropertyFactory,
    KnowHowFactory,
    ProductFactory,
    ResidentCompanyFactory,
    SectorFactory,
    member,
)

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "editor", "other_editor", "admin"]
FORMSET_PREFIXES = ("products", "ip_records", "know_how")


@pytest.fixture
def company(park):
    return ResidentCompanyFactory(technopolis=park, name="Polymer Lab")


def signed_in(client, user):
    client.force_login(user)
    return client


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def company_post(park, *, products=(), ip_records=(), know_how=(), initial=None, **fields) -> dict[str, str]:
    """The form's POST: the company's fields and each formset's rows (dicts of field -> value)."""
    data = {
        "name": "Nanopolymer",
        "legal_form": ResidentCompany.LegalForm.OOO,
        "inn": complete_inn("165912345"),
        "technopolis": str(park.pk),
        "residency_start": "2024-03-01",
        "residency_end": "",
        "website": "",
        "staff_count": "",
    }
    data.update(fields)
    initial = initial or {}
    for prefix, rows in zip(FORMSET_PREFIXES, (products, ip_records, know_how), strict=True):
        data.update(management(prefix, len(rows), initial.get(prefix, 0)))
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def edit_post(company, **fields) -> dict[str, str]:
    """The POST of the edit page as it opens for `company` (no owned records), with `fields` changed."""
    values = {
        "name": company.name,
        "legal_form": company.legal_form,
        "inn": company.inn,
        "residency_start": company.residency_start.isoformat() if company.residency_start else "",
        "version": str(company.version),
    }
    values.update(fields)
    return company_post(company.technopolis, **values)


# --- Login and access -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["list", "export", "create"])
def test_anonymous_is_sent_to_login_from_the_company_pages(client, name):
    # The list's export is exchange's, in the importer's columns.
    url = reverse("exchange:export", args=["companies", "csv"]) if name == "export" else reverse(f"residents:{name}")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", ["detail", "edit"])
def test_anonymous_is_sent_to_login_from_a_company(client, company, name):
    url = reverse(f"residents:{name}", args=[company.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_post_to_edit_changes_nothing(client, company):
    client.post(reverse("residents:edit", args=[company.pk]), edit_post(company, name="Renamed"))

    company.refresh_from_db()
    assert company.name == "Polymer Lab"


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_user_sees_the_list_and_the_company(client, users, company, role):
    signed_in(client, users[role])

    assertContains(client.get(reverse("residents:list")), "Polymer Lab")
    assertContains(client.get(reverse("residents:detail", args=[company.pk])), company.inn)


def test_unknown_company_is_404(client, users):
    signed_in(client, users["viewer"])

    assert client.get(reverse("residents:detail", args=[999999])).status_code == 404
    assert client.get(reverse("residents:edit", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_members_of_the_park_and_admins_see_its_know_how(client, users, company, role):
    KnowHowFactory(company=company, title="Catalyst recipe")
    signed_in(client, users[role])

    assertContains(client.get(reverse("residents:detail", args=[company.pk])), "Catalyst recipe")


def test_know_how_of_another_park_shows_only_its_count(client, users, company):
    KnowHowFactory(company=company, title="Catalyst recipe")
    KnowHowFactory(company=company, title="Cooling process")
    KnowHowFactory(company=company, title="Extrusion line")
    signed_in(client, users["other_editor"])

    response = client.get(reverse("residents:detail", args=[company.pk]))

    assertNotContains(response, "Catalyst recipe")
    assertNotContains(response, "Cooling process")
    assertContains(response, "3 know-how records, visible to the park's staff")


def test_products_and_ip_of_another_park_are_public(client, users, company):
    ProductFactory(company=company, name="Polymer pipe")
    IntellectualPropertyFactory(company=company, registration_number="RU2751111")
    signed_in(client, users["other_editor"])

    response = client.get(reverse("residents:detail", args=[company.pk]))

    assertContains(response, "Polymer pipe")
    assertContains(response, "RU2751111")


@pytest.mark.parametrize(
    ("role", "shown"), [("viewer", False), ("editor", True), ("other_editor", False), ("admin", True)]
)
def test_edit_button_only_for_those_who_may_edit(client, users, company, role, shown):
    signed_in(client, users[role])
    edit_url = reverse("residents:edit", args=[company.pk])

    response = client.get(reverse("residents:detail", args=[company.pk]))

    assert (f'href="{edit_url}"' in response.content.decode()) is shown


@pytest.mark.parametrize(
    ("role", "shown"), [("viewer", False), ("editor", True), ("other_editor", True), ("admin", True)]
)
def test_new_company_button_for_editors_and_admins(client, users, role, shown):
    signed_in(client, users[role])

    response = client.get(reverse("residents:list"))

    assert (f'href="{reverse("residents:create")}"' in response.content.decode()) is shown


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("editor", 200), ("other_editor", 200), ("admin", 200)])
def test_who_may_open_the_new_company_page(client, users, role, status):
    signed_in(client, users[role])

    assert client.get(reverse("residents:create")).status_code == status


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("editor", 200), ("other_editor", 403), ("admin", 200)])
def test_who_may_open_the_edit_page(client, users, company, role, status):
    signed_in(client, users[role])

    assert client.get(reverse("residents:edit", args=[company.pk])).status_code == status


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("editor", 302), ("other_editor", 403), ("admin", 302)])
def test_who_may_save_a_company(client, users, company, role, status):
    signed_in(client, users[role])

    response = client.post(reverse("residents:edit", args=[company.pk]), edit_post(company, name="Renamed"))

    assert response.status_code == status
    company.refresh_from_db()
    assert company.name == ("Renamed" if status == 302 else "Polymer Lab")


def test_viewer_cannot_create_a_company(client, users, park):
    signed_in(client, users["viewer"])

    response = client.post(reverse("residents:create"), company_post(park))

    assert response.status_code == 403
    assert not ResidentCompany.objects.exists()


def test_editor_cannot_create_a_company_in_another_park(client, users, other_park):
    signed_in(client, users["editor"])

    response = client.post(reverse("residents:create"), company_post(other_park))

    assert response.status_code == 200
    assert "technopolis" in response.context["form"].errors
    assert not ResidentCompany.objects.exists()


def test_park_field_offers_only_the_parks_the_user_edits(client, users, park, other_park):
    signed_in(client, users["editor"])

    choices = client.get(reverse("residents:create")).context["form"].fields["technopolis"].queryset

    assert list(choices) == [park]


def test_admin_may_choose_any_park(client, users, park, other_park):
    signed_in(client, users["admin"])

    choices = client.get(reverse("residents:create")).context["form"].fields["technopolis"].queryset

    assert set(choices) == {park, other_park}


def test_editor_cannot_move_a_company_to_a_park_they_do_not_edit(client, users, company, other_park):
    signed_in(client, users["editor"])

    response = client.post(
        reverse("residents:edit", args=[company.pk]),
        edit_post(company, name="Moved", technopolis=str(other_park.pk)),
    )

    assert response.status_code == 200
    assert "technopolis" in response.context["form"].errors
    company.refresh_from_db()
    assert (company.technopolis, company.name) == (company.technopolis, "Polymer Lab")
    assert company.technopolis_id != other_park.pk


def test_editor_of_two_parks_may_move_a_company_between_them(client, park, other_park, company):
    editor = member(park, Membership.Role.EDITOR)
    Membership.objects.create(user=editor, technopolis=other_park, role=Membership.Role.EDITOR)
    signed_in(client, editor)

    response = client.post(
        reverse("residents:edit", args=[company.pk]), edit_post(company, technopolis=str(other_park.pk))
    )

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.technopolis == other_park


# --- Creating and editing ---------------------------------------------------------------------


def test_valid_create_saves_the_company_with_its_product_patent_and_know_how(client, users, park):
    sector = SectorFactory()
    signed_in(client, users["editor"])

    response = client.post(
        reverse("residents:create"),
        company_post(
            park,
            sectors=[str(sector.pk)],
            products=[{"name": "Polymer pipe", "sector": str(sector.pk), "year_launched": "2023"}],
            ip_records=[
                {
                    "kind": IntellectualProperty.Kind.INVENTION_PATENT,
                    "registration_number": "RU2760001",
                    "title": "Method of recycling",
                    "status": IntellectualProperty.Status.REGISTERED,
                    "filed_on": "2022-01-10",
                    "registered_on": "2023-02-01",
                    "expires_on": "2042-01-10",
                }
            ],
            know_how=[{"title": "Catalyst recipe", "confidentiality": KnowHow.Confidentiality.TRADE_SECRET}],
        ),
    )

    company = ResidentCompany.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("residents:detail", args=[company.pk])
    assert (company.name, company.technopolis, list(company.sectors.all())) == ("Nanopolymer", park, [sector])
    assert [(p.name, p.sector, p.year_launched) for p in company.products.all()] == [("Polymer pipe", sector, 2023)]
    assert [(ip.registration_number, ip.expires_on) for ip in company.ip_records.all()] == [
        ("RU2760001", datetime.date(2042, 1, 10))
    ]
    assert [k.title for k in company.know_how.all()] == ["Catalyst recipe"]
    follow = client.get(response.url)
    assertContains(follow, "Nanopolymer has been registered.")


def test_blank_rows_are_ignored(client, users, park):
    signed_in(client, users["editor"])
    blank_ip = {"kind": "", "registration_number": "", "title": "", "status": IntellectualProperty.Status.REGISTERED}
    blank_know_how = {"title": "", "confidentiality": KnowHow.Confidentiality.CONFIDENTIAL}

    response = client.post(
        reverse("residents:create"),
        company_post(park, products=[{"name": ""}], ip_records=[blank_ip], know_how=[blank_know_how]),
    )

    assert response.status_code == 302
    company = ResidentCompany.objects.get()
    assert (company.products.count(), company.ip_records.count(), company.know_how.count()) == (0, 0, 0)


def test_invalid_inn_shows_the_error_on_the_field_and_saves_nothing(client, users, park):
    signed_in(client, users["editor"])
    inn = complete_inn("165912345")
    wrong = inn[:-1] + str((int(inn[-1]) + 1) % 10)

    response = client.post(
        reverse("residents:create"), company_post(park, inn=wrong, products=[{"name": "Polymer pipe"}])
    )

    assert response.status_code == 200
    assert "check digits" in response.context["form"].errors["inn"][0]
    assert not ResidentCompany.objects.exists()
    assert not Product.objects.exists()
    # What the person typed is kept.
    assertContains(response, f'value="{wrong}"')
    assertContains(response, 'value="Polymer pipe"')


def test_residency_ending_before_it_starts_is_refused_on_the_end_date(client, users, park):
    signed_in(client, users["editor"])

    response = client.post(
        reverse("residents:create"),
        company_post(park, residency_start="2024-03-01", residency_end="2023-12-31", products=[{"name": "Pipe"}]),
    )

    assert response.status_code == 200
    assert "cannot end before it starts" in response.context["form"].errors["residency_end"][0]
    assert not ResidentCompany.objects.exists()
    assert not Product.objects.exists()


def ip_row(number: str, **fields) -> dict[str, str]:
    row = {
        "kind": IntellectualProperty.Kind.INVENTION_PATENT,
        "registration_number": number,
        "title": "Method",
        "status": IntellectualProperty.Status.REGISTERED,
    }
    row.update(fields)
    return row


def formset_errors(response, prefix: str) -> list[dict]:
    formsets = {formset.prefix: formset for _title, formset in response.context["formsets"]}
    return formsets[prefix].errors


def test_duplicate_registration_number_is_refused_on_the_field_and_saves_nothing(client, users, park, other_park):
    IntellectualPropertyFactory(company=ResidentCompanyFactory(technopolis=other_park), registration_number="RU2750000")
    signed_in(client, users["editor"])

    response = client.post(
        reverse("residents:create"),
        company_post(park, products=[{"name": "Polymer pipe"}], ip_records=[ip_row("RU2750000")]),
    )

    assert response.status_code == 200
    errors = formset_errors(response, "ip_records")
    assert "already exists" in errors[0]["registration_number"][0]
    assert "__all__" not in errors[0]
    assert ResidentCompany.objects.count() == 1
    assert not Product.objects.exists()
    assert IntellectualProperty.objects.count() == 1


def test_same_number_of_another_kind_is_accepted(client, users, park):
    IntellectualPropertyFactory(registration_number="RU2750000", kind=IntellectualProperty.Kind.INVENTION_PATENT)
    signed_in(client, users["editor"])

    response = client.post(
        reverse("residents:create"),
        company_post(park, ip_records=[ip_row("RU2750000", kind=IntellectualProperty.Kind.TRADEMARK)]),
    )

    assert response.status_code == 302


def test_ip_expiring_before_registration_is_refused_on_the_field(client, users, park):
    signed_in(client, users["editor"])

    response = client.post(
        reverse("residents:create"),
        company_post(park, ip_records=[ip_row("RU2750001", registered_on="2023-01-01", expires_on="2022-01-01")]),
    )

    assert "expire after registration" in formset_errors(response, "ip_records")[0]["expires_on"][0]
    assert not ResidentCompany.objects.exists()


def test_two_products_with_the_same_name_are_refused(client, users, park):
    signed_in(client, users["editor"])

    response = client.post(
        reverse("residents:create"), company_post(park, products=[{"name": "Pipe"}, {"name": "Pipe"}])
    )

    assert response.status_code == 200
    assert not ResidentCompany.objects.exists()


def test_new_product_with_an_existing_products_name_is_refused_on_the_field(client, users, company):
    ProductFactory(company=company, name="Pipe")
    signed_in(client, users["editor"])
    data = edit_post(company, products=[{"id": "", "name": "Pipe"}])

    response = client.post(reverse("residents:edit", args=[company.pk]), data)

    assert response.status_code == 200
    assert "already exists" in formset_errors(response, "products")[0]["name"][0]
    assert company.products.count() == 1


def test_edit_changes_and_removes_owned_records_together(client, users, company):
    kept = ProductFactory(company=company, name="Pipe")
    removed = ProductFactory(company=company, name="Film")
    signed_in(client, users["editor"])
    data = edit_post(
        company,
        products=[
            {"id": str(removed.pk), "version": "1", "name": "Film", "DELETE": "on"},
            {"id": str(kept.pk), "version": "1", "name": "Pipe XL"},
            {"name": "Granules"},
        ],
        initial={"products": 2},
    )

    response = client.post(reverse("residents:edit", args=[company.pk]), data)

    assert response.status_code == 302
    assert sorted(company.products.values_list("name", flat=True)) == ["Granules", "Pipe XL"]
    assert not Product.objects.filter(pk=removed.pk).exists()


def test_save_and_add_more_returns_to_the_form(client, users, company):
    signed_in(client, users["editor"])

    response = client.post(
        reverse("residents:edit", args=[company.pk]), {**edit_post(company), "save_and_continue": "1"}
    )

    assert response.url == reverse("residents:edit", args=[company.pk])


def test_edit_page_of_another_parks_editor_leaves_the_record_unchanged(client, users, company):
    ProductFactory(company=company, name="Pipe")
    signed_in(client, users["other_editor"])

    client.post(reverse("residents:edit", args=[company.pk]), edit_post(company, products=[{"name": "Film"}]))

    assert list(company.products.values_list("name", flat=True)) == ["Pipe"]


# --- Filters, search, sorting, export ---------------------------------------------------------


@pytest.fixture
def listed(park, other_park):
    today = datetime.date.today()
    plastics, pharma = SectorFactory(name="Plastics"), SectorFactory(name="Pharma")
    alpha = ResidentCompanyFactory(technopolis=park, name="Alpha Plastics", residency_start=datetime.date(2020, 1, 1))
    alpha.sectors.add(plastics)
    beta = ResidentCompanyFactory(
        technopolis=park, name="Beta Pharma", residency_end=today - datetime.timedelta(days=10)
    )
    beta.sectors.add(pharma)
    gamma = ResidentCompanyFactory(technopolis=other_park, name="Gamma Chemicals")
    ProductFactory.create_batch(3, company=gamma)
    ProductFactory(company=alpha)
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "plastics": plastics}


def listed_names(response) -> list[str]:
    return [company.name for company in response.context["page_obj"]]


def test_list_filters_by_park(client, users, park, listed):
    signed_in(client, users["viewer"])

    response = client.get(reverse("residents:list"), {"park": park.pk})

    assert listed_names(response) == ["Alpha Plastics", "Beta Pharma"]


def test_list_filters_by_sector(client, users, listed):
    signed_in(client, users["viewer"])

    response = client.get(reverse("residents:list"), {"sector": listed["plastics"].pk})

    assert listed_names(response) == ["Alpha Plastics"]


@pytest.mark.parametrize(
    ("residency", "names"),
    [("current", ["Alpha Plastics", "Gamma Chemicals"]), ("former", ["Beta Pharma"])],
)
def test_list_filters_current_and_former_residents(client, users, listed, residency, names):
    signed_in(client, users["viewer"])

    response = client.get(reverse("residents:list"), {"residency": residency})

    assert listed_names(response) == names


def test_list_searches_name_and_inn(client, users, listed):
    signed_in(client, users["viewer"])

    by_name = client.get(reverse("residents:list"), {"q": "pharma"})
    by_inn = client.get(reverse("residents:list"), {"q": listed["gamma"].inn[:8]})

    assert listed_names(by_name) == ["Beta Pharma"]
    assert "Gamma Chemicals" in listed_names(by_inn)


def test_list_sorts_by_name_descending_and_by_product_count(client, users, listed):
    signed_in(client, users["viewer"])

    by_name = client.get(reverse("residents:list"), {"sort": "-name"})
    by_products = client.get(reverse("residents:list"), {"sort": "-products"})

    assert listed_names(by_name) == ["Gamma Chemicals", "Beta Pharma", "Alpha Plastics"]
    assert listed_names(by_products) == ["Gamma Chemicals", "Alpha Plastics", "Beta Pharma"]


def test_list_shows_product_and_ip_counts(client, users, listed):
    IntellectualPropertyFactory.create_batch(2, company=listed["gamma"])
    signed_in(client, users["viewer"])

    response = client.get(reverse("residents:list"), {"q": "Gamma"})

    company = response.context["page_obj"][0]
    assert (company.product_count, company.ip_count) == (3, 2)


def test_list_paginates_by_25(client, users, park):
    ResidentCompanyFactory.create_batch(30, technopolis=park)
    signed_in(client, users["viewer"])

    first = client.get(reverse("residents:list"))
    second = client.get(reverse("residents:list"), {"page": 2})

    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 5


def export_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8").splitlines()


def test_export_honours_the_filters_and_starts_with_a_byte_order_mark(client, users, park, listed):
    signed_in(client, users["viewer"])

    response = client.get(
        reverse("exchange:export", args=["companies", "csv"]), {"park": park.pk, "residency": "current"}
    )

    assert response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("INN,Name,Park,Legal form")
    assert len(lines) == 2
    assert ",Alpha Plastics," in lines[1]
    assert "Plastics" in lines[1]


def test_export_for_anonymous_is_refused(client, listed):
    assert client.get(reverse("exchange:export", args=["companies", "csv"])).status_code == 302


# --- Query budgets ----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 50])
def test_company_list_runs_a_fixed_number_of_queries(client, users, park, rows, django_assert_num_queries):
    sector = SectorFactory()
    for company in ResidentCompanyFactory.create_batch(rows, technopolis=park):
        company.sectors.add(sector)
        ProductFactory(company=company)
        IntellectualPropertyFactory(company=company)
    signed_in(client, users["editor"])

    # session, user, the user's park roles ("New company"), park choices, sector choices (filter
    # form), count, the page of companies with their counts, their sectors.
    with django_assert_num_queries(8):
        response = client.get(reverse("residents:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_company_page_runs_a_fixed_number_of_queries(client, users, company, rows, django_assert_num_queries):
    sector = SectorFactory()
    company.sectors.add(sector)
    ProductFactory.create_batch(rows, company=company, sector=sector)
    IntellectualPropertyFactory.create_batch(rows, company=company)
    KnowHowFactory.create_batch(rows, company=company)
    signed_in(client, users["viewer"])

    # session, user, the company (park, missing data, and its sectors, products with sectors, IP
    # records and know-how as JSON arrays), the user's park roles; its change history: the latest
    # rows' ids with their predecessors' for the company, its products, IP records and know-how in
    # one UNION, then those rows for each.
    with django_assert_num_queries(9):
        response = client.get(reverse("residents:detail", args=[company.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_company_page_of_another_park_runs_a_fixed_number_of_queries(
    client, users, company, rows, django_assert_num_queries
):
    ProductFactory(company=company)
    IntellectualPropertyFactory(company=company)
    KnowHowFactory.create_batch(rows, company=company)
    signed_in(client, users["other_editor"])

    # As above, without the know-how's history rows.
    with django_assert_num_queries(8):
        response = client.get(reverse("residents:detail", args=[company.pk]))
    assert response.status_code == 200


def test_the_only_park_an_editor_edits_is_chosen_for_a_new_company(client, users, park):
    signed_in(client, users["editor"])

    form = client.get(reverse("residents:create")).context["form"]

    assert form["technopolis"].value() == park.pk
