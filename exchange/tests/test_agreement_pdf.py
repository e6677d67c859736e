"""An agreement's one-page PDF summary, for whoever may see the agreement."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from parks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_summary_is_one_page_with_parties_signatories_and_milestones_in_cyrillic(client):
    himgrad = factories.TechnopolisFactory(name="Технополис «Химград»", short_name="")
    gousev = factories.TechnopolisFactory(name="Технополис Гусев", short_name="")
    agreement = factories.agreement_with_parties(
        himgrad, gousev, reference="AGR-PDF", title="Соглашение о сотрудничестве"
    )
    agreement.parties.filter(technopolis=gousev).update(signatory=factories.PersonFactory(full_name="Яна Стоянова"))
    for number in range(40):
        factories.MilestoneFactory(agreement=agreement, title=f"Этап {number}")
    client.force_login(factories.member(himgrad))

    response = client.get(reverse("exchange:agreement_pdf", args=[agreement.pk]))

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        "Технополис «Химград»",
        "Технополис Гусев",
        "Яна Стоянова",
        "Соглашение о сотрудничестве",
        "Этап 0",
    ):
        assert expected in text
    assert "10 more milestones" in text


def test_the_summary_of_a_confidential_agreement_is_not_found_for_other_parks(client):
    agreement = factories.agreement_with_parties(is_public=False)
    client.force_login(factories.member(factories.TechnopolisFactory(), Membership.Role.EDITOR))

    assert client.get(reverse("exchange:agreement_pdf", args=[agreement.pk])).status_code == 404


def test_the_agreement_page_links_to_its_summary(client):
    park = factories.TechnopolisFactory()
    agreement = factories.agreement_with_parties(park, factories.TechnopolisFactory())
    client.force_login(factories.member(park))

    response = client.get(reverse("agreements:detail", args=[agreement.pk]))

    assert reverse("exchange:agreement_pdf", args=[agreement.pk]) in response.content.decode()


@pytest.mark.parametrize(
    ("language", "ending"), [("en", r"Summary as of \d+ \w+ \d{4}\.$"), ("ru", r"Сводка на \d+ \w+ \d{4} г\.$")]
)
def test_the_summary_ends_with_one_period_in_either_language(client, language, ending):
    import re

    park = factories.TechnopolisFactory()
    agreement = factories.agreement_with_parties(park, factories.TechnopolisFactory())
    client.force_login(factories.member(park))
    client.cookies["django_language"] = language

    text = (
        PdfReader(io.BytesIO(client.get(reverse("exchange:agreement_pdf", args=[agreement.pk])).content))
        .pages[0]
        .extract_text()
    )

    assert re.search(ending, text.strip(), re.M), text[-200:]
