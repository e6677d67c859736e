"""Agreements from press releases: a plain Python package, no Django, fed with the portal's gazetteer.

from extraction import extract
proposal = extract(text)            # language detected; extract(text, "ru") to say it
proposal.to_dict()                  # the JSON `manage.py extract_agreement` prints
"""

from .gazetteer import Entry, Gazetteer, Match
from .pipeline import extract
from .proposal import Proposal

__all__ = ["Entry", "Gazetteer", "Match", "Proposal", "extract"]
