"""From a release's text to a Proposal: the order of the steps and the rules shared by both languages.

Every fact keeps the span of the sentence it came from; what no rule finds stays empty (Proposal.missing).
"""

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from . import russian
from .dates import find_dates
from .gazetteer import Gazetteer, core
from .lexicon import (
    CITY_OF_PARK,
    DATE_LATER,
    EN_NAME_WORD,
    MILESTONE_TITLES,
    NUMBER_WORDS,
    QUOTED,
    REGIONS,
    RU_CITY_ADJECTIVES,
    RU_NAME_WORD,
    UNDATED_MILESTONE,
    Lexicon,
    for_language,
)
from .proposal import MilestoneMention, Party, PersonMention, Proposal
from .text import Sentence, detect_language, fold, split_sentences, squash, strip_quotes

ROLE_RANK = {"signatory": 3, "witness": 2, "quoted": 1}
QUOTE_MARKS = "«\"“„'"
# A quotation ("…" or “…”) in a sentence: names inside it are spoken of, not speaking.
QUOTED_SPEECH = r"“[^”]{12,}”|(?:^|(?<=[\s(]))\"(?=\S)[^\"]{12,}?(?<=\S)\"(?=[\s.,;:!?)]|$)|«[^»]{40,}»"
# Runs of capitalised words (with initials), among which a person's name ends.
NAME_RUN = r"[A-Z][\w'’-]*\.?(?:\s+[A-Z][\w'’-]*\.?)*"
NOT_A_NAME = re.compile(
    r"^(?:The|On|In|At|By|For|This|That|These|It|He|She|They|We|Our|Each|But|And|Mr|Ms|Mrs|Dr|Prof|According|Under|"
    r"From|New|Its|Their|Both|All|After|Before|During|With|Moscow's|\w+'s|of|for|and|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|Russian|Russia|"
    r"Federation|Republic|Region|Krai|Oblast|Ministry|Government|International|Innovation|Innovative|Agreement|"
    r"Memorandum|Project|Company|Management|Development|Technological|Scientific|Area|Economic|Economics|Industrial|"
    r"Science|Technology|Technologies|University|Institute|Upstream|Downstream|Digital|State|Federal|Regional|Joint|"
    r"St|Saint|Special|Zone|Park|Centre|Center|Business|Investment|Deputy|First|Policy|Office|Department|Valley|"
    r"Techno\w*|OOO|LLC|JSC|PJSC|CEO|CTO|Document|Signed|Fact|About|Press|Release|Siberia|Scandinavia|Europe|Asia|"
    r"Professor|Academician|Chamber|Commerce|Association|Council|Board|Agency|Union|Society|Fund|Foundation|Bank|Group|"
    r"Holding|Corporation|Laboratory|School|Also|While|Daily|Today|Thursday|Monday|Tuesday|Wednesday|Friday|Saturday|Sunday)$"
)
EARLIER_AGREEMENT = re.compile(
    r"\b(?:the \d{4} agreement|the earlier agreement|the original agreement|agreement of \d{4}|"
    r"соглашение \d{4} года|прежнее соглашение|первоначальное соглашение)",
    re.I,
)
RU_NOT_A_NAME = re.compile(
    r"^(?:Со|С|В|Во|На|По|Для|От|Между|При|Как|Это|Сегодня|Вчера|Также|И|А|Но|Из|О|Об|К|У|За|Под|Над|После|До|"
    r"Соглашение|Меморандум|Договор|Документ|Стороны|Парки|Проект|Компания|Управляющая)$"
)
# Words that open a position before its main word: "General Director", "Deputy Minister".
RU_POSITION_PREFIX = r"(?:[а-яё-]+(?:ый|ий|ой|ая|яя|ое|ого|его|ым|им|ому|ему|ей|ую)\s+){0,2}"
POSITION_PREFIX = r"(?:(?:General|Executive|Managing|Chief|First|Deputy|Vice|Acting|Senior|Technical|Commercial|Marketing|Financial|Scientific|Operating|Programme|Program|Project|Regional|Federal)\s+)*"


@dataclass
class Mention:
    """An organisation named in the text."""

    name: str
    normal: str
    start: int
    end: int
    key: str  # the folded core ("himgrad"), to tell organisations apart


class Extraction:
    def __init__(self, text: str, language: str | None, gazetteer: Gazetteer | None):
        self.text = text
        self.language = language or detect_language(text)
        self.lex: Lexicon = for_language(self.language)
        self.gazetteer = gazetteer or Gazetteer()
        self.sentences = split_sentences(text)
        self.proposal = Proposal(self.language)
        self.entities = russian.named_entities(text) if self.language == "ru" and text.strip() else []

    # -- the steps ---------------------------------------------------------------------------------------

    def run(self) -> Proposal:
        if not self.sentences:
            return self.proposal
        self.main = self._main_sentence()
        self.mentions = self._organisations()
        self._kind_and_title()
        self._parties()
        self._event_and_city()
        self._people()
        self._signed_on()
        self._scope()
        self._milestones()
        self._facts()
        self._match()
        return self.proposal

    def _main_sentence(self) -> Sentence | None:
        """The sentence that says what was signed: a signing verb, a document and most organisations."""
        signing = [s for s in self.sentences if self.lex.signing.search(s.text)]
        with_document = [s for s in signing if any(pattern.search(s.text) for _kind, pattern in self.lex.kinds)]
        return (with_document or signing or [None])[0]

    def _kind_and_title(self):
        sentence = self.main
        if sentence is None:
            return
        for kind, pattern in self.lex.kinds:
            if pattern.search(sentence.text):
                self.proposal.kind = kind
                self.proposal.sources["kind"] = (sentence.start, sentence.end)
                break
        match = self.lex.title.search(sentence.text)
        if match:
            title = squash(match["title"]).rstrip(" ,.;:")
            if self.language == "ru":
                words = title.split(" ", 1)
                title = " ".join([russian.to_nominative(words[0]), *words[1:]])
            self.proposal.title = title[:1].upper() + title[1:]
            self.proposal.sources["title"] = (sentence.start, sentence.end)

    # -- organisations and parties -----------------------------------------------------------------------

    def _organisations(self) -> list[Mention]:
        lex = self.lex
        name_word = RU_NAME_WORD if self.language == "ru" else EN_NAME_WORD
        words = rf"{name_word}(?:\s+{name_word}){{0,2}}"
        prefix = r"(?:[A-ZА-ЯЁ][\w-]+\s+){0,2}"
        lowercase_middle = r"(?:\s+[а-яё-]+){0,5}\s+" if self.language == "ru" else r"\s+"
        patterns = [
            # "Технопарк в сфере высоких технологий «Кедровый»"
            rf"{lex.org_before}{lowercase_middle}{QUOTED}",
            # "Вышегорский государственный университет"
            r"[А-ЯЁ][\w-]+\s+(?:[а-яё-]+\s+){0,2}(?:университет|институт|академи)\w*",
            rf"{prefix}{lex.org_before}\s+(?:{QUOTED}|{words})",
            rf"(?:{QUOTED}|{words})\s+{lex.org_after}",
            QUOTED,
        ]
        found: list[Mention] = []
        for pattern in patterns:
            for match in re.finditer(pattern, self.text):
                name, start = match.group(), match.start()
                # "The Ural Technopark «Malachite»": words before the generic one belong to the name, "The" does not.
                while (
                    (lead := re.match(r"([A-ZА-ЯЁ][\w-]*)\s+", name))
                    and re.match(rf"(?:[A-ZА-ЯЁ][\w-]+\s+)?{lex.org_before}", name[lead.end() :])
                    and (
                        NOT_A_NAME.match(lead[1]) or RU_NOT_A_NAME.match(lead[1]) or lead[1] in self.lex.cities.values()
                    )
                ):
                    name, start = name[lead.end() :], start + lead.end()
                name = name.strip()
                if pattern == QUOTED:
                    name = strip_quotes(name)
                    if not re.search(lex.org_before, name) and not self._known_park(name):
                        continue
                self._add_mention(found, name, start, match.end())
        for entry in self.gazetteer.parks:
            for known in {name for name in entry.names if len(name) >= 4}:
                for match in re.finditer(re.escape(known), self.text, re.I):
                    self._add_mention(found, match.group(), match.start(), match.end())
        for kind, start, end, normal in self.entities:
            if kind == "ORG" and self._known_park(normal):
                self._add_mention(found, self.text[start:end], start, end, normal)
        return sorted(found, key=lambda mention: mention.start)

    def _known_park(self, name: str) -> bool:
        return bool(self.gazetteer.parks) and self.gazetteer.match_park(name) is not None

    def _add_mention(self, found: list[Mention], name: str, start: int, end: int, normal: str | None = None):
        name = squash(name)
        if not re.search(QUOTED, name) and re.search(
            r"(?:технопарк|технополис|парк)(?:и|ы|ов|ам|ами|ах)\b|\b(?:technoparks|technopolises|parks)\b", name, re.I
        ):
            return  # "Сибирские технопарки", "the parks": many, not one
        if not re.search(QUOTED, name) and any(
            kind == "PER" and start < stop and begin < end for kind, begin, stop, _normal in self.entities
        ):
            return  # "директор парка Вероника Чернова": a person after the generic word, not a park's name
        if not core(name) or any(start < other.end and end > other.start for other in found):
            return
        if normal is None:
            normal = russian.to_nominative(name) if self.language == "ru" else name
        found.append(Mention(name, normal, start, end, core(name)))

    def _same(self, first: str, second: str) -> bool:
        if first == second:
            return True
        shared = set(first.split()) & set(second.split())
        stems = {word[:5] for word in first.split() if len(word) > 3} & {
            word[:5] for word in second.split() if len(word) > 3
        }
        return bool(shared or stems) and fuzz.token_set_ratio(first, second) >= 85

    def _party_of_key(self, key: str) -> int | None:
        return next(
            (index for index, party in enumerate(self.proposal.parties) if self._same(core(party.name), key)), None
        )

    def _parties(self):
        sentences = [self.main] if self.main else []
        sentences += [s for s in self.sentences if s is not self.main and self.lex.signing.search(s.text)]
        sentences += [s for s in self.sentences if self.lex.party_cue.search(s.text)]
        for sentence in sentences:
            for mention in self._mentions_in(sentence):
                if self._party_of_key(mention.key) is None and not self._is_event_part(mention):
                    # The name as first written in the text, when it says the same.
                    first = next(m for m in self.mentions if self._same(m.key, mention.key))
                    span = self._sentence_at(first.start)
                    # Russian names as a park is called (the nominative), not as the sentence declines them.
                    name = first.normal if self.language == "ru" else first.name
                    self.proposal.parties.append(Party(name, first.normal, (span.start, span.end)))
            if sentence is self.main and len(self.proposal.parties) >= 2:
                break
        if len(self.proposal.parties) < 2 and self.main:
            self._parties_by_syntax()

    def _parties_by_syntax(self):
        """Names no park pattern knows ("Tomsk State University and Akadempark signed"): the subject of the
        signing verb, or the two sides of "between X and Y", cut at commas and "and"."""
        text = self.main.text
        if self.language == "ru":
            subject = re.search(r"^(?P<who>.+?)\s+(?:\d{1,2}\s+\w+\s+\d{4}\s+года\s+)?(?:подписали|заключили)\b", text)
            between = re.search(
                r"\bмежду\s+(?P<who>.+?)(?=\s+(?:в рамках|во время|на полях|в ходе|в присутствии)|[.;]|$)", text
            )
            splitter, article = r",\s*|\s+и\s+", r"^(?:а также)\s+"
        else:
            subject = re.search(r"^(?P<who>.+?)\s+(?:have\s+|has\s+)?(?:signed|concluded|inked|entered into)\b", text)
            between = re.search(r"\bbetween\s+(?P<who>.+?)(?=\s+(?:on|in|at|during|within)\s|[.;]|$)", text)
            splitter, article = r",\s*(?:and\s+)?|\s+and\s+", r"^(?:the|a)\s+"
        for found in (between, subject):
            if not found:
                continue
            who = re.sub(r"^.*?\s[—–-]\s", "", found["who"])  # a dateline
            who = re.sub(r"^(?:On|In)\s+[^,]+,\s*|^\d{1,2}\s+\w+\s+\d{4}\s+года\s+(?:в\s+[А-ЯЁ]\w+\s+)?", "", who)
            chunks = [re.sub(article, "", chunk.strip(), flags=re.I) for chunk in re.split(splitter, who)]
            chunks = [re.sub(r"\s+(?:from|of|из)\s+[A-ZА-ЯЁ][\w-]+$", "", chunk) for chunk in chunks]
            names = [chunk for chunk in chunks if 2 < len(chunk) <= 80 and re.match(r"[«\"“A-ZА-ЯЁ]", chunk)]
            if len(names) >= 2:
                for name in names:
                    if self._party_of_key(core(name)) is None:
                        start = self.main.start + text.find(name)
                        normal = russian.to_nominative(name) if self.language == "ru" else name
                        self.proposal.parties.append(Party(name, normal, (self.main.start, self.main.end)))
                        self.mentions.append(Mention(name, normal, start, start + len(name), core(name)))
                return

    def _is_event_part(self, mention: Mention) -> bool:
        return bool(re.search(self.lex.event_words, mention.name))

    def _mentions_in(self, sentence: Sentence) -> list[Mention]:
        return [m for m in self.mentions if sentence.start <= m.start < sentence.end]

    def _sentence_at(self, offset: int) -> Sentence:
        return next(s for s in self.sentences if s.start <= offset < s.end + 1)

    def _parties_in(self, sentence_text: str) -> set[int]:
        folded = f" {fold(sentence_text)} "
        found = set()
        for index, party in enumerate(self.proposal.parties):
            if all(place is not None for place in self._places(core(party.name), folded)):
                found.add(index)
        return found

    def _places(self, key: str, folded: str) -> list:
        """Where each word of a party's name is in a folded text: Russian words by their stem ("Химграда"),
        English ones whole ("Kazan" is not "Kazanka")."""
        if not key:
            return [None]
        if self.language == "ru":
            return [
                re.search(rf" {re.escape(word[:-2])}" if len(word) > 5 else rf" {re.escape(word)}\w{{0,3}} ", folded)
                for word in key.split()
            ]
        return [re.search(rf" {re.escape(word)}(?:s)? ", folded) for word in key.split()]

    # -- the event and its city --------------------------------------------------------------------------

    def _event_and_city(self):
        ordered = ([self.main] if self.main else []) + [s for s in self.sentences if s is not self.main]
        for sentence in ordered:
            event = self._event_in(sentence) or (self._lowercase_event(sentence) if self.language == "en" else None)
            if event:
                name, city = event
                self.proposal.event = name
                self.proposal.sources["event"] = (sentence.start, sentence.end)
                if city:
                    self.proposal.city = city
                    self.proposal.sources["city"] = (sentence.start, sentence.end)
                break
        if not self.proposal.city:
            self._city_of_signing()
        if not self.proposal.city and self.main:
            self._city_in_main_sentence()
        if not self.proposal.city and self.main:
            self._city_from_dateline()

    def _event_in(self, sentence: Sentence) -> tuple[str, str | None] | None:
        if self.language == "ru":
            return self._event_in_russian(sentence)
        word = r"(?:St\.|[A-Z0-9][\w&'’-]*|«[^»]+»|“[^”]+”|\"[^\"]+\")"
        run = rf"{word}(?:\s+(?:of|and|on|for|&)?\s*{word})*"
        for match in re.finditer(run, sentence.text):
            name = match.group().strip()
            if not re.search(rf"\b{self.lex.event_words}\b", name):
                continue
            name = re.sub(r"^(?:The|During|At|On|In)\s+", "", name)
            name = name.rstrip(".,;")
            city = self._english_city(sentence.text[match.end() :], name)
            return name, city
        return None

    def _lowercase_event(self, sentence: Sentence) -> tuple[str, str | None] | None:
        """ "at a roundtable on industrial robotics", "at the annual meeting of the Association of Technoparks"."""
        match = re.search(
            r"\b(?:at|during|on the sidelines of)\s+(?:the|an?)\s+(?P<event>(?:(?:annual|regional|international|joint|first)\s+)?"
            r"(?:meeting|roundtable|round table|conference|session|congress|forum|seminar|workshop)\s+(?:of|on)\s+[^,.;]+?)"
            r"(?=\s+(?:in|held|hosted|on|at|while|where)\s|[,.;]|$)",
            sentence.text,
        )
        if not match:
            return None
        return match["event"], self._english_city(sentence.text[match.end() :], match["event"])

    def _english_city(self, after: str, event: str) -> str | None:
        where = re.match(
            r"(?:\s+[a-z][\w-]*){0,6}?\s*(?:,\s*)?(?:held\s+|which (?:took place|was held)\s+)?\s*in\s+(?:the city of\s+)?"
            r"(?P<city>[A-Z][\w-]+(?:[ -][A-Z][\w-]+)?)",
            after,
        )
        if (
            where
            and self._party_of_key(core(where["city"])) is None
            and not re.search(r"[Rr]egion|Republic|Oblast|Krai", where["city"])
        ):
            return where["city"]
        folded = fold(event)
        for key, city in self.lex.cities.items():
            if re.search(rf"\b{fold(key)}\b", folded):
                return city
        return None

    def _event_in_russian(self, sentence: Sentence) -> tuple[str, str | None] | None:
        text = sentence.text
        for cue in self.lex.event_cue.finditer(text):
            rest = text[cue.end() :]
            tokens = list(re.finditer(r"«[^»]+»|\"[^\"]+\"|[\w-]+", rest))[:9]
            taken, seen_event, event_at = [], False, 0
            for token in tokens:
                word = token.group()
                if re.fullmatch(r"(?:в|на|между|и|с|со|по|при|где|который|которая|где)", word):
                    break
                if taken and rest[taken[-1].end() : token.start()].strip(" "):
                    break  # a comma or a dash ends the name
                named = word[:1] in '«"' or word[:1].isupper() or re.fullmatch(r"\d{4}", word)
                if seen_event and not (named or (len(taken) - event_at <= 2 and russian.is_genitive_noun(word))):
                    break
                taken.append(token)
                if seen_event and word[:1] in '«"':
                    break  # the quoted name closes the event's name
                if not seen_event and re.search(self.lex.event_words, word, re.I):
                    seen_event, event_at = True, len(taken)
            if not seen_event or len(taken) > 7:
                continue
            phrase = rest[taken[0].start() : taken[-1].end()]
            if re.match(r"(?:прошл|эт|следующ|текущ|будущ)\w*\s+недел", phrase, re.I):
                continue  # "на прошлой неделе" is a time, not an event
            name = russian.to_nominative(phrase)
            name = name[:1].upper() + name[1:]
            return name, self._russian_city(rest[taken[-1].end() :], phrase)
        return None

    def _russian_city(self, after: str, event: str) -> str | None:
        where = re.match(
            r"\s*(?:,\s*)?(?:прош\w+\s+|проходивш\w+\s+|состоявш\w+\s+)?в\s+(?:г\.\s*|городе\s+)?(?P<city>[А-ЯЁ][\w-]+(?:\s+[А-ЯЁ][\w-]+)?)",
            after,
        )
        if where:
            city = russian.to_nominative(where["city"])
            if not re.search(r"област|кра[йя]|республик", city, re.I):
                return city
        for stem, city in RU_CITY_ADJECTIVES.items():
            if re.search(rf"\b{stem}", event, re.I):
                return city
        return None

    def _city_of_signing(self):
        """ "The document, signed in Samara", "подписано в Казани"."""
        pattern = (
            r"(?:\bподписа\w*|\b(?:церемония|подписание)\s+(?:состоял\w*|прош\w+))\s+(?:\w+\s+)?(?:во?)\s+(?:г\.\s*|городе\s+)?(?P<city>[А-ЯЁ][\w-]+(?:\s+[А-ЯЁ][\w-]+)?)"
            if self.language == "ru"
            else r"\b(?:signed|(?:ceremony|signing) (?:took place|was held))\s+in\s+(?:the city of\s+)?(?P<city>[A-Z][\w-]+(?:[ -][A-Z][\w-]+)?)"
        )
        for sentence in self.sentences:
            match = re.search(pattern, sentence.text)
            if (
                match
                and not REGIONS[self.language].fullmatch(match["city"])
                and not re.match(r"\d|[A-Z][a-z]+ \d", match["city"])
            ):
                city = russian.to_nominative(match["city"]) if self.language == "ru" else match["city"]
                if self._first_party_in(city) is None:
                    self.proposal.city = city
                    self.proposal.sources["city"] = (sentence.start, sentence.end)
                    return

    def _city_in_main_sentence(self):
        """ "12 сентября 2024 года в Нижнем Новгороде … подписали": a place named in the signing sentence."""
        pattern = (
            r"\bво?\s+(?P<city>[А-ЯЁ][\w-]+(?:\s+[А-ЯЁ][\w-]+)?)"
            if self.language == "ru"
            else r"\bin\s+(?P<city>[A-Z][\w-]+(?:[ -][A-Z][\w-]+)?)\b"
        )
        event = fold(self.proposal.event or "")
        for match in re.finditer(pattern, self.main.text):
            city = russian.to_nominative(match["city"]) if self.language == "ru" else match["city"]
            if (
                self._is_region(match["city"])
                or self._first_party_in(city) is not None
                or (event and fold(match["city"]) in event)
            ):
                continue
            if re.search(self.lex.event_words, city) or re.match(
                r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Russia|Россия|России)",
                city,
            ):
                continue
            after = self.main.text[match.end() : match.end() + 12]
            if re.match(r"\s+(?:region|oblast|krai|област|кра)", after, re.I):
                continue
            self.proposal.city = city
            self.proposal.sources["city"] = (self.main.start, self.main.end)
            return

    def _city_from_dateline(self):
        """ "Kazan — The parks …": the dateline of one of the first paragraphs, when it names a known city."""
        for sentence in [s for s in self.sentences if s.index == self._paragraph_start(s)][:3]:
            match = re.match(
                r"\s*(?P<city>[A-ZА-ЯЁ][\w.-]*[\w](?:[ -][A-ZА-ЯЁ][\w-]+)?)\s*(?:,\s|\s[—–-]\s|\.\s|\.$)", sentence.text
            )
            if not match:
                continue
            candidate = match["city"]
            known = self.lex.cities.get(fold(candidate)) or next(
                (city for city in self.lex.cities.values() if fold(city) == fold(candidate)), None
            )
            dateline = self.language == "ru" or re.match(r"\s*\S+(?:\s\S+)?\s[—–]\s", sentence.text)
            if not known and dateline and re.fullmatch(r"[A-ZА-ЯЁ][a-zа-яё-]+(?:[ -][A-ZА-ЯЁ][a-zа-яё-]+)?", candidate):
                known = candidate  # a dateline: "Berezogorsk — …", "Воронеж. …" (the nominative)
            if known:
                self.proposal.city = known
                self.proposal.sources["city"] = (sentence.start, sentence.end)
                return

    # -- people and their roles --------------------------------------------------------------------------

    def _people(self):
        found = self._russian_people() if self.language == "ru" else self._english_people()
        people: dict[str, PersonMention] = {}
        for person in found:
            key = self._person_key(person.name, people)
            known = people.get(key)
            if known is None:
                people[key] = person
                continue
            if ROLE_RANK[person.role] > ROLE_RANK[known.role]:
                known.role, known.span = person.role, person.span
                known.party = person.party if person.party is not None else known.party
            if len(person.name) > len(known.name):
                known.name = person.name
            known.position = known.position or person.position
            known.organisation = known.organisation or person.organisation
            if known.party is None:
                known.party = person.party
        self.proposal.people = list(people.values())
        for person in self.proposal.people:
            if person.role == "signatory" and person.party is None:
                # "The heads of the parks, X and Y, signed": said later who works where.
                for text in (person.organisation, person.position):
                    indexes = self._parties_in(text) if text else set()
                    if len(indexes) == 1:
                        person.party = indexes.pop()
                        break

    def _person_key(self, name: str, people: dict) -> str:
        key = fold(name)
        for existing in people:
            # "Liulin" alone, later in the text, is the Alexey Liulin named before.
            if key == existing or (len(key.split()) == 1 and key in existing.split()):
                return existing
            if len(existing.split()) == 1 and existing in key.split():
                people[key] = people.pop(existing)
                return key
        return key

    def _english_people(self) -> list[PersonMention]:
        known_people = {fold(name) for entry in self.gazetteer.people for name in entry.names}
        cities = {fold(city) for city in self.lex.cities.values()}
        party_keys = {core(party.name) for party in self.proposal.parties}
        people = []
        for sentence in self.sentences:
            quoted = [match.span() for match in re.finditer(QUOTED_SPEECH, sentence.text)]
            for start, end in self._english_names(sentence.text):
                name = sentence.text[start:end]
                key = fold(name)
                if key in cities or key in party_keys or self._inside_mention(sentence.start + start):
                    continue
                if any(begin < start < stop for begin, stop in quoted) or (
                    start and sentence.text[start - 1] in QUOTE_MARKS
                ):
                    continue  # a name inside a quotation or «…» is what someone said, or a park
                if re.match(r"\s*[—–-]\s", sentence.text[end:]) and sentence.index == self._paragraph_start(sentence):
                    continue  # a dateline: "Veliky Novgorod — …"
                role = self._role(sentence.text, start, end)
                if role is None:
                    continue
                position, organisation = self._english_position(sentence.text, start, end)
                if (
                    not position
                    and key not in known_people
                    and role == "quoted"
                    and not self._speech_nearby(sentence.text, start, end)
                ):
                    continue
                people.append(self._person(name, role, sentence, position, organisation, start))
        return people

    def _paragraph_start(self, sentence: Sentence) -> int:
        return next(s.index for s in self.sentences if s.paragraph == sentence.paragraph)

    def _speech_nearby(self, text: str, start: int, end: int) -> bool:
        return bool(
            re.search(r"\b(?:said|says|added|noted|stressed)\s*$", text[max(0, start - 20) : start])
            or re.match(r"\s+(?:said|says|added|noted|stressed)\b", text[end:])
        )

    def _english_names(self, text: str):
        """Spans of people's names: the end of a run of capitalised words, titles and positions dropped
        ("Executive Director Oleg Mironenko" -> "Oleg Mironenko")."""
        for run in re.finditer(NAME_RUN, text):
            words = list(re.finditer(r"[A-Z][\w'’-]*\.?", run.group()))
            kept = []
            for word in reversed(words):
                token = word.group().rstrip(".")
                if (
                    NOT_A_NAME.match(token)
                    or self.lex.position_words.fullmatch(token)
                    or re.fullmatch(self.lex.event_words, token)
                ):
                    break
                kept.insert(0, word)
            if len(kept) > 3:
                kept = kept[-3:]
            if len(kept) >= 2 and not all(len(word.group()) <= 2 for word in kept):
                end = run.start() + kept[-1].end()
                if kept[-1].group().endswith(".") and len(kept[-1].group()) > 2:
                    end -= 1  # a sentence's full stop, not an initial's
                yield run.start() + kept[0].start(), end

    def _inside_mention(self, offset: int) -> bool:
        return any(mention.start <= offset < mention.end for mention in self.mentions)

    def _english_position(self, text: str, start: int, end: int) -> tuple[str, str]:
        after = re.match(
            rf"(?i:\s*,\s*(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?P<pos>{POSITION_PREFIX}(?:{self.lex.position_words.pattern})[^,;()]*?))"
            r"(?=\s*(?:,|;|\.(?:\s|$)|\)|$|\s+(?:said|says|noted|added|stressed|took|signed|attended|witnessed|and\s+[A-Z][a-z]+\s+[A-Z])))",
            text[end:],
        )
        if after and self.lex.position_words.search(after["pos"]):
            return self._split_position(after["pos"])
        bracket = re.match(r"\s*\((?P<pos>[^()]{2,120})\)", text[end:])
        if bracket and self.lex.position_words.search(bracket["pos"]):
            return self._split_position(bracket["pos"])  # "Ivan Petrov (CEO of Technopark X)"
        heads = re.match(
            r"\s*,\s*who\s+(?P<verb>heads|leads|runs|chairs|directs)\s+(?:the\s+)?(?P<org>[^,;]+)", text[end:]
        )
        if heads:  # "Pavel Shubin, who heads the Vologda Region Technopark,"
            return {"chairs": "chair", "directs": "director"}.get(heads["verb"], "head"), heads["org"].strip()
        segments = re.split(
            r",|;|:|\bby\b|\bsaid\b|\band\b|\bin the presence of\b|\bwith the participation of\b|\s[-–—]\s|\(",
            text[:start],
        )
        last = segments[-1] if segments else ""
        if not last.strip() and len(segments) > 1:
            last = segments[-2]  # apposition: "the Director of X, Ivan Petrov, said"; "by its Director, Ivan Petrov"
        last = squash(last)
        match = re.search(rf"{POSITION_PREFIX}(?:{self.lex.position_words.pattern})", last, re.I)
        if not match or len(last) > 120:
            return "", ""
        position, organisation = self._split_position(last[match.start() :])
        before = re.sub(r"^(?:the|its|their)\s+|['’]s$", "", last[: match.start()].strip(), flags=re.I)
        if (
            not organisation
            and before
            and (
                re.search(self.lex.org_before, before)
                or re.search(QUOTED, before)
                or self._first_party_in(before) is not None
            )
        ):
            organisation = before  # "Technopark «Sokolniki Lab» Director Elena Markova"
        return position, organisation

    def _split_position(self, phrase: str) -> tuple[str, str]:
        phrase = squash(phrase)
        marker = rf"(?:{self.lex.org_before}|{self.lex.org_after}|OOO|LLC|JSC|PJSC|[«\"“„]|the [A-Z])"
        if self.language == "ru":
            marker = rf"(?:{self.lex.org_before}|ООО|АО|ПАО|ЗАО|ОАО|АНО|ГК|[«\"“„]|корпораци\w*|компани\w*|общества)"
            match = re.search(rf"\s(?={marker})", phrase)
            if match:
                return phrase[: match.start()].strip(), _balanced(phrase[match.end() :].strip())
            return phrase, ""
        at = re.search(r"\s+(?:at|with)\s+", phrase)
        if at:
            return phrase[: at.start()].strip(), _balanced(phrase[at.end() :].strip())
        for of in re.finditer(r"\s+of\s+", phrase):
            rest = phrase[of.end() :]
            if re.match(marker, rest) or re.search(self.lex.org_after, rest) or re.search(self.lex.org_before, rest):
                return phrase[: of.start()].strip(), _balanced(rest.strip())
        return phrase, ""

    def _russian_people(self) -> list[PersonMention]:
        people = []
        for kind, start, end, normal in self.entities:
            if kind != "PER":
                continue
            sentence = self._sentence_at(start)
            local_start, local_end = start - sentence.start, end - sentence.start
            role = self._role(sentence.text, local_start, local_end)
            if role is None:
                continue
            position, organisation = self._russian_position(sentence, local_start, local_end)
            if _looks_female(self.text[start:end]) or re.search(
                r"\b\w+(?:ла)\b", self._verbs_near(sentence.text, local_start, local_end)
            ):
                normal = russian.feminine_nominative(self.text[start:end], normal)
            people.append(self._person(normal, role, sentence, position, organisation, local_start))
        return people

    def _verbs_near(self, text: str, start: int, end: int) -> str:
        """The role and speech verbs of the name's clause, whose ending tells a woman ("отметила")."""
        verbs = []
        for _role, _side, pattern in self.lex.cues:
            verbs += [
                cue.group()
                for cue in pattern.finditer(text)
                if abs(cue.start() - start) < 200 or abs(cue.end() - end) < 200
            ]
        return " ".join(verbs)

    def _names_a_person(self, sentence: Sentence, start: int, end: int) -> bool:
        """Whether a phrase of the sentence holds someone's name (then it is not one person's position)."""
        return any(
            kind == "PER" and sentence.start + start <= begin < sentence.start + end
            for kind, begin, _end, _normal in self.entities
        )

    def _russian_position(self, sentence: Sentence, start: int, end: int) -> tuple[str, str]:
        text = sentence.text
        after = re.match(
            rf"\s*,\s*(?P<pos>{RU_POSITION_PREFIX}(?:{self.lex.position_words.pattern})[^,;()]*?)"
            r"(?=\s*(?:,|;|\.(?:\s|$)|\)|$|\s+(?:отметил|сказал|подчеркнул|заявил|подписал|принял)))",
            text[end:],
            re.I,
        )
        if after and not self._names_a_person(sentence, end, end + after.end()):
            position, organisation = self._split_position(after["pos"])
            return russian.to_nominative(position), organisation
        bracket = re.match(r"\s*\((?P<pos>[^()]{2,160})\)", text[end:])
        if bracket and self.lex.position_words.search(bracket["pos"]):
            position, organisation = self._split_position(bracket["pos"])  # "Иван Петров (директор технопарка)"
            return russian.to_nominative(position), organisation
        before = text[:start]
        segments = re.split(
            r",|;|:|\s[-–—]\s|\(|\sи\s|"
            r"\b(?:подписал[иа]?|подписан[оаы]?|в присутствии|при участии|с участием|по словам|со стороны|от имени|"
            r"присутствовал[иа]?|принял[иа]? участие|поставил[иа]?(?: свои)? подписи)\b",
            before,
        )
        last = segments[-1].strip() if segments else ""
        if not last and len(segments) > 1 and text[end:].lstrip().startswith(","):
            last = segments[-2].strip()
        last = re.sub(r"^(?:и|а также|соглашение|меморандум|документ|его|её|ее|их)\s+", "", last, flags=re.I)
        match = re.search(rf"{RU_POSITION_PREFIX}{self.lex.position_words.pattern}", last, re.I)
        if match and len(last) < 160:
            position, organisation = self._split_position(last[match.start() :])
            return russian.to_nominative(position), organisation
        return "", ""

    def _role(self, text: str, start: int, end: int) -> str | None:
        """The role whose cue is nearest the name: "signed by X", "X took part", "said X", "в присутствии X"."""
        best = None
        for role, side, pattern in self.lex.cues:
            for cue in pattern.finditer(text):
                if side == "after" and cue.end() <= start:
                    distance = start - cue.end()
                elif side == "before" and cue.start() >= end:
                    distance = cue.start() - end
                else:
                    continue
                between = text[cue.end() : start] if side == "after" else text[end : cue.start()]
                if role != "quoted" and re.search(r"[.;!?]\s", between):
                    continue
                if best is None or distance < best[0]:
                    best = (distance, role)
        if best is None or best[0] > 220:
            return None
        return best[1]

    def _person(self, name, role, sentence: Sentence, position, organisation, local_start) -> PersonMention:
        person = PersonMention(squash(name), role, (sentence.start, sentence.end), position, organisation)
        if role == "signatory":
            person.party = self._party_for(sentence, local_start, organisation, position)
        return person

    def _party_for(self, sentence: Sentence, local_start: int, organisation: str, position: str) -> int | None:
        cues = [cue for cue in self.lex.party_cue.finditer(sentence.text) if cue.end() <= local_start]
        if cues:
            # "On the part of X ... signed by NAME", "for X by NAME": the party named right after the cue.
            index = self._first_party_in(sentence.text[cues[-1].end() : cues[-1].end() + 60])
            if index is not None:
                return index
        for text in (organisation, position):
            indexes = self._parties_in(text) if text else set()
            if len(indexes) == 1:
                return indexes.pop()
        return None

    def _first_party_in(self, text: str) -> int | None:
        folded = f" {fold(text)} "
        found = []
        for index, party in enumerate(self.proposal.parties):
            places = self._places(core(party.name), folded)
            if all(place is not None for place in places):
                found.append((min(place.start() for place in places), index))
        return min(found)[1] if found else None

    # -- dates ------------------------------------------------------------------------------------------

    def _signed_on(self):
        candidates = ([self.main] if self.main else []) + [
            s for s in self.sentences if s is not self.main and self.lex.signing.search(s.text)
        ]
        for sentence in candidates:
            for found in find_dates(sentence.text, self.language):
                before = sentence.text[max(0, found.start - 25) : found.start]
                if found.precision == "year" or re.search(
                    r"(?:\bof|\bdated|\bfrom|\bот|\bдо|\bby|\bпланир\w*)\s+(?:the\s+)?$", before, re.I
                ):
                    continue
                if self.lex.milestone_cue.search(sentence.text[max(0, found.start - 60) : found.start]):
                    continue
                self.proposal.signed_on = found.value
                self.proposal.sources["signed_on"] = (sentence.start, sentence.end)
                return

    def _milestones(self):
        undated = UNDATED_MILESTONE[self.language]
        for sentence in self.sentences:
            match = undated.search(sentence.text) or DATE_LATER[self.language].search(sentence.text)
            if match:
                self.proposal.milestones.append(
                    MilestoneMention(_title(match["title"], self.language), None, (sentence.start, sentence.end))
                )
                continue
            if sentence is self.main or not self.lex.milestone_cue.search(sentence.text):
                continue
            previous_end = 0
            for found in find_dates(sentence.text, self.language):
                if self.proposal.signed_on and found.value == self.proposal.signed_on:
                    previous_end = found.end
                    continue
                # Two milestones in one sentence: the second's words start after the first's date.
                title = self._milestone_title(
                    sentence.text[previous_end:], found.start - previous_end, found.end - previous_end
                )
                previous_end = found.end
                if title:
                    self.proposal.milestones.append(
                        MilestoneMention(title, found.value, (sentence.start, sentence.end))
                    )

    def _milestone_title(self, text: str, start: int, end: int) -> str | None:
        before, after = text[:start], text[end:]
        patterns_before, patterns_after = MILESTONE_TITLES[self.language]
        for pattern in patterns_before:
            match = re.search(pattern, before, re.I)
            if match:
                groups = match.groupdict()
                if groups.get("object"):
                    return _title(
                        f"{groups['verb']} {groups['object'][:1].lower()}{groups['object'][1:]}", self.language
                    )
                verb = groups.get("verb")
                return _title(f"{match['title']} {verb}" if verb else match["title"], self.language)
        for pattern in patterns_after:
            match = re.search(pattern, after, re.I)
            if match:
                verb = match.groupdict().get("verb")
                return _title(f"{verb} {match['title']}" if verb else match["title"], self.language)
        return None

    # -- what the cooperation covers ----------------------------------------------------------------------

    def _scope(self):
        stages: set[str] = set()
        scope_paragraph = None
        for sentence in self.sentences:
            text = sentence.text
            has_range = self.lex.stage_range.search(text)
            cued = self.lex.scope_cue.search(text) or (has_range and self._stages_of(has_range["first"]))
            if cued and sentence is not self.main:
                scope_paragraph = sentence.paragraph
            elif (sentence.paragraph != scope_paragraph or sentence is self.main) and not cued:
                continue  # a paragraph that opens on what the agreement covers goes on about it
            if self.lex.fact_sentence.search(text) or sentence is not self.main and self._is_quote(text):
                continue
            if EARLIER_AGREEMENT.search(text):
                continue  # what an amended agreement covered before is not this document's scope
            # The signing sentence speaks of its event too ("trade fair"): only its document's title counts.
            found = self._stages_of(self.proposal.title or "") if sentence is self.main else self._stages_of(text)
            if has_range:
                first, last = self._stages_of(has_range["first"]), self._stages_of(has_range["last"])
                if first and last:
                    order = [code for code, _pattern in self.lex.stages]
                    low, high = min(order.index(code) for code in first), max(order.index(code) for code in last)
                    found |= set(order[low : high + 1])
            if found:
                stages |= found
                cue = self.lex.scope_cue.search(text)
                # The signing sentence's scope is the document's title; elsewhere, what follows the cue.
                phrase = (self.proposal.title or text) if sentence is self.main else text[cue.end() :] if cue else text
                self.proposal.scope.append(squash(re.sub(r"^\s*(?:is|are|—|-|:)\s*", "", phrase)).rstrip("."))
                self.proposal.sources[f"scope[{len(self.proposal.scope) - 1}]"] = (sentence.start, sentence.end)
        order = [code for code, _pattern in self.lex.stages]
        self.proposal.stages = [code for code in order if code in stages]
        if self.proposal.stages:
            spans = [span for path, span in self.proposal.sources.items() if path.startswith("scope[")]
            main = (self.main.start, self.main.end) if self.main else None
            self.proposal.sources["stages"] = next((span for span in spans if span != main), spans[0])

    def _is_quote(self, text: str) -> bool:
        """A quotation, or the end of one with its speaker ("…», — рассказал X", "…" - said X)."""
        speaker = r"(?:отметил|сказал|рассказал|подчеркнул|заявил|пояснил|добавил|said|added|noted|stressed|explained)"
        opens_speech = re.match(r"\s*[«\"“„](?:[^»\"”]{40,}|[^»\"”]*$)", text)
        return bool(opens_speech or re.search(rf"[»\"”],?\s*[—–-]+\s*{speaker}", text))

    def _stages_of(self, text: str) -> set[str]:
        return {code for code, pattern in self.lex.stages if pattern.search(text)}

    # -- what the text says of each party -----------------------------------------------------------------

    def _facts(self):
        current, paragraph = None, None
        for sentence in self.sentences:
            if sentence.paragraph != paragraph:
                current, paragraph = None, sentence.paragraph
            named = self._parties_in(sentence.text)
            if len(named) == 1:
                current = next(iter(named))
            elif len(named) > 1 or sentence is self.main:
                current = None
                continue
            if current is None or self._is_quote(sentence.text):
                continue  # what someone says is not a fact of the park
            self._facts_in(sentence, current)

    def _facts_in(self, sentence: Sentence, party: int):
        facts = self.proposal.facts.setdefault(party, {})
        span = (sentence.start, sentence.end)
        path = f"facts.{party}."
        text = sentence.text
        for key, pattern in self.lex.facts.items():
            if key in facts:
                continue
            for match in pattern.finditer(text):
                if key == "founded":
                    if match.group().lower().startswith(("since", "с ")) and self._names_someone(text):
                        continue  # "who has been its director since 2019" is not when the park began
                    value = int(match["value"])
                else:  # "более сотни продуктов": the number may be the word before the adjective's place
                    value = _number(match["value"])
                    if value is None and match.groupdict().get("adj"):
                        value = _number(match["adj"])
                if value is not None:
                    facts[key] = value
                    self.proposal.sources[path + key] = span
                    break
        city = self._city_of_park(sentence, party)
        if city and "city" not in facts:
            facts["city"] = city
            self.proposal.sources[path + "city"] = span
        region = self._region(text)
        if region and "region" not in facts:
            facts["region"] = region
            self.proposal.sources[path + "region"] = span
        for value, pattern in self.lex.ownership:
            if "ownership" not in facts and pattern.search(text):
                facts["ownership"] = value
                self.proposal.sources[path + "ownership"] = span
        if "government_funding" not in facts:
            if self.lex.no_funding.search(text):
                facts["government_funding"] = False
                self.proposal.sources[path + "government_funding"] = span
            elif self.lex.funding.search(text):
                facts["government_funding"] = True
                self.proposal.sources[path + "government_funding"] = span
        facilities = [match.group() for _kind, pattern in self.lex.facilities for match in pattern.finditer(text)]
        if facilities:
            facts.setdefault("facilities", []).extend(facilities)
            self.proposal.sources.setdefault(path + "facilities", span)
        sectors = self._sectors(text)
        if sectors:
            facts.setdefault("sectors", []).extend(sectors)
            self.proposal.sources.setdefault(path + "sectors", span)

    def _city_of_park(self, sentence: Sentence, party: int) -> str | None:
        text = sentence.text
        """Where the park is: "located in Tomsk", "from Barnaul", "cluster in Gousev"; a known city named anywhere."""
        for match in CITY_OF_PARK[self.language].finditer(text):
            city = match["city"]
            if self.language == "ru":
                city = russian.to_nominative(city)
            folded = fold(city)
            if self._is_region(match["city"]) or re.match(
                r"(?:\d|January|February|March|April|May|June|July|August|September|October|November|December|Russia)",
                city,
            ):
                continue
            if self._first_party_in(city) not in (None, party) or any(
                fold(word) in folded for word in ("russia", "россия")
            ):
                continue
            if len(folded) >= 3:
                return city
        for city in dict.fromkeys(self.lex.cities.values()):
            if re.search(rf"\b{re.escape(city)}\b(?!\s+(?:[Rr]egion|[Oo]blast|[Kk]rai))", text):
                return city
        for kind, start, _end, normal in self.entities:
            # natasha's places, in the nominative ("Старый Оскол"), when no preposition introduced them.
            place = kind == "LOC" and sentence.start <= start < sentence.end and not self._is_region(normal)
            plain = place and not re.search(r"област|кра[йя]|республик|росси", normal, re.I)
            if plain and self._first_party_in(normal) in (None, party):
                return normal
        return None

    def _is_region(self, name: str) -> bool:
        return bool(REGIONS[self.language].fullmatch(name)) or bool(
            re.match(
                r"(?:Татарстан|Башкортостан|Башкири|Мордови|Чуваши|Удмурти|Якути|Крым|Дагестан|Югр|Кузбасс|Приморь|Ямал)",
                name,
            )
        )

    def _names_someone(self, text: str) -> bool:
        folded = fold(text)
        return any(
            fold(person.name).split()[-1] in folded.split() for person in self.proposal.people if person.name.split()
        )

    def _region(self, text: str) -> str | None:
        match = REGIONS[self.language].search(text)
        if match and self.language == "ru":
            return russian.to_nominative(match["region"])
        return match["region"] if match else None

    def _sectors(self, text: str) -> list[str]:
        match = self.lex.sector_cue.search(text)
        phrases = []
        if match:
            phrases = [squash(part) for part in re.split(r",\s*|;\s*", match["list"]) if squash(part)]
            if phrases:
                phrases[-1] = re.sub(r"^(?:and|и)\s+", "", phrases[-1])
        cluster = (
            re.search(r"\b(?:an?|the)\s+(?P<what>[a-z][a-z\s-]{3,60}?)\s+cluster\b", text)
            if self.language == "en"
            else re.search(r"кластер\w*\s+(?P<what>[а-яё]+\w*\s+[а-яё]+)", text)
        )
        if cluster:
            phrases.append(squash(cluster["what"]))
        return phrases

    # -- what the portal already knows ---------------------------------------------------------------------

    def _match(self):
        for party in self.proposal.parties:
            party.match = self.gazetteer.match_park(party.normal) or self.gazetteer.match_park(party.name)
        for person in self.proposal.people:
            person.match = self.gazetteer.match_person(person.name)
        if self.proposal.event:
            self.proposal.event_match = self.gazetteer.match_event(self.proposal.event)


def _looks_female(name: str) -> bool:
    """A woman's name in an oblique case ("Станиславы Кудриной", "Ирине Гараевой"), which natasha may
    normalise as a man's: the surname ends as only a woman's does."""
    words = name.split()
    return len(words) >= 2 and bool(re.search(r"(?:ов|ев|ин|ын|ск|цк)(?:ой|ою)$", words[-1]))


def _balanced(text: str) -> str:
    """Drop a closing quote the text has no opening for ('... Company”' where the release typo'd)."""
    for opening, closing in ("«»", "“”", "„“"):
        while text.endswith(closing) and text.count(closing) > text.count(opening):
            text = text[:-1].rstrip()
    return text


def _number(value: str) -> int | None:
    value = value.casefold().strip()
    if value.isdigit():
        return int(value)
    return NUMBER_WORDS.get(value)


def _title(phrase: str, language: str) -> str | None:
    phrase = squash(phrase)
    previous = None
    while previous != phrase:
        previous = phrase
        phrase = re.sub(r"^(?:the|a|an|also|then|and|а|и|также|under [^,]+,)\s+", "", phrase, flags=re.I)
    if len(phrase) < 4:
        return None
    return phrase[:1].upper() + phrase[1:]


def extract(text: str, language: str | None = None, gazetteer: Gazetteer | None = None) -> Proposal:
    """The proposal for one release; language detected when not given."""
    return Extraction(text, language, gazetteer).run()
