"""From the extraction's Proposal to what the review page shows: initial values, each fact's status and
source sentence, the agreement already made from this release or between these parks."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.access import visible_agreements
from agreements.models import Agreement, InnovationStage
from extraction import Proposal, extract
from extraction.gazetteer import core
from extraction.lexicon import for_language
from parks.models import Facility

from .gazetteer import gazetteer_for, visible_people
from .models import ImportedRelease, release_fingerprint

# The extraction's kinds, as the portal records them; an amendment is an agreement with a parent.
KIND_OF = {
    "agreement": Agreement.Kind.COOPERATION,
    "memorandum": Agreement.Kind.MEMORANDUM,
    "amendment": Agreement.Kind.COOPERATION,
}
FACT_LABELS = {
    "founded": gettext_lazy("founded in"),
    "region": gettext_lazy("region"),
    "city": gettext_lazy("city"),
    "residents": gettext_lazy("resident companies"),
    "products": gettext_lazy("products"),
    "patents": gettext_lazy("patents and trademarks"),
    "know_how": gettext_lazy("know-how"),
    "ownership": gettext_lazy("ownership"),
    "government_funding": gettext_lazy("receives government funding"),
    "sectors": gettext_lazy("sectors"),
    "facilities": gettext_lazy("facilities"),
}
PERSON_ROLE_OF = {"signatory": "signatory", "witness": "witness", "quoted": "contact"}


@dataclass
class Source:
    """The sentence a fact came from, and how sure the portal is of it."""

    status: str  # matched, new, uncertain, found, missing
    sentence: str = ""
    anchor: str = ""
    note: str = ""


@dataclass
class Existing:
    agreement: Agreement
    same_release: bool


class ReviewData:
    """A proposal made ready for the review forms (one extraction, a few queries)."""

    def __init__(self, text: str, language: str | None, user):
        self.text = text
        self.proposal: Proposal = extract(text, language, gazetteer_for(user))
        self.language = self.proposal.language
        self.user = user
        self.anchors: dict[tuple[int, int], str] = {}

    # -- sources ------------------------------------------------------------------------------------------

    def source(self, path: str, status: str = "found", note: str = "") -> Source:
        span = self.proposal.sources.get(path) or self._span_of(path)
        if span is None:
            return Source("missing", note=note)
        span = tuple(span)
        anchor = self.anchors.setdefault(span, f"source-{len(self.anchors) + 1}")
        return Source(status, self.text[span[0] : span[1]], anchor, note)

    def _span_of(self, path: str):
        match = re.fullmatch(r"(parties|people|milestones)\[(\d+)\]", path)
        if not match:
            return None
        items = {
            "parties": self.proposal.parties,
            "people": self.proposal.people,
            "milestones": self.proposal.milestones,
        }
        return items[match[1]][int(match[2])].span

    def marked_text(self) -> list[tuple[str, str]]:
        """The text in pieces (anchor or "", piece): the sentences facts came from are highlighted."""
        pieces, position = [], 0
        for (start, end), anchor in sorted(self.anchors.items()):
            if start < position:
                continue
            pieces.append(("", self.text[position:start]))
            pieces.append((anchor, self.text[start:end]))
            position = end
        pieces.append(("", self.text[position:]))
        return [piece for piece in pieces if piece[1]]

    def missing_labels(self) -> list[str]:
        """What the text does not say, in words: "the signing date", "who signed for Technopolis «Himgrad»"."""
        labels = {
            "kind": _("the kind of document"),
            "title": _("the title"),
            "signed_on": _("the signing date"),
            "event": _("the signing event"),
            "city": _("the city"),
            "parties": _("a second party"),
            "stages": _("what the cooperation covers"),
        }
        shown = []
        for gap in self.proposal.missing:
            if gap.startswith("signatory:"):
                party = self.proposal.parties[int(gap.split(":")[1])].name
                shown.append(_("who signed for %(party)s") % {"party": party})
            else:
                shown.append(str(labels.get(gap, gap)))
        return shown

    # -- initial values ------------------------------------------------------------------------------------

    def agreement_initial(self) -> dict:
        proposal = self.proposal
        stages = InnovationStage.objects.filter(code__in=proposal.stages).values_list("pk", flat=True)
        event_id = (
            proposal.event_match.id if proposal.event_match and proposal.event_match.status == "matched" else None
        )
        signed_on = proposal.signed_on if proposal.signed_on and len(proposal.signed_on) == 10 else None
        return {
            "reference": self.suggested_reference(),
            "title": proposal.title or "",
            "kind": KIND_OF.get(proposal.kind or "", Agreement.Kind.COOPERATION),
            "signed_on": signed_on,
            "event": event_id,
            "new_event_name": "" if event_id else (proposal.event or ""),
            "new_event_city": "" if event_id else (proposal.city or ""),
            "stages": list(stages),
            "subject": "\n".join(proposal.scope[1:] or proposal.scope),
        }

    def agreement_sources(self) -> dict[str, Source]:
        proposal = self.proposal
        signed = self.source("signed_on")
        if proposal.signed_on and len(proposal.signed_on) < 10:
            signed = self.source(
                "signed_on", "uncertain", _("The text gives only %(date)s.") % {"date": proposal.signed_on}
            )
        event_status = "found"
        if proposal.event_match:
            event_status = proposal.event_match.status
        elif proposal.event:
            event_status = "new"
        return {
            "kind": self.source("kind"),
            "title": self.source("title"),
            "signed_on": signed,
            "event": self.source("event", event_status),
            "city": self.source("city"),
            "stages": self.source("stages"),
        }

    def party_rows(self) -> list[tuple[dict, Source]]:
        rows = []
        for index, party in enumerate(self.proposal.parties):
            facts = self.proposal.facts.get(index, {})
            match = party.match
            park_id = match.id if match else None
            figures = {
                "resident_companies": facts.get("residents"),
                "products": facts.get("products"),
                "patents_and_trademarks": facts.get("patents"),
                "know_how": facts.get("know_how"),
            }
            initial = {
                "written": party.name,
                "include": True,
                "park": park_id,
                "new_name": "" if park_id else party.normal,
                "region": facts.get("region", ""),
                "city": facts.get("city", ""),
                "founded_year": facts.get("founded"),
                "ownership": facts.get("ownership", ""),
                "government_funding": facts.get("government_funding"),
                **{key: value for key, value in figures.items() if value is not None},
                "facilities": self._facility_kinds(facts.get("facilities", [])),
                "quote": self._figures_quote(index),
            }
            status = match.status if match else "new"
            rows.append((initial, self.source(f"parties[{index}]", status), self._fact_sources(index, facts)))
        return rows

    def _fact_sources(self, index: int, facts: dict) -> list[tuple[str, str, Source]]:
        """(label, value as shown, source) of what the text says of a party."""
        shown = []
        for key, value in facts.items():
            if isinstance(value, bool):
                value = _("yes") if value else _("no")
            elif isinstance(value, list):
                value = ", ".join(value)
            shown.append((str(FACT_LABELS.get(key, key)), str(value), self.source(f"facts.{index}.{key}")))
        return shown

    def _figures_quote(self, index: int) -> str:
        span = self.proposal.sources.get(f"facts.{index}.residents") or self.proposal.sources.get(
            f"facts.{index}.products"
        )
        return self.text[span[0] : span[1]] if span else ""

    def _facility_kinds(self, phrases: list[str]) -> list[str]:
        lexicon = for_language(self.language)
        kinds = [kind for kind, pattern in lexicon.facilities if any(pattern.fullmatch(phrase) for phrase in phrases)]
        return [kind for kind in dict.fromkeys(kinds) if kind in Facility.Kind.values]

    def people_rows(self) -> list[tuple[dict, Source]]:
        rows = []
        for index, person in enumerate(self.proposal.people):
            match = person.match
            status = match.status if match else "new"
            initial = {
                "name": person.name,
                "role": PERSON_ROLE_OF[person.role],
                "person": match.id if match and match.status == "matched" else None,
                "position": person.position,
                "organisation": person.organisation,
                "party": "" if person.party is None else str(person.party),
            }
            if person.role == "quoted":
                # Quoted only: saved as a contact of the party they work for, when the text says which.
                parties = [
                    i for i, party in enumerate(self.proposal.parties) if core(party.name) in core(person.organisation)
                ]
                initial["party"] = str(parties[0]) if parties else ""
                initial["role"] = "contact" if parties and not match else "skip"
            rows.append((initial, self.source(f"people[{index}]", status)))
        return rows

    def milestone_rows(self) -> list[tuple[dict, Source]]:
        rows = []
        for index, milestone in enumerate(self.proposal.milestones):
            due, note = _deadline(milestone.due)
            status = "uncertain" if note else "found"
            initial = {"include": True, "title": milestone.title, "due_on": due}
            rows.append((initial, self.source(f"milestones[{index}]", status, note)))
        return rows

    # -- the agreement already there --------------------------------------------------------------------

    def existing(self) -> Existing | None:
        visible = visible_agreements(self.user)
        imported = (
            ImportedRelease.objects.filter(fingerprint=release_fingerprint(self.text), agreement__in=visible)
            .select_related("agreement")
            .first()
        )
        if imported:
            return Existing(imported.agreement, same_release=True)
        park_ids = {
            party.match.id for party in self.proposal.parties if party.match and party.match.status == "matched"
        }
        if len(park_ids) < 2:
            return None
        candidates = (
            visible.filter(archived_at__isnull=True)
            .annotate(matching=Count("parties", filter=Q(parties__technopolis_id__in=park_ids), distinct=True))
            .filter(matching=len(park_ids))
        )
        event = self.proposal.event_match
        signed = self.proposal.signed_on if self.proposal.signed_on and len(self.proposal.signed_on) == 10 else None
        same = Q(pk__in=[])
        if event and event.status == "matched":
            same |= Q(signing_event_id=event.id)
        if signed:
            same |= Q(signed_on=signed)
        found = candidates.filter(same).order_by("-created_at").first()
        return Existing(found, same_release=False) if found else None

    def suggested_reference(self) -> str:
        """ "HIM-GOU-002": the parties' first letters, then the next free number."""
        letters = [re.sub(r"[^A-Z]", "", core(party.name).upper())[:3] for party in self.proposal.parties[:3]]
        stem = "-".join(letter for letter in letters if letter) or "REL"
        taken = set(Agreement.objects.filter(reference__startswith=stem).values_list("reference", flat=True))
        number = 1
        while f"{stem}-{number:03d}" in taken:
            number += 1
        return f"{stem}-{number:03d}"


def _deadline(due: str | None) -> tuple[datetime.date | None, str]:
    """A month or a year as the last day of it (a deadline), said on the page; a day as it is."""
    if not due:
        return None, _("The text gives no date.")
    parts = [int(part) for part in due.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts), ""
    if len(parts) == 2:
        year, month = parts
        return datetime.date(year, month, calendar.monthrange(year, month)[1]), _(
            "The text gives only the month (%(month)s): the last day is proposed."
        ) % {"month": due}
    return datetime.date(parts[0], 12, 31), _("The text gives only the year (%(year)s): 31 December is proposed.") % {
        "year": due
    }


def person_choices(user, data: ReviewData):
    """The people a row may be matched to: those proposed, and the people of the parks the release names
    (the select stays short however many people the portal holds), among those the reader may see."""
    proposed = [person.match.id for person in data.proposal.people if person.match]
    parks = [party.match.id for party in data.proposal.parties if party.match]
    return visible_people(user).filter(Q(pk__in=proposed) | Q(technopolis_id__in=parks)).order_by("full_name")
