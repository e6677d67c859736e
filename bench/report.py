"""The benchmark's table: per page and size, throughput, latency, queries and the ratios to compare."""

import datetime
import json
from pathlib import Path

BASELINE, ADMIN = "baseline", "admin changelist"


def _page_rows(size: str, result: dict) -> list[str]:
    load, queries = result["load"], result["queries"]
    baseline_rps = load[BASELINE]["rps"] if BASELINE in load else None
    admin_rps = load[ADMIN]["rps"] if ADMIN in load else None
    rows = []
    for page, figures in load.items():
        to_baseline = f"{figures['rps'] / baseline_rps:.0%}" if baseline_rps else "-"
        to_admin = f"{figures['rps'] / admin_rps:.1f}x" if admin_rps else "-"
        failed = f" ({figures['failed']} failed)" if figures["failed"] else ""
        rows.append(
            f"| {size} | {page} | {figures['rps']:.1f}{failed} | {figures['p50_ms']} | {figures['p99_ms']} "
            f"| {to_baseline} | {to_admin} | {queries.get(page, '-')} |"
        )
    return rows


def pages_table(results: dict) -> str:
    lines = [
        "| size | page | req/s | p50 ms | p99 ms | vs baseline | vs admin | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
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


def write_report(results: dict, *, machine: dict, command: str, folder: Path) -> Path:
    stamp = datetime.datetime.now(datetime.UTC)
    sizes = "\n".join(
        f"- {size}: {json.dumps(result['counts'])}, generated in {result['generated_seconds']} s"
        for size, result in results.items()
    )
    text = (
        f"# Benchmark results, {stamp:%Y-%m-%d %H:%M} UTC\n\n"
        f"Command: `{command}`\n\nMachine: `{json.dumps(machine)}`\n\nData:\n{sizes}\n\n"
        f"## Pages\n\n{pages_table(results)}\n\n## E-mail runs\n\n{mail_table(results)}\n"
    )
    path = folder / f"results-{stamp:%Y%m%d-%H%M}.md"
    path.write_text(text, encoding="utf-8")
    (folder / f"results-{stamp:%Y%m%d-%H%M}.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return path
