"""The extraction against its corpus: the seed comes out fully right in both languages, and the texts it
was tuned on keep their scores (the held-out texts are measured by `make bench-extract`, not asserted)."""

import pytest

from extraction import Entry, Gazetteer, extract, scoring

CORPUS = {name: (text, expected) for name, text, expected in scoring.load_corpus("tuning")}
KEY_FIELDS = ("parties", "kind", "signed_on", "event", "city", "people", "roles", "signatory_party", "dates")


@pytest.mark.parametrize("name", ["en-00-seed", "ru-00-seed"])
def test_the_seed_comes_out_fully_right(name):
    text, expected = CORPUS[name]
    proposal = extract(text).to_dict()
    counts = scoring.score(proposal, expected)
    # Every fact the seed gives, and nothing it does not: no miss, no extra, on every scored field.
    assert {field: (c.fp, c.fn) for field, c in counts.items() if c.fp or c.fn} == {}
    # Never guessed: the seed names no signing date and nobody who signed for Himgrad.
    assert proposal["signed_on"] is None
    assert [person["party"] for person in proposal["signatories"]] == [expected["parties"][1]]
    assert "signed_on" in proposal["missing"]


def test_each_fact_keeps_the_sentence_it_came_from():
    text, _expected = CORPUS["en-00-seed"]
    proposal = extract(text).to_dict()
    sentence = lambda path: text[slice(*proposal["sources"][path])]  # noqa: E731
    assert (
        sentence("witnesses[0]") == "Artem Zdunov, the Deputy Minister of Economics, took part in the signing ceremony."
    )
    assert sentence("facts.Technopolis «Himgrad».founded") == 'The Technopolis "Himgrad" was established in 2006.'
    assert "120 resident companies" in sentence("facts.Technopolis «Himgrad».residents")
    assert sentence("event").startswith("The Technopolis «Himgrad» and the first private innovative project")


def test_the_language_is_detected_and_russian_names_come_in_the_nominative():
    text, _expected = CORPUS["ru-01-instrumental"]
    proposal = extract(text).to_dict()
    assert proposal["language"] == "ru"
    # "Соглашение подписано Андреем Кравцовым … и Натальей Ермолаевой"
    assert [person["name"] for person in proposal["signatories"]] == ["Андрей Кравцов", "Наталья Ермолаева"]
    assert proposal["signatories"][0]["position"] == "генеральный директор"


# What the rules reach on the texts they were tuned on (docs/extraction.md): a change that loses ground
# on these fails here. Recall floors sit a little under the measured figures, precision stays high.
RECALL_FLOORS = {"parties": 0.95, "kind": 0.95, "signed_on": 0.85, "event": 0.9, "city": 0.9, "people": 0.95,
                 "roles": 0.95, "signatory_party": 0.8, "dates": 0.85}  # fmt: skip


@pytest.fixture(scope="module")
def tuning_counts():
    return scoring.total(scoring.score(extract(text).to_dict(), expected) for text, expected in CORPUS.values())


@pytest.mark.parametrize("field", KEY_FIELDS)
def test_the_tuning_texts_keep_their_scores(field, tuning_counts):
    counts = tuning_counts[field]
    assert counts.precision >= 0.95, counts
    assert counts.recall >= RECALL_FLOORS[field], counts


def test_the_gazetteer_matches_spellings_translations_and_typos():
    gazetteer = Gazetteer(
        parks=[
            Entry(1, "Himgrad", ('Technopolis "Himgrad"', "Технополис «Химград»", "Himgrad", "Химград")),
            Entry(2, "Gousev", ("Technopolis Gousev", "Технополис «Гусев»", "Gousev", "Гусев")),
        ],
        people=[Entry(7, "Alexey Liulin", ("Alexey Liulin", "Алексей Люлин"))],
    )
    assert gazetteer.match_park('Technoplis "Himgrad"').id == 1  # the seed's own typo
    assert gazetteer.match_park("Технополисом «Химград»").id == 1
    assert gazetteer.match_park("Technopolis Gusev").id == 2
    assert gazetteer.match_park("Технопарк «Кама»") is None
    assert gazetteer.match_person("Lyulin Alexey").id == 7
    assert gazetteer.match_person("Алексей Люлин").status == "matched"


@pytest.mark.parametrize(
    "text",
    ["", "   \n ", "The weather in Kazan was sunny all week.", "Сегодня в Казани прошёл дождь."],
)
def test_a_text_with_no_agreement_is_said_to_be_empty(text):
    assert extract(text).is_empty()
