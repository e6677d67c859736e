"""Loads one URL with wrk (a second process, as a browser fleet would) and reads its figures."""

# ruff: noqa: S603, S607 -- runs our own tools (manage.py, gunicorn, wrk, psql) with fixed arguments

import re
import subprocess

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return round(float(number) * _UNITS_MS[unit], 2)


def parse(output: str) -> dict:
    """Requests per second, p50 and p99 latency (ms) and the number of failed requests."""
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)$", output, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    # With no request answered in time wrk prints no distribution: those figures stay empty.
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(percentiles["50"]) if "50" in percentiles else None,
        "p99_ms": _ms(percentiles["99"]) if "99" in percentiles else None,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "failed": (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
    }


def wrk_load(url: str, cookie: str, *, duration: int, connections: int) -> dict:
    done = subprocess.run(
        [
            "wrk",
            f"--threads={min(2, connections)}",
            f"--connections={connections}",
            f"--duration={duration}s",
            "--timeout=30s",
            "--latency",
            "--header",
            f"Cookie: {cookie}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return parse(done.stdout)
