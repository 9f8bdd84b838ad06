"""Benchmark of bulk exchange (issue 4): export to XLSX and import into an empty catalogue.

For a scale it builds the demo inventory in a fresh SQLite file (or reuses it with
``--keep``), then runs the real CLI, each step in its own process so that its time and peak
memory are its own:

1. ``katalog export --format xlsx --instansi semua`` (and JSON for comparison);
2. ``katalog db upgrade`` of a new, empty catalogue, then ``katalog import`` of the XLSX file;
3. the same import again, which must change nothing;

and checks that the imported catalogue holds as many rows of every kind as the source.
Results go to ``bench/results/exchange-<scale>.json``.

    python bench/exchange.py --scale city
    python bench/exchange.py --scale national
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
from pathlib import Path

from common import WORK, header, run, write_result

TARGETS = {
    "national": {"import_seconds": 90.0, "import_peak_rss_mib": 1536.0, "export_seconds": 45.0}
}
TABLES = (
    "instansi",
    "organisation",
    "business_process",
    "service",
    "data_set",
    "application",
    "infrastructure_item",
    "security_control",
    "integration",
    "relation",
)


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["city", "province", "national"], default="city")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="reuse an existing demo database")
    args = parser.parse_args()

    work = WORK / f"exchange-{args.scale}"
    source = work / "source.sqlite3"
    target = work / "target.sqlite3"
    xlsx = work / "export.xlsx"
    source_env = {**os.environ, "KATALOG_DATABASE_URL": f"sqlite:///{source}"}
    target_env = {**os.environ, "KATALOG_DATABASE_URL": f"sqlite:///{target}"}
    report: dict[str, object] = {
        **header("exchange", scale=args.scale, seed=args.seed),
        "database": "sqlite",
    }
    if not (args.keep and source.exists()):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        demo = run(
            ["demo", "--scale", args.scale, "--seed", str(args.seed)], source_env, work / "demo.log"
        )
        report["demo_seconds"] = demo["seconds"]
    for leftover in (target, xlsx):
        leftover.unlink(missing_ok=True)

    commands = {
        "export_xlsx": (
            ["export", "--format", "xlsx", "--instansi", "semua", "--output", str(xlsx)],
            source_env,
        ),
        "export_json": (
            [
                "export",
                "--format",
                "json",
                "--instansi",
                "semua",
                "--output",
                str(work / "export.json"),
            ],
            source_env,
        ),
        "empty_catalogue": (["db", "upgrade"], target_env),
        "import_xlsx": (["import", str(xlsx)], target_env),
        # The same file again: everything is unchanged, nothing is written.
        "reimport_xlsx": (["import", str(xlsx)], target_env),
    }
    steps: dict[str, dict[str, float]] = {}
    for name, (cli_args, env) in commands.items():
        steps[name] = run(cli_args, env, work / f"{name}.log")
        print(f"{name}: {steps[name]}", flush=True)

    source_counts, target_counts = counts(source), counts(target)
    report.update(
        {
            "xlsx_mib": round(xlsx.stat().st_size / 2**20, 1),
            "rows": source_counts,
            "imported_rows": target_counts,
            "steps": steps,
            "targets": TARGETS.get(args.scale, {}),
        }
    )
    verdict = {"same_rows_after_import": source_counts == target_counts}
    targets = TARGETS.get(args.scale)
    if targets:
        verdict["export_seconds"] = steps["export_xlsx"]["seconds"] <= targets["export_seconds"]
        verdict["import_seconds"] = steps["import_xlsx"]["seconds"] <= targets["import_seconds"]
        verdict["import_peak_rss"] = (
            steps["import_xlsx"]["peak_rss_mib"] <= targets["import_peak_rss_mib"]
        )
    report["meets_targets"] = verdict
    write_result(f"exchange-{args.scale}", report)
    return 0 if all(verdict.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
