"""The proposed record: plain data with the span of the sentence each fact came from."""

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass
class Party:
    name: str  # as written at its first mention
    normal: str  # the name to give a new park (Russian: in the nominative)
    span: Span
    match: Any = None  # a gazetteer Match, when the portal knows the park


@dataclass
class PersonMention:
    name: str  # Russian names in the nominative
    role: str  # signatory, witness or quoted
    span: Span
    position: str = ""
    organisation: str = ""
    party: int | None = None  # index in Proposal.parties
    match: Any = None


@dataclass
class MilestoneMention:
    title: str
    due: str | None
    span: Span


@dataclass
class Proposal:
    language: str
    kind: str | None = None
    title: str | None = None
    parties: list[Party] = field(default_factory=list)
    signed_on: str | None = None
    event: str | None = None
    event_match: Any = None
    city: str | None = None
    people: list[PersonMention] = field(default_factory=list)
    scope: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    milestones: list[MilestoneMention] = field(default_factory=list)
    facts: dict[int, dict[str, Any]] = field(default_factory=dict)  # party index -> key -> value
    sources: dict[str, Span] = field(default_factory=dict)

    def role(self, role: str) -> list[PersonMention]:
        return [person for person in self.people if person.role == role]

    @property
    def missing(self) -> list[str]:
        """What the text does not say: shown empty and flagged on the review page, never guessed."""
        gaps = [name for name in ("kind", "title", "signed_on", "event", "city") if not getattr(self, name)]
        if len(self.parties) < 2:
            gaps.append("parties")
        gaps += [
            f"signatory:{index}"
            for index in range(len(self.parties))
            if not any(person.party == index for person in self.role("signatory"))
        ]
        if not self.stages:
            gaps.append("stages")
        return gaps

    def is_empty(self) -> bool:
        """No agreement in the text: nothing signed and at most one organisation named."""
        return self.kind is None and len(self.parties) < 2

    def to_dict(self) -> dict[str, Any]:
        party_names = [party.name for party in self.parties]

        def party_name(index):
            return party_names[index] if index is not None else None

        result = {
            "language": self.language,
            "kind": self.kind,
            "title": self.title,
            "parties": party_names,
            "signed_on": self.signed_on,
            "event": self.event,
            "city": self.city,
            "signatories": [
                {
                    "name": person.name,
                    "position": person.position,
                    "organisation": person.organisation,
                    "party": party_name(person.party),
                }
                for person in self.role("signatory")
            ],
            "witnesses": [{"name": person.name, "position": person.position} for person in self.role("witness")],
            "quoted": [
                {"name": person.name, "position": person.position, "organisation": person.organisation}
                for person in self.role("quoted")
            ],
            "scope": self.scope,
            "stages": self.stages,
            "milestones": [{"title": milestone.title, "due": milestone.due} for milestone in self.milestones],
            "facts": {party_names[index]: values for index, values in self.facts.items() if values},
            "sources": self._sources(party_names),
            "missing": self.missing,
        }
        matches = {
            f"parties[{index}]": _match_dict(party.match) for index, party in enumerate(self.parties) if party.match
        }
        matches |= {
            f"people[{index}]": _match_dict(person.match) for index, person in enumerate(self.people) if person.match
        }
        if self.event_match:
            matches["event"] = _match_dict(self.event_match)
        result["matches"] = matches
        return result

    def _sources(self, party_names):
        """Each fact's sentence span, by the fact's path in the JSON ("parties[0]", "facts.<party>.founded")."""
        sources = {}
        for path, span in self.sources.items():
            if path.startswith("facts."):
                _facts, index, key = path.split(".", 2)
                path = f"facts.{party_names[int(index)]}.{key}"
            sources[path] = list(span)
        for index, party in enumerate(self.parties):
            sources[f"parties[{index}]"] = list(party.span)
        for role, key in (("signatory", "signatories"), ("witness", "witnesses"), ("quoted", "quoted")):
            for index, person in enumerate(self.role(role)):
                sources[f"{key}[{index}]"] = list(person.span)
        for index, milestone in enumerate(self.milestones):
            sources[f"milestones[{index}]"] = list(milestone.span)
        return sources


def _match_dict(match) -> dict[str, Any]:
    return {"id": match.id, "label": match.label, "score": match.score, "status": match.status}
