"""The benchmark's table: per page and size, throughput, latency, queries and the ratios to compare."""

import datetime
import json
from pathlib import Path

BASELINE, ADMIN = "baseline", "admin changelist"


def _page_rows(size: str, result: dict) -> list[str]:
    load, queries = result["load"], result["queries"]
    made_queries, made_ms = result.get("made_queries", {}), result.get("made_ms", {})
    baseline_rps = load[BASELINE]["rps"] if BASELINE in load else None
    admin_rps = load[ADMIN]["rps"] if ADMIN in load else None
    rows = []
    for page, figures in load.items():
        to_baseline = f"{figures['rps'] / baseline_rps:.0%}" if baseline_rps else "-"
        to_admin = f"{figures['rps'] / admin_rps:.1f}x" if admin_rps else "-"
        failed = f" ({figures['failed']} failed)" if figures["failed"] else ""
        rows.append(
            f"| {size} | {page} | {figures['rps']:.1f}{failed} | {figures['p50_ms']} | {figures['p99_ms']} "
            f"| {to_baseline} | {to_admin} | {queries.get(page, '-')} | {made_queries.get(page, '-')} "
            f"| {made_ms.get(page, '-')} |"
        )
    return rows


def pages_table(results: dict) -> str:
    lines = [
        "| size | page | req/s | p50 ms | p99 ms | vs baseline | vs admin | queries | queries made | made ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, result in results.items():
        lines += _page_rows(size, result)
    if {"small", "large"} <= results.keys():
        lines += ["", "| page | p50 small ms | p50 large ms | large/small |", "|---|---:|---:|---:|"]
        for page, small in results["small"]["load"].items():
            large = results["large"]["load"].get(page)
            if large:
                ratio = f"{large['p50_ms'] / small['p50_ms']:.2f}" if small["p50_ms"] and large["p50_ms"] else "-"
                lines.append(f"| {page} | {small['p50_ms']} | {large['p50_ms']} | {ratio} |")
    return "\n".join(lines)


def mail_table(results: dict) -> str:
    lines = [
        "| size | run | planned | plan s | plan queries | sent | delivery queries | total s | msg/s | peak RSS MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, result in results.items():
        for run in result["mail"]:
            lines.append(
                f"| {size} | {run['step']} | {run.get('planned', '-')} | {run.get('plan_seconds', '-')} "
                f"| {run.get('plan_queries', '-')} | {run['sent']} | {run.get('delivery_queries', '-')} "
                f"| {run['seconds']} | {run['per_second']} | {run['peak_rss_mb']} |"
            )
    return "\n".join(lines)


# Issue 15's targets: every portal page against the bare baseline and the admin changelist, flat
# with data, few queries; the digest run per worker process and from one process to two.
PAGE_TO_BASELINE, PAGE_TO_ADMIN, LARGE_TO_SMALL, MAX_QUERIES = 0.7, 5.0, 1.2, 10
WORKER_TO_BASELINE, TWO_TO_ONE, RSS_LARGE_TO_SMALL = 0.5, 1.7, 1.2


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def _fanout(result: dict, processes: int) -> dict | None:
    return next((run for run in result.get("mail", []) if run.get("processes") == processes), None)


def targets_table(results: dict) -> str:
    """Each target with its figure and whether it is met."""
    lines = ["| target | where | figure | verdict |", "|---|---|---:|---|"]
    for size, result in results.items():
        load, queries = result["load"], result["queries"]
        baseline, admin = load.get(BASELINE), load.get(ADMIN)
        for page, figures in load.items():
            if page in (BASELINE, ADMIN):
                continue
            if baseline:
                ratio = figures["rps"] / baseline["rps"]
                lines.append(
                    f"| req/s ≥ {PAGE_TO_BASELINE:.0%} of the baseline | {size}: {page} | {ratio:.0%} "
                    f"| {_verdict(ratio >= PAGE_TO_BASELINE)} |"
                )
            if admin:
                ratio = figures["rps"] / admin["rps"]
                lines.append(
                    f"| req/s ≥ {PAGE_TO_ADMIN:.0f}x the admin | {size}: {page} | {ratio:.1f}x "
                    f"| {_verdict(ratio >= PAGE_TO_ADMIN)} |"
                )
            # A page made afresh (the first request after a change) counts, not only a kept one.
            count = max(queries.get(page, 0), result.get("made_queries", {}).get(page, 0))
            if count:
                lines.append(
                    f"| ≤ {MAX_QUERIES} queries | {size}: {page} | {count} | {_verdict(count <= MAX_QUERIES)} |"
                )
        baseline_mail = next((run for run in result.get("mail", []) if run["step"] == "pre-built baseline"), None)
        one, two = _fanout(result, 1), _fanout(result, 2)
        if one and baseline_mail:
            ratio = one["per_second"] / baseline_mail["per_second"]
            lines.append(
                f"| digests per worker ≥ {WORKER_TO_BASELINE}x the pre-built baseline | {size} | {ratio:.2f}x "
                f"| {_verdict(ratio >= WORKER_TO_BASELINE)} |"
            )
        if one and two:
            speedup = two["per_second"] / one["per_second"]
            lines.append(
                f"| 2 worker processes ≥ {TWO_TO_ONE}x 1 | {size} | {speedup:.2f}x "
                f"| {_verdict(speedup >= TWO_TO_ONE)} |"
            )
    if {"small", "large"} <= results.keys():
        for page, small in results["small"]["load"].items():
            large = results["large"]["load"].get(page)
            if large and small["p50_ms"] and page not in (BASELINE, ADMIN):
                ratio = large["p50_ms"] / small["p50_ms"]
                lines.append(
                    f"| p50 large ≤ {LARGE_TO_SMALL}x small | {page} | {ratio:.2f} "
                    f"| {_verdict(ratio <= LARGE_TO_SMALL)} |"
                )
        small_one, large_one = _fanout(results["small"], 1), _fanout(results["large"], 1)
        if small_one and large_one and small_one["peak_rss_mb"]:
            ratio = large_one["peak_rss_mb"] / small_one["peak_rss_mb"]
            lines.append(
                f"| worker memory flat in subscriptions (≤ {RSS_LARGE_TO_SMALL}x) | large/small | {ratio:.2f} "
                f"| {_verdict(ratio <= RSS_LARGE_TO_SMALL)} |"
            )
    return "\n".join(lines)


def write_report(results: dict, *, machine: dict, command: str, folder: Path) -> Path:
    stamp = datetime.datetime.now(datetime.UTC)
    sizes = "\n".join(
        f"- {size}: {json.dumps(result['counts'])}, generated in {result['generated_seconds']} s"
        for size, result in results.items()
    )
    text = (
        f"# Benchmark results, {stamp:%Y-%m-%d %H:%M} UTC\n\n"
        f"Command: `{command}`\n\nMachine: `{json.dumps(machine)}`\n\nData:\n{sizes}\n\n"
        f"## Targets\n\n{targets_table(results)}\n\n"
        f"## Pages\n\n{pages_table(results)}\n\n## E-mail runs\n\n{mail_table(results)}\n"
    )
    path = folder / f"results-{stamp:%Y%m%d-%H%M}.md"
    path.write_text(text, encoding="utf-8")
    (folder / f"results-{stamp:%Y%m%d-%H%M}.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return path
