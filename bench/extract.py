"""How well, how fast and in how much memory the extraction reads press releases.

    .venv/bin/python bench/extract.py [--verbose] [--markdown docs/extraction-benchmark.md]

Runs extraction.extract() over extraction/corpus/ and prints precision and recall per field for
the tuning texts, the held-out texts and both (extraction/scoring.py says how each field is
counted); then the time of the first call of each language (the models load there), the median
time of a 5,000-character release in each language and the process's peak memory before the
import and once the models are loaded. A report, not a test: it always exits 0.
"""

import argparse
import resource
import statistics
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "extraction" / "corpus"
LANGUAGES = ("en", "ru")
RELEASE_LENGTH = 5000
RUNS = 20


def _peak_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss: kilobytes on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def _first_text(language: str) -> str:
    # Read straight from the folder: importing the scorer first would load rapidfuzz before the
    # models and blur the memory figures.
    return sorted((CORPUS / "tuning").glob(f"{language}-*.txt"))[0].read_text(encoding="utf-8")


def _release(texts: list[str]) -> str:
    """A 5,000-character release made of the corpus texts of one language, cut to length."""
    joined = ""
    while len(joined) < RELEASE_LENGTH:
        joined += "\n\n".join(texts) + "\n\n"
    return joined[:RELEASE_LENGTH]


def _median_ms(extract, text: str) -> float:
    durations = []
    for _ in range(RUNS):
        started = time.perf_counter()
        extract(text)
        durations.append(time.perf_counter() - started)
    return statistics.median(durations) * 1000


def _predict(extract, text: str) -> tuple[dict, str | None]:
    """The proposal's JSON, or an empty one and the error: one failing text must not stop the report."""
    try:
        return extract(text).to_dict(), None
    except Exception:
        return {}, traceback.format_exc(limit=3).strip().splitlines()[-1]


def _mismatches(scoring, name: str, predicted: dict, expected: dict, error: str | None) -> list[str]:
    lines = [f"- **{name}**" + (f": extract() failed: {error}" if error else "")]
    for field, comparison in scoring.compare(predicted, expected).items():
        if comparison.extra or comparison.missing:
            lines.append(f"  - {field}: extra {comparison.extra!r}; missing {comparison.missing!r}")
    if len(lines) == 1 and not error:
        lines[0] += ": no mismatch"
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list each document's mismatches")
    parser.add_argument("--markdown", metavar="FILE", help="also write the report to FILE")
    args = parser.parse_args(argv)

    rss_before = _peak_rss_mb()
    started = time.perf_counter()
    try:
        import extraction

        extract = extraction.extract
    except (ImportError, AttributeError) as error:
        print(f"extraction.extract is not available yet ({error}); nothing to measure.")
        return 0
    import_seconds = time.perf_counter() - started

    # The first call of each language loads what that language needs; it is timed apart.
    first_call = {}
    for language in LANGUAGES:
        started = time.perf_counter()
        _predict(extract, _first_text(language))
        first_call[language] = time.perf_counter() - started
    rss_loaded = _peak_rss_mb()

    from extraction import scoring

    report = ["# Extraction benchmark", ""]
    details = []
    scores = {}
    documents = {}
    started = time.perf_counter()
    for part in ("tuning", "heldout"):
        documents[part] = scoring.load_corpus(part)
        scores[part] = []
        for name, text, expected in documents[part]:
            predicted, error = _predict(extract, text)
            scores[part].append(scoring.score(predicted, expected))
            if args.verbose:
                details += _mismatches(scoring, f"{part}/{name}", predicted, expected, error)
            elif error:
                details.append(f"- **{part}/{name}**: extract() failed: {error}")
    corpus_seconds = time.perf_counter() - started
    count = sum(len(part) for part in documents.values())

    titles = {"tuning": "Tuning texts", "heldout": "Held-out texts"}
    for part, title in titles.items():
        report += [f"## {title} ({len(documents[part])})", "", scoring.table(scoring.total(scores[part])), ""]
    everything = scoring.total(scores["tuning"] + scores["heldout"])
    report += [f"## All texts ({count})", "", scoring.table(everything), ""]

    all_texts = documents["tuning"] + documents["heldout"]
    timings = {
        language: _median_ms(extract, _release([text for name, text, _ in all_texts if name.startswith(language)]))
        for language in LANGUAGES
    }
    report += [
        "## Time and memory",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| import of extraction | {import_seconds * 1000:.0f} ms |",
        *(f"| first call, {language} (models load) | {first_call[language] * 1000:.0f} ms |" for language in LANGUAGES),
        f"| corpus, {count} texts | {corpus_seconds * 1000:.0f} ms ({corpus_seconds * 1000 / count:.1f} ms a text) |",
        *(
            f"| {RELEASE_LENGTH:,}-character release, {language} (median of {RUNS}) | {timings[language]:.1f} ms |"
            for language in LANGUAGES
        ),
        f"| peak RSS before importing extraction | {rss_before:.0f} MB |",
        f"| peak RSS with the models loaded | {rss_loaded:.0f} MB |",
        f"| peak RSS at the end | {_peak_rss_mb():.0f} MB |",
        "",
    ]
    if details:
        report += ["## Mismatches" if args.verbose else "## Errors", "", *details, ""]

    text = "\n".join(report)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text, encoding="utf-8")
        print(f"Written to {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
