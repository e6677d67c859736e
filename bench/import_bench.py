"""How long importing 10,000 rows takes, and how much memory it needs.

    .venv/bin/python bench/import_bench.py [--rows 10000]

Creates a fresh PostgreSQL database (BENCH_IMPORT_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/technopolis_import_bench, dropped at the end), migrates it, and
times, for resident companies and milestones: the preview of a new file, its import, the
re-import of the same file (all rows unchanged) and an XLSX file updating every row. Peak memory
is Python's (tracemalloc) during a separate preview of the CSV and of the XLSX file.
"""

import argparse
import csv
import os
import sys
import tempfile
import time
import tracemalloc
import urllib.parse
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _database(url: str, *, drop: bool) -> None:
    parts = urllib.parse.urlparse(url)
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    connection.autocommit = True
    name = parts.path.lstrip("/")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def _write_csv(path: Path, rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as target:
        csv.writer(target).writerows(rows)
    return path


def _write_xlsx(path: Path, rows: list[list]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _timed(label: str, function, **kwargs):
    started = time.perf_counter()
    report = function(**kwargs)
    seconds = time.perf_counter() - started
    counts = ", ".join(f"{action} {count}" for action, count in sorted(report.counts.items()))
    print(f"{label:<42} {seconds:7.2f} s   {counts}{'  ERRORS' if report.has_errors else ''}")
    return report


def _peak(label: str, function, **kwargs) -> None:
    tracemalloc.start()
    function(**kwargs)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<42} {peak / 1024 / 1024:7.1f} MB peak (Python allocations)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    url = os.environ.get("BENCH_IMPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/technopolis_import_bench")
    os.environ.update(DATABASE_URL=url, DEBUG="true", DJANGO_SETTINGS_MODULE="technopolis_portal.settings")
    _database(url, drop=False)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        _run(rows)
    finally:
        from django.db import connections

        connections.close_all()
        _database(url, drop=True)


def _run(rows: int) -> None:
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        _measure(rows)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return
    _measure(rows)


def _measure(rows: int) -> None:
    from exchange.services import import_apply, import_preview
    from residents.validators import complete_inn
    from tests import factories

    admin = factories.SuperuserFactory(username="bench-admin")
    parks = [factories.TechnopolisFactory(name=f"Bench park {n}") for n in range(10)]
    agreements = [factories.agreement_with_parties(parks[n % 10], parks[(n + 1) % 10]) for n in range(100)]
    header = ["INN", "Name", "Park", "Legal form", "Resident since", "Staff"]
    companies = [header] + [
        [complete_inn(f"{700000000 + n:09d}"), f"Company {n}", parks[n % 10].name, "ooo", "2024-01-15", n % 300]
        for n in range(rows)
    ]
    renamed = [header] + [[*row[:1], f"{row[1]} (renamed)", *row[2:]] for row in companies[1:]]
    milestones = [["Agreement reference", "Title", "Due on", "Status"]] + [
        [agreements[n % 100].reference, f"Milestone {n}", "2027-06-30", "planned"] for n in range(rows)
    ]
    print(f"Import of {rows} rows on PostgreSQL (seconds include parsing, validation and writes)\n")
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        files = {
            "companies.csv": _write_csv(folder / "companies.csv", companies),
            "renamed.xlsx": _write_xlsx(folder / "renamed.xlsx", renamed),
            "milestones.csv": _write_csv(folder / "milestones.csv", milestones),
        }
        for kind, name in (("companies", "companies.csv"), ("milestones", "milestones.csv")):
            path = files[name]
            arguments = {"user": admin, "kind": kind, "path": path, "filename": name}
            _timed(f"{kind}: preview of {name}", import_preview, **arguments)
            _timed(f"{kind}: import of {name}", import_apply, **arguments)
            _timed(f"{kind}: re-import of the same file", import_apply, **arguments)
        arguments = {"user": admin, "kind": "companies", "path": files["renamed.xlsx"], "filename": "renamed.xlsx"}
        _timed("companies: preview of an XLSX updating every row", import_preview, **arguments)
        _timed("companies: XLSX updating every row", import_apply, **arguments)
        print()
        csv_arguments = {**arguments, "path": files["companies.csv"], "filename": "companies.csv"}
        _peak("memory: preview of companies.csv", import_preview, **csv_arguments)
        _peak("memory: preview of renamed.xlsx", import_preview, **arguments)


if __name__ == "__main__":
    main()
