"""Russian morphology and names through natasha, loaded once per process.

natasha's models ship inside its wheel (navec embeddings, slovnet NER), so nothing is downloaded.
"""

import re
import warnings
from functools import cache


@cache
def models():
    """(segmenter, morph vocabulary, morph tagger, NER tagger): about 1 s and 150 MB, once."""
    with warnings.catch_warnings():
        # pymorphy2 still imports pkg_resources (setuptools is pinned below 81 for it).
        warnings.simplefilter("ignore", UserWarning)
        from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        embedding = NewsEmbedding()
        return Segmenter(), MorphVocab(), NewsMorphTagger(embedding), NewsNERTagger(embedding)


def named_entities(text: str) -> list[tuple[str, int, int, str]]:
    """(type PER/ORG/LOC, start, end, normal form) of every entity natasha finds."""
    from natasha import Doc

    segmenter, vocab, morph_tagger, ner_tagger = models()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_morph(morph_tagger)
    doc.tag_ner(ner_tagger)
    entities = []
    for span in doc.spans:
        span.normalize(vocab)
        entities.append((span.type, span.start, span.stop, keep_yo(span.text, span.normal or span.text)))
    return entities


def keep_yo(original: str, normal: str) -> str:
    """natasha's normal forms write ё as е ("Артём" -> "Артем"); put back the ё the text had."""
    words = normal.split()
    originals = original.split()
    if len(words) != len(originals):
        return normal
    fixed = []
    for source, word in zip(originals, words, strict=True):
        letters = list(word)
        for index, char in enumerate(source[: len(word)]):
            if char in "ёЁ" and letters[index] in "еЕ":
                letters[index] = char
        fixed.append("".join(letters))
    return " ".join(fixed)


WORD = re.compile(r"[А-Яа-яЁё][А-Яа-яЁё\-]*")


def to_nominative(phrase: str) -> str:
    """The head of a noun phrase put in the nominative, its dependents kept.

    "заместителем министра экономики" -> "заместитель министра экономики",
    "Петербургского международного инновационного форума" -> "Петербургский международный инновационный форум".
    """
    _segmenter, vocab, _morph, _ner = models()
    words = list(WORD.finditer(phrase))
    if not words:
        return phrase
    parses = [vocab.parse(match.group()) for match in words]
    # The head is the first word most likely a noun ("Волжского" may be a surname, but is an adjective first).
    head = next((index for index, options in enumerate(parses) if options and options[0].pos == "NOUN"), None)
    if head is None:
        head = next((index for index, options in enumerate(parses) if _noun(options)), None)
    if head is None:
        return phrase
    noun = _noun(parses[head])
    case = noun.feats.get("Case")
    if case in (None, "Nom"):
        return phrase
    gender, number = noun.feats.get("Gender"), noun.feats.get("Number", "Sing")
    replacements = {}
    for index in range(head + 1):
        options = parses[index]
        form = noun if index == head else _agreeing(options, case, gender, number)
        if form is None:
            continue
        grams = {"Nom", number} | ({gender} if gender and number == "Sing" and index != head else set())
        inflected = form.inflect(grams) or form.inflect({"Nom"})
        if inflected:
            replacements[index] = _same_case(words[index].group(), inflected.word)
    result, last = [], 0
    for index, match in enumerate(words):
        if index in replacements:
            result.append(phrase[last : match.start()])
            result.append(replacements[index])
            last = match.end()
    result.append(phrase[last:])
    return "".join(result)


def _noun(options):
    return next((form for form in options if form.pos == "NOUN" and "Case" in form.feats), None)


def is_genitive_noun(word: str) -> bool:
    """ "инноваций", "Черноземья": a noun in the genitive, which may end an event's name."""
    _segmenter, vocab, _morph, _ner = models()
    options = vocab.parse(word)
    return bool(options) and options[0].pos == "NOUN" and options[0].feats.get("Case") == "Gen"


def _agreeing(options, case, gender, number):
    for form in options:
        agrees = number == "Plur" or form.feats.get("Gender") in (gender, None)
        if form.pos == "ADJ" and form.feats.get("Case") == case and agrees:
            return form
    return None


def _same_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if "-" in original and "-" in word:
        # "Ханты-Мансийске" -> "Ханты-Мансийск": each part keeps its capital.
        return "-".join(_same_case(a, b) for a, b in zip(original.split("-"), word.split("-"), strict=False))
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def feminine_nominative(original: str, normal: str) -> str:
    """A woman's name in the nominative: natasha may read "Яна Стоянова" as a man's genitive ("Ян Стоянов")."""
    _segmenter, vocab, _morph, _ner = models()
    words = []
    for word in original.split():
        parses = [
            form for form in vocab.parse(word) if form.feats.get("Gender") == "Fem" and form.pos in ("NOUN", "PROPN")
        ]
        inflected = parses[0].inflect({"Nom"}) if parses else None
        words.append(_same_case(word, inflected.word) if inflected else word)
    candidate = " ".join(words)
    return keep_yo(original, candidate) if candidate else normal
