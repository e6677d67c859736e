"""Decompression bombs in flight: do 16 signed-in sessions keep being served while two workers' worth of
malicious spreadsheet uploads arrive?

    .venv/bin/python bench/upload_load.py [--duration 30] [--connections 16] [--workers 2]

Like bench/run.py it makes a PostgreSQL database of its own (dropped at the end), fills it with the
small synthetic data set and serves the portal under gunicorn on 127.0.0.1 with DEBUG off. It loads
the dashboard with wrk as a signed-in staff user, first on a quiet server, then while two threads
upload, one after the other without pause, an XLSX of a few hundred kilobytes whose sheet unpacks to
a million rows. It prints both runs' figures and how the uploads were answered.
"""

# ruff: noqa: S603, S607, S310 -- runs our own tools and talks to our own server on loopback

import argparse
import io
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (  # noqa: E402
    PYTHON,
    ROOT,
    SIZES,
    WEB_PORT,
    environment,
    log,
    manage,
    probe,
    recreate_database,
    wait_for,
)
from wrk import wrk_load  # noqa: E402

BOMB_ROWS = 1_000_000

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def xlsx_bomb(rows: int) -> bytes:
    """A valid workbook whose one sheet has a header and `rows` identical rows: tiny packed, huge unpacked."""
    row = '<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>1655000001</t></is></c></row>'
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row><c t="inlineStr"><is><t>name</t></is></c><c t="inlineStr"><is><t>inn</t></is></c></row>'
        + row * rows
        + "</sheetData></worksheet>"
    )
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return packed.getvalue()


def upload(base: str, cookie: str, content: bytes) -> tuple[int, float]:
    """One upload through the import page, as a browser posts it: (HTTP status, seconds)."""
    page = urllib.request.Request(f"{base}/exchange/import/", headers={"Cookie": cookie})
    with urllib.request.urlopen(page, timeout=120) as response:
        html = response.read().decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", "") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookies = f"{cookie}; csrftoken={csrf_cookie.group(1)}" if csrf_cookie else cookie
    boundary = uuid.uuid4().hex
    body = b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncompanies\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="companies.xlsx"\r\n'.encode(),
            b"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n",
            content,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    request = urllib.request.Request(
        f"{base}/exchange/import/",
        data=body,
        headers={
            "Cookie": cookies,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"{base}/exchange/import/",
        },
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/technopolis_upload_bench")
    args = parser.parse_args()

    bomb = xlsx_bomb(BOMB_ROWS)
    log(f"bomb: {len(bomb) / 1024:.0f} KB packed, {BOMB_ROWS:,} rows")
    env = environment(args.database_url)
    recreate_database(args.database_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "generate_demo", *[f"--{name}={value}" for name, value in SIZES["small"].items()])
    session = probe(env, "session")
    base = f"http://127.0.0.1:{WEB_PORT}"
    dashboard = base + session["pages"]["dashboard"]
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "technopolis_portal.wsgi:application",
            f"--bind=127.0.0.1:{WEB_PORT}",
            f"--workers={args.workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(f"{base}/healthz")
        wrk_load(dashboard, session["cookie"], duration=3, connections=args.connections)  # warm-up
        quiet = wrk_load(dashboard, session["cookie"], duration=args.duration, connections=args.connections)
        log(f"quiet: {quiet}")

        answers: list[tuple[int, float]] = []
        stop = threading.Event()

        def keep_uploading() -> None:
            while not stop.is_set():
                answers.append(upload(base, session["cookie"], bomb))

        uploaders = [threading.Thread(target=keep_uploading) for _ in range(2)]
        for thread in uploaders:
            thread.start()
        time.sleep(1)  # both bombs in flight before the load starts
        loaded = wrk_load(dashboard, session["cookie"], duration=args.duration, connections=args.connections)
        stop.set()
        for thread in uploaders:
            thread.join()
        log(f"with bombs: {loaded}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        recreate_database(args.database_url, drop_only=True)

    statuses = sorted({status for status, _seconds in answers})
    slowest = max((seconds for _status, seconds in answers), default=0)
    print()
    print(f"| dashboard, {args.connections} sessions, {args.workers} workers | req/s | p50 ms | p99 ms | failed |")
    print("|---|---|---|---|---|")
    for name, run in (("quiet", quiet), ("two bomb uploads in flight", loaded)):
        print(f"| {name} | {run['rps']} | {run['p50_ms']} | {run['p99_ms']} | {run['failed']} |")
    print(f"\nbomb uploads answered: {len(answers)}, statuses {statuses}, slowest {slowest} s")
    print(f"bomb: {len(bomb) / 1024:.0f} KB packed, {BOMB_ROWS:,} rows")


if __name__ == "__main__":
    main()
