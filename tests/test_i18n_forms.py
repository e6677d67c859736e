"""Typing a name in both languages: the reader's language first, the other one beside it.

The portal's forms show a translated name as the reader's own version (empty when it has none,
rather than the other language's text) and add the other language's field; either may stay
empty, not both. The history of the record lists a change of each language.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from agreements.models import Agreement, Milestone
from residents.models import ResidentCompany
from tests.factories import ProductFactory, ResidentCompanyFactory
from tests.support.agreement_pages import add_rows, build_world, form_values, new_agreement_data, page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def editor_in(client, world, language: str):
    client.force_login(world.editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def edit_url(agreement: Agreement) -> str:
    return reverse("agreements:edit", args=[agreement.pk])


def test_an_english_page_offers_the_title_in_english_and_in_russian(client, world):
    response = editor_in(client, world, "en").get(edit_url(world.agreement))

    form = response.context["form"]
    assert (form["title"].label, form["title_ru"].label) == ("Title (English)", "Title (Russian)")
    assert (form["title"].value(), form["title_ru"].value()) == ("Alpha and Beta joint laboratory", "")
    assert 'name="title_ru"' in response.content.decode() and 'lang="ru"' in response.content.decode()


def test_a_russian_translation_typed_on_the_english_page_is_kept_beside_the_english_title(client, world):
    client = editor_in(client, world, "en")
    data = page_data(client.get(edit_url(world.agreement)))
    data["title_ru"] = "Совместная лаборатория Альфы и Беты"

    assert client.post(edit_url(world.agreement), data).status_code == 302

    world.agreement.refresh_from_db()
    assert (world.agreement.title_en, world.agreement.title_ru) == (
        "Alpha and Beta joint laboratory",
        "Совместная лаборатория Альфы и Беты",
    )
    # The history names the language that changed; a Russian reader sees their title change.
    html = client.get(reverse("agreements:detail", args=[world.agreement.pk])).content.decode()
    assert "itle [ru]" in html and "Совместная лаборатория Альфы и Беты" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = client.get(reverse("agreements:detail", args=[world.agreement.pk])).content.decode()
    assert "<h1" in html and "Alpha and Beta joint laboratory" not in html.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert "Alpha and Beta joint laboratory" in html  # what the Russian reader saw before, in the history


def test_a_russian_page_shows_an_empty_russian_title_rather_than_the_english_one(client, world):
    response = editor_in(client, world, "ru").get(edit_url(world.agreement))

    form = response.context["form"]
    assert (form["title"].label, form["title_en"].label) == ("Название (русский)", "Название (английский)")
    assert (form["title"].value(), form["title_en"].value()) == ("", "Alpha and Beta joint laboratory")

    # Saved without typing a Russian title: the English one stays, no copy of it in Russian.
    assert client.post(edit_url(world.agreement), page_data(response)).status_code == 302
    world.agreement.refresh_from_db()
    assert (world.agreement.title_en, world.agreement.title_ru) == ("Alpha and Beta joint laboratory", None)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_saving_an_untouched_page_changes_nothing_in_either_language(client, world, language):
    """Names with one language only (the milestone's title in English) are no change when saved as shown."""
    milestone = world.agreement.milestones.get()
    history_rows = world.agreement.history.count() + milestone.history.count()
    versions = (world.agreement.version, milestone.version)
    client = editor_in(client, world, language)

    response = client.post(edit_url(world.agreement), page_data(client.get(edit_url(world.agreement))))

    assert response.status_code == 302
    world.agreement.refresh_from_db()
    milestone.refresh_from_db()
    assert (world.agreement.version, milestone.version) == versions
    assert world.agreement.history.count() + milestone.history.count() == history_rows


def test_a_new_agreement_and_its_milestone_can_be_typed_in_russian_only(client, world):
    client = editor_in(client, world, "ru")
    data = new_agreement_data(world.park_a, world.park_b, title="Соглашение о сотрудничестве")
    add_rows(data, "milestones", [{"title": "Назначить координаторов", "due_on": "2027-03-01", "status": "planned"}])

    assert client.post(reverse("agreements:create"), data).status_code == 302

    agreement = Agreement.objects.get(reference="NEW-001")
    milestone = Milestone.objects.get(agreement=agreement)
    assert (agreement.title_ru, agreement.title_en) == ("Соглашение о сотрудничестве", None)
    assert (milestone.title_ru, milestone.title_en) == ("Назначить координаторов", None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert (
        "Соглашение о сотрудничестве" in client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    )


def test_a_name_empty_in_both_languages_is_refused_naming_the_field(client, world):
    client = editor_in(client, world, "en")
    data = new_agreement_data(world.park_a, world.park_b, title="", title_ru="")

    response = client.post(reverse("agreements:create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["Fill in at least one language."]
    assert not Agreement.objects.filter(reference="NEW-001").exists()


def test_a_company_gets_its_name_in_both_languages_from_its_form(client, world):
    company = ResidentCompanyFactory(technopolis=world.park_a, name_en="Polymer Systems")
    client = editor_in(client, world, "en")
    url = reverse("residents:edit", args=[company.pk])
    response = client.get(url)
    assert response.context["form"]["name_ru"].label == "Name (Russian)"
    data = _company_data(response)
    data["name_ru"] = "Полимерные системы"

    assert client.post(url, data).status_code == 302

    company = ResidentCompany.objects.get(pk=company.pk)
    assert (company.name_en, company.name_ru) == ("Polymer Systems", "Полимерные системы")


@pytest.mark.parametrize("language", ["ru", "en"])
def test_saving_an_untouched_company_page_changes_nothing_in_either_language(client, world, language):
    """The company and its rows have English names only: saved as shown from a Russian page, nothing moves."""
    company = ResidentCompanyFactory(technopolis=world.park_a, name_en="Polymer Systems")
    product = ProductFactory(company=company, name_en="Polymer film")
    records = [company, product]
    before = [(record.version, record.history.count()) for record in records]
    client = editor_in(client, world, language)
    url = reverse("residents:edit", args=[company.pk])

    assert client.post(url, _company_data(client.get(url))).status_code == 302

    for record in records:
        record.refresh_from_db()
    assert [(record.version, record.history.count()) for record in records] == before
    assert (company.name_en, company.name_ru, product.name_ru) == ("Polymer Systems", None, None)


def _company_data(response) -> dict[str, object]:
    data = form_values(response.context["form"])
    for _title, formset in response.context["formsets"]:
        data.update(form_values(formset.management_form))
        for form in formset.forms:
            data.update(form_values(form))
    return data


def test_admin_keeps_a_parks_name_in_both_languages(admin_client):
    from parks.models import Technopolis
    from tests.factories import TechnopolisFactory

    park = TechnopolisFactory(name_en="Technopolis Gousev", short_name_en="Gousev")
    url = reverse("admin:parks_technopolis_change", args=[park.pk])
    response = admin_client.get(url)
    form = response.context["adminform"].form
    assert (form["name"].label, form["name_ru"].label) == ("Name (English)", "Name (Russian)")
    data = {
        key: value
        for key, value in form_values(form).items()
        if key not in ("sectors",) and not key.startswith("missing")
    }
    for inline in response.context["inline_admin_formsets"]:
        data.update(form_values(inline.formset.management_form))
    data.update(name_ru="Технополис «Гусев»", short_name_ru="Гусев")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    park = Technopolis.objects.get(pk=park.pk)
    assert (park.name_en, park.name_ru, park.short_name_ru) == ("Technopolis Gousev", "Технополис «Гусев»", "Гусев")
