"""Nothing about a resident company is lost: concurrent saves, change history, protected deletes."""

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from parks.models import Membership
from residents.history import HISTORY_LIMIT, company_history
from residents.models import IntellectualProperty, KnowHow, Product, ResidentCompany
from tests.factories import (
    IntellectualPropertyFactory,
    KnowHowFactory,
    ProductFactory,
    ResidentCompanyFactory,
    TechnopolisFactory,
    UserFactory,
    member,
)
from tests.support.forms import admin_page_data as page_data
from tests.support.forms import admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(park):
    return ResidentCompanyFactory(technopolis=park, name="Polymer Lab", staff_count=10)


@pytest.fixture
def alice(park):
    return member(park, Membership.Role.EDITOR, username="alice", first_name="Alice", last_name="Orlova")


@pytest.fixture
def bob(park):
    return member(park, Membership.Role.EDITOR, username="bob")


def session(user) -> Client:
    """A browser of its own for `user`, so that two people can have the same form open."""
    client = Client()
    client.force_login(user)
    return client


def form_values(form) -> dict[str, object]:
    data: dict[str, object] = {}
    for bound_field in form:
        value = bound_field.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, list | tuple):
            value = [str(item) for item in value]
        data[bound_field.html_name] = value
    return data


def edit_page_data(response) -> dict[str, object]:
    """What the company's edit page in `response` posts unchanged: the form and its three formsets."""
    data = form_values(response.context["form"])
    for _title, formset in response.context["formsets"]:
        data.update(form_values(formset.management_form))
        for form in formset.forms:
            data.update(form_values(form))
    return data


def row_prefix(response, formset_prefix: str, record) -> str:
    formset = next(formset for _title, formset in response.context["formsets"] if formset.prefix == formset_prefix)
    return next(form.prefix for form in formset.forms if form.instance.pk == record.pk)


def open_edit_page(client, company):
    response = client.get(reverse("residents:edit", args=[company.pk]))
    assert response.status_code == 200
    return response


# --- Two people editing the same company at once ----------------------------------------------


def test_second_save_of_a_stale_company_form_is_refused_naming_what_changed(company, alice, bob):
    alice_client, bob_client = session(alice), session(bob)
    alice_data = edit_page_data(open_edit_page(alice_client, company))
    bob_data = edit_page_data(open_edit_page(bob_client, company))
    url = reverse("residents:edit", args=[company.pk])

    assert alice_client.post(url, {**alice_data, "name": "Polymer Lab Plus"}).status_code == 302
    response = bob_client.post(url, {**bob_data, "staff_count": "42", "website": "https://bob.example"})

    assert response.status_code == 200
    stale = response.context["stale"]
    assert stale.changed_by in {alice.get_username(), alice.get_full_name()}
    assert [(change.field, change.before, change.after) for change in stale.changes] == [
        ("name", "Polymer Lab", "Polymer Lab Plus")
    ]
    assertContains(response, f"Someone else ({stale.changed_by}) saved this record after you opened it")
    assertContains(response, "Polymer Lab Plus")
    # What Bob typed is kept, and nothing of it was saved.
    assert response.context["form"]["staff_count"].value() == "42"
    assert response.context["form"]["website"].value() == "https://bob.example"
    company.refresh_from_db()
    assert (company.name, company.staff_count, company.website, company.version) == ("Polymer Lab Plus", 10, "", 2)


def test_saving_again_after_a_refused_stale_save_keeps_the_other_persons_change(company, alice, bob):
    alice_client, bob_client = session(alice), session(bob)
    alice_data = edit_page_data(open_edit_page(alice_client, company))
    bob_data = edit_page_data(open_edit_page(bob_client, company))
    url = reverse("residents:edit", args=[company.pk])
    alice_client.post(url, {**alice_data, "name": "Polymer Lab Plus"})
    refused = bob_client.post(url, {**bob_data, "staff_count": "42"})

    # Shown again with Alice's name (Bob had not touched it), Bob's staff count and the stored version.
    form = refused.context["form"]
    assert (form["name"].value(), form["staff_count"].value(), form["version"].value()) == (
        "Polymer Lab Plus",
        "42",
        "2",
    )
    response = bob_client.post(url, edit_page_data(refused))

    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.staff_count, company.version) == ("Polymer Lab Plus", 42, 3)


def test_a_company_field_both_changed_is_shown_side_by_side_and_mine_is_kept_when_i_save_again(company, alice, bob):
    alice_client, bob_client = session(alice), session(bob)
    alice_data = edit_page_data(open_edit_page(alice_client, company))
    bob_data = edit_page_data(open_edit_page(bob_client, company))
    url = reverse("residents:edit", args=[company.pk])
    alice_client.post(url, {**alice_data, "staff_count": "25", "website": "https://polymer.example"})

    refused = bob_client.post(url, {**bob_data, "staff_count": "42"})

    assert [(c.label, c.theirs, c.mine) for c in refused.context["conflicts"]] == [("Staff", "25", "42")]
    assertContains(refused, "You both changed these fields.")
    assertContains(refused, "Saved meanwhile as “25”. Your value is kept here: save again to keep it, or change it.")
    form = refused.context["form"]
    assert (form["staff_count"].value(), form["website"].value()) == ("42", "https://polymer.example")
    assert bob_client.post(url, edit_page_data(refused)).status_code == 302
    company.refresh_from_db()
    assert (company.staff_count, company.website, company.version) == (42, "https://polymer.example", 3)


def test_stale_ip_row_refuses_the_whole_post_and_keeps_what_was_typed(company, alice, bob):
    patent = IntellectualPropertyFactory(company=company, registration_number="RU2751234", title="Recycling method")
    product = ProductFactory(company=company, name="Pipe")
    alice_client, bob_client = session(alice), session(bob)
    alice_page, bob_page = open_edit_page(alice_client, company), open_edit_page(bob_client, company)
    alice_data, bob_data = edit_page_data(alice_page), edit_page_data(bob_page)
    url = reverse("residents:edit", args=[company.pk])
    ip_row = row_prefix(alice_page, "ip_records", patent)
    product_row = row_prefix(bob_page, "products", product)

    assert alice_client.post(url, {**alice_data, f"{ip_row}-title": "Polymer recycling method"}).status_code == 302
    bob_data.update(
        {
            f"{ip_row}-status": IntellectualProperty.Status.EXPIRED,
            f"{product_row}-name": "Pipe XL",
            "products-2-name": "Granules",
            "staff_count": "42",
        }
    )
    response = bob_client.post(url, bob_data)

    assert response.status_code == 200
    assertContains(response, "IP record “invention patent RU2751234”: title")
    assertContains(response, "Polymer recycling method")
    # Nothing of Bob's post is saved: not the company, not the other rows, not the new row.
    patent.refresh_from_db()
    assert (patent.title, patent.status, patent.version) == ("Polymer recycling method", "registered", 2)
    assert list(company.products.values_list("name", flat=True)) == ["Pipe"]
    assert ResidentCompany.objects.get(pk=company.pk).staff_count == 10
    # What Bob typed is kept.
    formsets = {formset.prefix: formset for _title, formset in response.context["formsets"]}
    typed = {form.prefix: form for form in formsets["products"].forms}
    assert typed[product_row]["name"].value() == "Pipe XL"
    assert typed["products-2"]["name"].value() == "Granules"


def test_a_row_added_meanwhile_does_not_stop_a_change_to_the_company(company, alice, bob):
    alice_client, bob_client = session(alice), session(bob)
    alice_data, bob_data = (
        edit_page_data(open_edit_page(alice_client, company)),
        edit_page_data(open_edit_page(bob_client, company)),
    )
    url = reverse("residents:edit", args=[company.pk])

    assert alice_client.post(url, {**alice_data, "products-0-name": "Granules"}).status_code == 302
    assert bob_client.post(url, {**bob_data, "staff_count": "42"}).status_code == 302

    company.refresh_from_db()
    assert (company.staff_count, company.version) == (42, 2)
    assert list(company.products.values_list("name", flat=True)) == ["Granules"]


def test_a_row_changed_meanwhile_refuses_a_form_that_still_shows_its_old_values(company, alice, bob):
    product = ProductFactory(company=company, name="Pipe")
    alice_client, bob_client = session(alice), session(bob)
    alice_page, bob_page = open_edit_page(alice_client, company), open_edit_page(bob_client, company)
    url = reverse("residents:edit", args=[company.pk])
    alice_data = {**edit_page_data(alice_page), f"{row_prefix(alice_page, 'products', product)}-name": "Pipe XL"}

    assert alice_client.post(url, alice_data).status_code == 302
    # Bob changes only the company, but his form would put the product's old name back.
    response = bob_client.post(url, {**edit_page_data(bob_page), "staff_count": "42"})

    assert response.status_code == 200
    assertContains(response, "Product “Pipe XL”: name")
    product.refresh_from_db()
    assert (product.name, product.version) == ("Pipe XL", 2)
    assert ResidentCompany.objects.get(pk=company.pk).staff_count == 10

    # Saved again as shown: the product keeps Alice's name, the company gets Bob's staff count.
    assert bob_client.post(url, edit_page_data(response)).status_code == 302
    product.refresh_from_db()
    assert (product.name, product.version) == ("Pipe XL", 2)
    assert ResidentCompany.objects.get(pk=company.pk).staff_count == 42


def test_removing_a_row_someone_else_changed_meanwhile_is_refused(company, alice, bob):
    know_how = KnowHowFactory(company=company, title="Extrusion recipe")
    alice_client, bob_client = session(alice), session(bob)
    alice_page, bob_page = open_edit_page(alice_client, company), open_edit_page(bob_client, company)
    url = reverse("residents:edit", args=[company.pk])
    alice_row, bob_row = row_prefix(alice_page, "know_how", know_how), row_prefix(bob_page, "know_how", know_how)

    alice_client.post(url, {**edit_page_data(alice_page), f"{alice_row}-title": "Extrusion recipe v2"})
    response = bob_client.post(url, {**edit_page_data(bob_page), f"{bob_row}-DELETE": "on"})

    assert response.status_code == 200
    assertContains(response, "Know-how “Extrusion recipe v2”: title")
    assert KnowHow.objects.filter(pk=know_how.pk).exists()


def test_a_missing_version_is_an_error_on_the_form_and_saves_nothing(client, company, alice):
    client.force_login(alice)
    data = edit_page_data(open_edit_page(client, company))
    del data["version"]

    response = client.post(reverse("residents:edit", args=[company.pk]), {**data, "name": "Renamed"})

    assert response.status_code == 200
    assert ResidentCompany.objects.get(pk=company.pk).name == "Polymer Lab"


# --- The same in Django admin ------------------------------------------------------------------


def test_admin_refuses_a_stale_company_save_and_keeps_what_was_typed(admin_client, company, alice):
    url = admin_url(ResidentCompany, "change", company.pk)
    data = page_data(admin_client.get(url))
    alice_client = session(alice)
    alice_client.post(
        reverse("residents:edit", args=[company.pk]),
        {**edit_page_data(open_edit_page(alice_client, company)), "name": "Polymer Lab Plus"},
    )

    response = admin_client.post(url, {**data, "staff_count": "42"})

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "name: Polymer Lab → Polymer Lab Plus" in " ".join(form.non_field_errors())
    assert form["staff_count"].value() == "42"
    company.refresh_from_db()
    assert (company.name, company.staff_count) == ("Polymer Lab Plus", 10)

    # The page shown again carries the stored version and Alice's name: saving it keeps both changes.
    assert (form["name"].value(), form["version"].value()) == ("Polymer Lab Plus", "2")
    assert admin_client.post(url, page_data(response)).status_code == 302
    company.refresh_from_db()
    assert (company.name, company.staff_count, company.version) == ("Polymer Lab Plus", 42, 3)


def test_admin_save_moves_the_version_on(admin_client, company):
    url = admin_url(ResidentCompany, "change", company.pk)

    response = admin_client.post(url, {**page_data(admin_client.get(url)), "staff_count": "42"})

    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.staff_count, company.version) == (42, 2)


def test_admin_refuses_a_stale_ip_record_save(admin_client, company):
    patent = IntellectualPropertyFactory(company=company, title="Recycling method")
    url = admin_url(IntellectualProperty, "change", patent.pk)
    data = page_data(admin_client.get(url))
    other = admin_client.post(url, {**data, "title": "Polymer recycling method"})
    assert other.status_code == 302

    response = admin_client.post(url, {**data, "status": IntellectualProperty.Status.EXPIRED})

    assert response.status_code == 200
    assert "title: Recycling method → Polymer recycling method" in " ".join(
        response.context["adminform"].form.non_field_errors()
    )
    patent.refresh_from_db()
    assert (patent.title, patent.status, patent.version) == ("Polymer recycling method", "registered", 2)


def test_admin_refuses_a_stale_inline_ip_row_on_the_company_page(admin_client, company):
    patent = IntellectualPropertyFactory(company=company, title="Recycling method")
    url = admin_url(ResidentCompany, "change", company.pk)
    data = page_data(admin_client.get(url))
    patent.title = "Polymer recycling method"
    patent.version += 1
    patent.save()

    response = admin_client.post(url, {**data, "ip_records-0-status": IntellectualProperty.Status.EXPIRED})

    assert response.status_code == 200
    patent.refresh_from_db()
    assert (patent.title, patent.status) == ("Polymer recycling method", "registered")

    assert admin_client.post(url, page_data(response)).status_code == 302
    patent.refresh_from_db()
    assert (patent.title, patent.status, patent.version) == ("Polymer recycling method", "expired", 3)


def test_admin_restores_an_earlier_version_of_a_company(admin_client, company):
    url = admin_url(ResidentCompany, "change", company.pk)
    admin_client.post(url, {**page_data(admin_client.get(url)), "name": "Polymer Lab Plus", "staff_count": "42"})
    company.refresh_from_db()
    assert (company.name, company.staff_count) == ("Polymer Lab Plus", 42)
    original = company.history.earliest()

    revert_url = admin_url(ResidentCompany, "simple_history", company.pk, original.history_id)
    page = admin_client.get(revert_url)
    assert page.status_code == 200
    response = admin_client.post(revert_url, form_values(page.context["adminform"].form))

    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.staff_count, company.version) == ("Polymer Lab", 10, 3)
    assert company.history.latest().history_user.is_superuser


# --- History on the record pages ---------------------------------------------------------------


def test_company_page_shows_who_changed_what_field_by_field(company, alice):
    product = ProductFactory(company=company, name="Pipe")
    alice_client = session(alice)
    page = open_edit_page(alice_client, company)
    data = edit_page_data(page)
    data.update({"name": "Polymer Lab Plus", f"{row_prefix(page, 'products', product)}-name": "Pipe XL"})
    alice_client.post(reverse("residents:edit", args=[company.pk]), data)

    response = alice_client.get(reverse("residents:detail", args=[company.pk]))

    history = response.context["history"]
    changed = [(entry.subject, entry.user, [(c.label, c.old, c.new) for c in entry.changes]) for entry in history]
    assert ("Company", alice, [("name", "Polymer Lab", "Polymer Lab Plus")]) in changed
    assert ("Product: Pipe XL", alice, [("name", "Pipe", "Pipe XL")]) in changed
    assertContains(response, "Change history")
    assertContains(response, "Alice Orlova")


def test_know_how_history_shows_only_to_those_who_may_see_know_how(client, company):
    KnowHowFactory(company=company, title="Extrusion recipe")
    outsider = member(TechnopolisFactory(), Membership.Role.EDITOR)
    client.force_login(outsider)

    response = client.get(reverse("residents:detail", args=[company.pk]))

    assert not [entry for entry in response.context["history"] if entry.subject.startswith("Know-how")]
    assertNotContains(response, "Extrusion recipe")
    assert [entry.subject for entry in company_history(company, with_know_how=True)][0] == (
        "Know-how: Extrusion recipe"
    )


def test_ip_record_page_shows_its_history(client, company, alice):
    patent = IntellectualPropertyFactory(company=company, title="Recycling method")
    patent.title = "Polymer recycling method"
    patent._history_user = alice
    patent.save()
    client.force_login(UserFactory())

    response = client.get(reverse("ip:detail", args=[patent.pk]))

    latest = response.context["history"][0]
    assert (latest.user, latest.action) == (alice, "changed")
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("title", "Recycling method", "Polymer recycling method")
    ]
    assertContains(response, "Polymer recycling method")


def test_the_history_shows_the_latest_twenty_changes(company):
    for staff_count in range(30):
        company.staff_count = staff_count
        company.save()

    history = company_history(company, with_know_how=True)

    assert len(history) == HISTORY_LIMIT
    assert history[0].changes[0].new == 29


def _history_rows(company, rows: int) -> IntellectualProperty:
    """`rows` saves of the company and of each kind of row it owns (each save is a history row)."""
    product = ProductFactory(company=company)
    patent = IntellectualPropertyFactory(company=company)
    know_how = KnowHowFactory(company=company)
    for number in range(rows):
        company.staff_count = number
        company.save()
        product.description = f"Revision {number}"
        product.save()
        patent.title = f"Revision {number}"
        patent.save()
        know_how.description = f"Revision {number}"
        know_how.save()
    return patent


@pytest.mark.parametrize("rows", [5, 50])
def test_company_page_with_history_runs_a_fixed_number_of_queries(
    client, company, alice, rows, django_assert_num_queries
):
    _history_rows(company, rows)
    client.force_login(alice)

    # session, user, the company (park, missing data, and its sectors, products with sectors, IP
    # records and know-how as JSON arrays), the user's park roles; then the history: the latest
    # rows' ids with their predecessors' of the company, its products, IP records and know-how in
    # one UNION, then the rows of each.
    with django_assert_num_queries(9):
        response = client.get(reverse("residents:detail", args=[company.pk]))
    assert len(response.context["history"]) == HISTORY_LIMIT


@pytest.mark.parametrize("rows", [5, 50])
def test_ip_record_page_with_history_runs_a_fixed_number_of_queries(
    client, company, alice, rows, django_assert_num_queries
):
    patent = _history_rows(company, rows)
    client.force_login(alice)

    # session, user, the record with company and park, the user's park roles; its history (the
    # latest rows with their predecessors' ids, then those rows).
    with django_assert_num_queries(5):
        response = client.get(reverse("ip:detail", args=[patent.pk]))
    assert len(response.context["history"]) == min(rows + 1, HISTORY_LIMIT)


# --- Deleting a company does not wipe what it owns ---------------------------------------------


def test_deleting_a_company_with_products_and_ip_is_refused_and_deletes_nothing(company):
    ProductFactory(company=company)
    IntellectualPropertyFactory(company=company)

    with pytest.raises(ProtectedError):
        company.delete()

    assert ResidentCompany.objects.filter(pk=company.pk).exists()
    assert Product.objects.filter(company=company).count() == 1
    assert IntellectualProperty.objects.filter(company=company).count() == 1


def test_admin_cannot_delete_a_company_that_owns_records(admin_client, company):
    KnowHowFactory(company=company)

    response = admin_client.post(admin_url(ResidentCompany, "delete", company.pk), {"post": "yes"})

    assert response.status_code == 200
    assertContains(response, "would require deleting the following protected related objects")
    assert ResidentCompany.objects.filter(pk=company.pk).exists()
    assert KnowHow.objects.filter(company=company).count() == 1
