"""The Russian catalogue is complete: every string the code marks is translated, none fuzzy, compiled.

makemessages runs on a copy of the source tree (so the checked-in catalogue is never touched), as
it would for a translator; any string added without a translation fails here with its text.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

BASE = Path(settings.BASE_DIR)
CATALOGUE = BASE / "locale" / "ru" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# Not part of the portal: tools, data and what the tests themselves print.
SKIPPED = {".venv", ".git", "var", "tests", "staticfiles", "test-artifacts", "media", "node_modules"}


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> polib.POFile:
    """The catalogue as makemessages leaves it after merging in every string the source marks today."""
    copy = tmp_path_factory.mktemp("tree") / "tree"
    shutil.copytree(BASE, copy, ignore=lambda folder, names: [name for name in names if name in SKIPPED])
    ignores = [f"--ignore={name}" for name in sorted(SKIPPED)]
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale=ru",
            "--no-obsolete",
            "--verbosity=0",
            # The charts' SVG templates carry words too (Makefile's `messages` reads them as well).
            "--extension=html,txt,py,svg",
            *ignores,
        ],
        cwd=copy,
        check=True,
    )
    return polib.pofile(str(copy / "locale" / "ru" / "LC_MESSAGES" / "django.po"))


def _described(entries) -> str:
    return "\n".join(f"{entry.msgid!r} ({', '.join(path for path, _n in entry.occurrences[:2])})" for entry in entries)


def test_every_marked_string_has_a_russian_translation(fresh_catalogue):
    untranslated = fresh_catalogue.untranslated_entries()
    assert not untranslated, f"translate in locale/ru/LC_MESSAGES/django.po:\n{_described(untranslated)}"


def test_no_translation_is_fuzzy(fresh_catalogue):
    fuzzy = fresh_catalogue.fuzzy_entries()
    assert not fuzzy, f"check and unmark these fuzzy entries:\n{_described(fuzzy)}"


def test_the_catalogue_has_no_strings_the_code_no_longer_uses(fresh_catalogue):
    stored = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    current = {(entry.msgctxt, entry.msgid) for entry in fresh_catalogue}
    assert stored == current


def test_plurals_have_the_three_russian_forms():
    catalogue = polib.pofile(str(CATALOGUE))
    assert "nplurals=3" in catalogue.metadata["Plural-Forms"]
    for entry in catalogue:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == 3 and all(entry.msgstr_plural.values()), entry.msgid


def _messages(path: Path) -> dict:
    return {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in polib.mofile(str(path))}


def test_placeholders_are_kept_and_the_compiled_catalogue_is_current(tmp_path):
    """msgfmt --check refuses a translation that loses a %(name)s; the .mo in git matches the .po."""
    compiled = tmp_path / "django.mo"
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext is missing: apt-get install gettext"
    subprocess.run([msgfmt, "--check", "-o", str(compiled), str(CATALOGUE)], check=True)
    assert _messages(compiled) == _messages(COMPILED), "run: make messages"


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 этап"), (3, "3 этапа"), (5, "5 этапов"), (11, "11 этапов"), (21, "21 этап"), (22, "22 этапа")],
)
def test_russian_plurals_follow_the_number(count, expected):
    with translation.override("ru"):
        text = translation.ngettext("%(total)s milestone", "%(total)s milestones", count) % {"total": count}
    assert text == expected
