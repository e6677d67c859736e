"""Prints what the portal reads in a press release, as JSON (for scripts and checks)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from extraction import extract
from extraction.readers import UnreadableDocument, read_document

from ...gazetteer import gazetteer_for
from ...reading import refusal


class AdminReader:
    """The command runs with the whole register as its gazetteer, as an administrator would."""

    is_authenticated = is_active = is_superuser = is_staff = True


class Command(BaseCommand):
    help = "Reads a press release (.txt, .docx, .pdf, .html) and prints the proposed agreement as JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The release: a .txt, .docx, .pdf or .html file.")
        parser.add_argument("--language", choices=["en", "ru"], help="The release's language (detected if not given).")
        parser.add_argument("--no-gazetteer", action="store_true", help="Do not match names against the database.")

    def handle(self, *args, file, language=None, no_gazetteer=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            text = read_document(path.name, path.read_bytes())
        except UnreadableDocument as error:
            raise CommandError(f"{file}: {' '.join(refusal(error).messages)}") from None
        gazetteer = None if no_gazetteer else gazetteer_for(AdminReader())
        proposal = extract(text, language, gazetteer)
        if proposal.is_empty():
            raise CommandError(f"{file}: no agreement found in this text")
        self.stdout.write(json.dumps(proposal.to_dict(), ensure_ascii=False, indent=2))
