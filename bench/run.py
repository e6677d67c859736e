"""The benchmark: pages under load, the e-mail runs and query counts, at two data sizes.

    .venv/bin/python bench/run.py [--sizes small,large] [--duration 10] [--connections 4]

(or `make bench`). For each size it creates a fresh PostgreSQL database (BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/technopolis_bench, dropped at the end), migrates it,
fills it with the demo generator, serves the portal under gunicorn on 127.0.0.1 with DEBUG off and
loads every page with wrk as a logged-in staff user; then it times the reminder sweep and the
digest run delivering to an SMTP sink on loopback, beside a baseline sending as many pre-built
messages. It prints a table and writes it to bench/results-<UTC time>.md.
"""

# ruff: noqa: S603, S607 -- runs our own tools (manage.py, gunicorn, wrk, psql) with fixed arguments

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import pages_table, targets_table, write_report  # noqa: E402
from wrk import wrk_load  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIZES = {
    "small": {
        "parks": 20,
        "residents": 2000,
        "ip": 5000,
        "agreements": 1000,
        "milestones": 10000,
        "subscriptions": 2000,
    },
    "large": {
        "parks": 200,
        "residents": 20000,
        "ip": 50000,
        "agreements": 10000,
        "milestones": 100000,
        "subscriptions": 20000,
    },
}
WEB_PORT, SMTP_PORT = 8765, 8766
BENCH_CACHE = "redis://127.0.0.1:6379/13"


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "SITE_URL": f"http://127.0.0.1:{WEB_PORT}",
        # As docker-compose.yml runs it: one cache shared by every gunicorn worker (kept pages, counters).
        "CACHE_URL": BENCH_CACHE,
    }


def recreate_database(database_url: str, *, drop_only: bool = False) -> None:
    parts = urllib.parse.urlparse(database_url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def _run(env: dict, *command: str) -> str:
    done = subprocess.run([PYTHON, *command], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def manage(env: dict, *args: str) -> str:
    return _run(env, "manage.py", *args)


def probe(env: dict, *args: str) -> dict:
    return json.loads(_run(env, "bench/probe.py", *args).strip().splitlines()[-1])


def wait_for(url: str, seconds: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 -- our own server on loopback
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def load_pages(env: dict, pages: dict, cookie: str, args) -> dict:
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
        wait_for(f"http://127.0.0.1:{WEB_PORT}/healthz")
        results = {}
        for name, path in pages.items():
            url = f"http://127.0.0.1:{WEB_PORT}{path}"
            if args.warmup:
                wrk_load(url, cookie, duration=args.warmup, connections=args.connections)
            results[name] = wrk_load(url, cookie, duration=args.duration, connections=args.connections)
            log(f"  {name}: {results[name]['rps']} req/s, p50 {results[name]['p50_ms']} ms")
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


FANOUT_BROKER = "redis://127.0.0.1:6379/14"


def _rss_mb(pids: list[int]) -> dict[int, float]:
    found = {}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    found[pid] = int(line.split()[1]) / 1024
        except OSError:
            pass
    return found


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def fanout_run(env: dict, processes: int, expected: int) -> dict:
    """The digest run as production does it: beat's send_digests on a Celery worker with `processes`
    processes on Redis, fanned out in ranges; timed from the call until every digest is sent."""
    import redis

    redis.Redis.from_url(FANOUT_BROKER).flushdb()
    probe(env, "digests-reset")
    worker_env = {**env, "CELERY_BROKER_URL": FANOUT_BROKER}
    worker = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "technopolis_portal",
            "worker",
            f"--concurrency={processes}",
            "--loglevel=warning",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=worker_env,
    )
    peak: dict[int, float] = {}
    try:
        time.sleep(4)  # the worker's processes start (not timed)
        started = time.perf_counter()
        _run(worker_env, "-m", "celery", "-A", "technopolis_portal", "call", "notifications.tasks.send_digests")
        progress = {"sent": 0, "open": 0}
        while progress["sent"] < expected or progress["open"]:
            time.sleep(0.5)
            for pid, rss in _rss_mb(_children(worker.pid)).items():
                peak[pid] = max(peak.get(pid, 0), rss)
            progress = probe(env, "digests-progress")
            if time.perf_counter() - started > 1800:
                raise SystemExit(f"the fanned-out digest run did not finish: {progress}")
        seconds = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return {
        "step": f"digests, {processes} worker process{'es' if processes > 1 else ''}",
        "processes": processes,
        "sent": progress["sent"],
        "seconds": round(seconds, 2),
        "per_second": round(progress["sent"] / seconds, 1),
        "peak_rss_mb": round(max(peak.values(), default=0), 1),
    }


def mail_runs(env: dict) -> list[dict]:
    sink = subprocess.Popen(
        [PYTHON, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{SMTP_PORT}"],
        cwd=ROOT,
        env=env,
    )
    try:
        time.sleep(1)  # the sink binds its port
        runs = [probe(env, "reminders"), probe(env, "digests")]
        runs.append(probe(env, "mail-baseline", str(max(runs[1]["sent"], 1))))
        runs += [fanout_run(env, processes, expected=runs[1]["sent"]) for processes in (1, 2)]
        return runs
    finally:
        sink.terminate()
        sink.wait(timeout=30)


def run_size(size: str, args) -> dict:
    env = environment(args.database_url)
    log(f"{size}: fresh database, migrate, collectstatic")
    recreate_database(args.database_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    started = time.perf_counter()
    counts = SIZES[size]
    manage(env, "generate_demo", *[f"--{name}={value}" for name, value in counts.items()])
    generated_in = round(time.perf_counter() - started, 1)
    log(f"{size}: generated in {generated_in} s")
    manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')")
    session = probe(env, "session")
    env["BENCH_COOKIE"] = session["cookie"]
    counted = probe(env, "queries", json.dumps(session["pages"]))
    queries = counted["kept"]
    log(f"{size}: queries {counted}")
    load = load_pages(env, session["pages"], session["cookie"], args)
    mail = mail_runs(env) if size in args.mail_sizes else []
    for run in mail:
        log(f"{size}: {run}")
    return {
        "counts": counts,
        "generated_seconds": generated_in,
        "queries": queries,
        "made_queries": counted["made"],
        "made_ms": counted["made_ms"],
        "load": load,
        "mail": mail,
    }


def machine() -> dict:
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "postgresql": postgres or "unknown",
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()[0:1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="small,large", help="comma-separated: small, large")
    parser.add_argument("--mail-sizes", default="small,large", help="sizes at which to time the e-mail runs")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of load per page before measuring")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/technopolis_bench"),
    )
    parser.add_argument("--keep", action="store_true", help="keep the database of the last size (to look into it)")
    args = parser.parse_args()
    args.mail_sizes = args.mail_sizes.split(",")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install it with `apt-get install -y wrk` (Debian/Ubuntu) and run again.")
    results = {}
    try:
        for size in args.sizes.split(","):
            results[size] = run_size(size, args)
    finally:
        if not args.keep:
            recreate_database(args.database_url, drop_only=True)
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    print(pages_table(results))
    print(targets_table(results))
    path = write_report(results, machine=machine(), command=command.strip(), folder=ROOT / "bench")
    log(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
