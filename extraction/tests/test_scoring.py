"""The scorer of the extraction benchmark: each test states one rule a score must follow."""

import json

import pytest

from extraction import scoring
from extraction.scoring import Counts


def _record(**fields):
    """An expected (or predicted) record with the given fields and the rest empty."""
    record = {
        "language": "en",
        "kind": None,
        "title": None,
        "parties": [],
        "signed_on": None,
        "event": None,
        "city": None,
        "signatories": [],
        "witnesses": [],
        "quoted": [],
        "scope": [],
        "stages": [],
        "milestones": [],
        "facts": {},
    }
    return record | fields


def _signatory(name, party, position="Director"):
    return {"name": name, "position": position, "organisation": party, "party": party}


# --- Counts and the table ------------------------------------------------------------------------


def test_counts_add_field_by_field():
    assert Counts(1, 2, 3) + Counts(10, 20, 30) == Counts(11, 22, 33)


def test_precision_and_recall_are_undefined_without_counts():
    assert Counts().precision is None
    assert Counts().recall is None
    assert Counts(tp=3, fp=1, fn=0).precision == 0.75


def test_table_shows_percentages_and_a_dash_where_nothing_was_counted():
    text = scoring.table({"parties": Counts(tp=3, fp=1, fn=1), "kind": Counts()})
    lines = text.splitlines()
    assert lines[0] == "| field | tp | fp | fn | precision | recall |"
    assert "| parties | 3 | 1 | 1 | 75.0% | 75.0% |" in lines
    assert "| kind | 0 | 0 | 0 | — | — |" in lines


def test_total_sums_documents_and_keeps_every_field():
    first = scoring.score(_record(kind="agreement"), _record(kind="agreement"))
    second = scoring.score(_record(kind="memorandum"), _record(kind="agreement"))
    result = scoring.total([first, second])
    assert list(result) == list(scoring.FIELDS)
    assert result["kind"] == Counts(tp=1, fp=1, fn=1)


def test_a_perfect_prediction_has_no_errors():
    expected = json.loads((scoring.CORPUS / "tuning" / "en-00-seed.json").read_text(encoding="utf-8"))
    result = scoring.score(expected, expected)
    assert all(counts.fp == 0 and counts.fn == 0 for counts in result.values())
    assert result["people"] == Counts(tp=3)


# --- Parties -------------------------------------------------------------------------------------


def test_russian_case_ending_matches_a_party():
    predicted = _record(parties=["Технополиса «Химград»", "Сибирского технопарка"])
    expected = _record(parties=["Технополис «Химград»", "Сибирский технопарк"])
    assert scoring.score(predicted, expected)["parties"] == Counts(tp=2)


def test_generic_word_quotes_and_case_do_not_count_in_a_party_name():
    predicted = _record(parties=['technopark "Ob Valley"'])
    expected = _record(parties=["Technology Park «Ob Valley»"])
    assert scoring.score(predicted, expected)["parties"] == Counts(tp=1)


def test_a_different_park_is_not_a_match():
    predicted = _record(parties=["Technopolis «Himgrad»", "Technopark «Kedr»"])
    expected = _record(parties=["Technopolis «Himgrad»", "Technopolis Gousev"])
    assert scoring.score(predicted, expected)["parties"] == Counts(tp=1, fp=1, fn=1)


def test_one_predicted_party_counts_for_one_expected_party_only():
    predicted = _record(parties=["Technopolis «Himgrad»"])
    expected = _record(parties=["Technopolis «Himgrad»", "Himgrad Technopolis"])
    assert scoring.score(predicted, expected)["parties"] == Counts(tp=1, fn=1)


def test_the_closest_pair_wins_the_match():
    # Both predictions pass the threshold for the one expected park; the exact spelling takes it,
    # though it comes second, and the misspelt one is left over as the false positive.
    comparison = scoring.match(["Kama Valey", "Kama Valley"], ["Kama Valley"], scoring.party_similarity)
    assert comparison.counts == Counts(tp=1, fp=1)
    assert comparison.extra == ["Kama Valey"]


# --- Scalars -------------------------------------------------------------------------------------


def test_a_wrong_date_is_a_false_positive_and_a_false_negative():
    result = scoring.score(_record(signed_on="2024-03-15"), _record(signed_on="2024-03-14"))
    assert result["signed_on"] == Counts(fp=1, fn=1)


def test_a_missing_date_is_only_a_false_negative():
    assert scoring.score(_record(), _record(signed_on="2024-03"))["signed_on"] == Counts(fn=1)


def test_a_date_the_text_does_not_give_is_a_false_positive():
    assert scoring.score(_record(signed_on="2024-03-14"), _record())["signed_on"] == Counts(fp=1)


def test_a_month_is_not_the_day_it_was_guessed_from():
    assert scoring.score(_record(signed_on="2023-05-01"), _record(signed_on="2023-05"))["signed_on"] == Counts(
        fp=1, fn=1
    )


def test_event_matches_on_its_words_whatever_else_the_prediction_adds():
    predicted = _record(event="the Innoprom international industrial trade fair")
    assert scoring.score(predicted, _record(event="Innoprom"))["event"] == Counts(tp=1)


def test_city_tolerates_the_letter_yo_and_a_small_spelling_slip():
    assert scoring.score(_record(city="Орёл"), _record(city="Орел"))["city"] == Counts(tp=1)
    assert scoring.score(_record(city="St Petersburg"), _record(city="St. Petersburg"))["city"] == Counts(tp=1)


def test_city_in_an_oblique_case_far_from_the_nominative_is_wrong():
    assert scoring.score(_record(city="Казани"), _record(city="Казань"))["city"] == Counts(fp=1, fn=1)


# --- People --------------------------------------------------------------------------------------


def test_a_missing_witness_is_a_false_negative():
    expected = _record(witnesses=[{"name": "Artem Zdunov", "position": "Deputy Minister of Economics"}])
    result = scoring.score(_record(), expected)
    assert result["people"] == Counts(fn=1)
    assert result["roles"] == Counts(fn=1)
    assert result["positions"] == Counts(fn=1)


def test_a_witness_taken_for_a_signatory_is_found_but_has_the_wrong_role():
    predicted = _record(signatories=[_signatory("Artem Zdunov", None, "Deputy Minister of Economics")])
    expected = _record(witnesses=[{"name": "Artem Zdunov", "position": "Deputy Minister of Economics"}])
    result = scoring.score(predicted, expected)
    assert result["people"] == Counts(tp=1)
    assert result["roles"] == Counts(fp=1, fn=1)
    assert result["positions"] == Counts(tp=1)


def test_names_match_across_yo_and_letter_case():
    predicted = _record(witnesses=[{"name": "артем здунов", "position": ""}])
    expected = _record(witnesses=[{"name": "Артём Здунов", "position": "заместитель министра экономики"}])
    result = scoring.score(predicted, expected)
    assert result["roles"] == Counts(tp=1)
    # An empty position is no claim: only the expected one is missing.
    assert result["positions"] == Counts(fn=1)


def test_a_name_left_in_the_instrumental_case_is_another_person():
    predicted = _record(signatories=[_signatory("Андреем Кравцовым", "технопарк «Кулибин»")])
    expected = _record(signatories=[_signatory("Андрей Кравцов", "технопарк «Кулибин»")])
    assert scoring.score(predicted, expected)["people"] == Counts(fp=1, fn=1)


def test_signatory_for_the_wrong_party_is_an_error_of_that_pair_only():
    parties = ["Technopark «Ladoga»", "Technopark «Pomorie»"]
    predicted = _record(parties=parties, signatories=[_signatory("Yulia Sokolova", "Technopark «Pomorie»")])
    expected = _record(parties=parties, signatories=[_signatory("Yulia Sokolova", "Technopark «Ladoga»")])
    result = scoring.score(predicted, expected)
    assert result["roles"] == Counts(tp=1)
    assert result["signatory_party"] == Counts(fp=1, fn=1)


def test_signatory_party_in_a_russian_case_form_matches():
    predicted = _record(signatories=[_signatory("Павел Гринёв", "технопарка «Мещера»")])
    expected = _record(signatories=[_signatory("Павел Гринев", "Технопарк «Мещера»")])
    assert scoring.score(predicted, expected)["signatory_party"] == Counts(tp=1)


def test_position_matches_on_its_words():
    predicted = _record(signatories=[_signatory("Gleb Vorontsov", "X", "Director of the Kama Valley Technopolis")])
    expected = _record(signatories=[_signatory("Gleb Vorontsov", "X", "Director")])
    assert scoring.score(predicted, expected)["positions"] == Counts(tp=1)


def test_a_different_position_is_wrong():
    predicted = _record(quoted=[{"name": "Yana Stoyanova", "position": "CEO", "organisation": ""}])
    expected = _record(quoted=[{"name": "Yana Stoyanova", "position": "Marketing Director", "organisation": ""}])
    assert scoring.score(predicted, expected)["positions"] == Counts(fp=1, fn=1)


# --- Dates, milestones, stages -------------------------------------------------------------------


def test_dates_pool_the_signing_and_the_milestones_as_a_multiset():
    predicted = _record(signed_on="2024-07-09", milestones=[{"title": "call", "due": "2025"}])
    expected = _record(
        signed_on="2024-07-09",
        milestones=[{"title": "call", "due": "2025-03"}, {"title": "centre", "due": "2025"}],
    )
    assert scoring.score(predicted, expected)["dates"] == Counts(tp=2, fn=1)


def test_a_milestone_needs_a_similar_title_and_the_exact_due_date():
    expected = _record(milestones=[{"title": "first joint call for resident projects", "due": "2025-03"}])
    close = _record(milestones=[{"title": "The first joint call for resident projects is planned", "due": "2025-03"}])
    late = _record(milestones=[{"title": "first joint call for resident projects", "due": "2025"}])
    assert scoring.score(close, expected)["milestones"] == Counts(tp=1)
    assert scoring.score(late, expected)["milestones"] == Counts(fp=1, fn=1)


def test_a_milestone_without_a_date_matches_one_without_a_date():
    expected = _record(milestones=[{"title": "first joint demo day for investors", "due": None}])
    predicted = _record(milestones=[{"title": "joint demo day for investors", "due": None}])
    result = scoring.score(predicted, expected)
    assert result["milestones"] == Counts(tp=1)
    assert result["dates"] == Counts()


def test_stages_are_a_set_of_codes():
    predicted = _record(stages=["research", "research", "promotion"])
    expected = _record(stages=["idea", "research"])
    assert scoring.score(predicted, expected)["stages"] == Counts(tp=1, fp=1, fn=1)


# --- Facts ---------------------------------------------------------------------------------------


def test_facts_match_by_party_case_form_key_and_value():
    predicted = _record(facts={"Технополиса «Химград»": {"founded": 2006, "residents": 100, "region": "Татарстане"}})
    expected = _record(facts={"Технополис «Химград»": {"founded": 2006, "residents": 120, "region": "Татарстан"}})
    result = scoring.compare(predicted, expected)["facts"]
    assert result.counts == Counts(tp=2, fp=1, fn=1)
    assert result.missing == [("Технополис «Химград»", "residents", 120)]


def test_a_region_matches_without_its_generic_word():
    predicted = _record(facts={"Technopolis Gousev": {"region": "Kaliningrad"}})
    expected = _record(facts={"Technopolis Gousev": {"region": "Kaliningrad region"}})
    assert scoring.score(predicted, expected)["facts"] == Counts(tp=1)


def test_a_fact_given_to_the_wrong_party_is_wrong():
    predicted = _record(facts={"Technopolis Gousev": {"founded": 2006}})
    expected = _record(facts={"Technopolis «Himgrad»": {"founded": 2006}})
    assert scoring.score(predicted, expected)["facts"] == Counts(fp=1, fn=1)


def test_a_flag_is_not_a_number():
    predicted = _record(facts={"Technopolis Gousev": {"government_funding": True}})
    expected = _record(facts={"Technopolis Gousev": {"residents": 1, "government_funding": False}})
    assert scoring.score(predicted, expected)["facts"] == Counts(fp=1, fn=2)


def test_lists_of_sectors_and_facilities_are_not_scored():
    predicted = _record(facts={"Technopolis Gousev": {"sectors": ["radio electronics"]}})
    expected = _record(facts={"Technopolis Gousev": {"facilities": ["venture fund"]}})
    assert scoring.score(predicted, expected)["facts"] == Counts()


# --- Corpus --------------------------------------------------------------------------------------


@pytest.mark.parametrize("part", ["tuning", "heldout"])
def test_every_corpus_document_agrees_with_itself_and_names_its_parties_facts(part):
    documents = scoring.load_corpus(part)
    assert documents
    for name, text, expected in documents:
        assert 800 <= len(text) <= 3500, name
        assert set(expected["facts"]) <= set(expected["parties"]), name
        assert {person["party"] for person in expected["signatories"]} <= set(expected["parties"]), name
        assert all(counts.fp == counts.fn == 0 for counts in scoring.score(expected, expected).values()), name


def test_an_unknown_corpus_part_is_refused():
    with pytest.raises(ValueError, match="tuning or heldout"):
        scoring.load_corpus("training")
