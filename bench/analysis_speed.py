"""Speed of the analysis as a user meets it (issue 5): ``katalog analyze`` and the impact API.

For each scale, on a fresh copy of the demo catalogue in SQLite:

- **start-up**: ``katalog --help`` and ``katalog analyze --rules`` (the CLI's own start-up,
  then with the rule modules imported), best and median of a few runs, so that the
  analysis figures can be read net of them;
- **analyze**: ``katalog analyze --recompute --format json --output FILE`` twice, timed
  (the full load + graph + every rule + cache write; the first run is on a freshly copied
  file), a third time for memory, then once more without ``--recompute`` (the cache is
  served). Each run is the real CLI in its own process, with its wall time and the peak RSS
  of its largest process from ``wait4``. The memory run also samples the whole process tree
  (the CLI forks analysis workers) every 50 ms, as RSS and as PSS (shared pages counted
  once). That sampling is kept out of the timed runs: reading a big process's
  ``smaps_rollup`` costs the kernel ~7 ms, so sampling three processes 20 times a second
  takes ~0.4 of a core from the two the analysis runs on. The time verdict takes the faster
  of the two timed runs; the memory verdict, the memory run's tree PSS. If the cached run
  found the cache stale (the analysis code changed in between), it is run once more.
  Python's bytecode cache is on, as in a normal installation;
- **impact** (``bench/analysis_impact.py``): ``katalog serve`` with one worker and a real
  HTTP client on loopback, as an administrator (who sees restricted items too), timing
  ``/api/v1/graph/impact/{kind}/{id}`` for the most-depended-on items (the busiest SPL and
  data centre, the national systems with the most integrations, the most-read data set)
  and a random sample of items of every kind: p50 / p95 / max;
- with ``--breakdown``, where the time goes: one in-process refresh with one worker, timing
  the snapshot load, each rule check (the first check to need the graph pays for it) and
  the cache write.

Targets: national ≤ 10 s wall and ≤ 1.5 GiB peak, city ≤ 1 s; impact ≤ 200 ms.

    python bench/analysis_speed.py                       # city and national
    python bench/analysis_speed.py --scales city --breakdown
    python bench/analysis_speed.py --scales national --only impact   # impact only, printed

The city catalogue is built by ``bench/analysis_quality.py``'s ``database()`` on first use;
the national one is expected at ``bench/work/analysis-national/katalog.sqlite3`` (build it
with that script, or copy a ``katalog demo --scale national`` database there). Results go to
``bench/results/analysis-speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bench.analysis_impact import impact
from bench.common import WORK, TreeSampler, header, katalog, write_result

TARGETS = {
    "analyze_seconds": {"city": 1.0, "national": 10.0},
    "analyze_peak_mib": {"national": 1536.0},
    "impact_ms": 200.0,
}


# -- catalogues -----------------------------------------------------------------------------


def source_database(scale: str) -> Path:
    """The demo catalogue a scale is measured on (never written to: runs use a copy)."""
    if scale == "national":
        db = WORK / "analysis-national" / "katalog.sqlite3"
        if not db.exists():
            raise SystemExit(
                f"{db} is missing: run `python bench/analysis_quality.py --scales national` "
                "(builds it) or copy a national demo database there."
            )
        return db
    from bench.analysis_truth import database

    url, _ = database(scale)
    return Path(url.removeprefix("sqlite:///"))


def fresh_copy(scale: str, name: str = "analysis-speed") -> Path:
    """A private copy, so that cache writes never touch the catalogue other benches read."""
    folder = WORK / f"{name}-{scale}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = folder / "katalog.sqlite3"
    # SQLite's backup API copies a consistent state even if someone has it open.
    with sqlite3.connect(source_database(scale)) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    run_cli(["db", "upgrade"], user_env(db), folder / "upgrade.log")
    renew_cache_tables(db)
    return db


def renew_cache_tables(db: Path) -> None:
    """Recreate the findings-cache tables when their columns differ from the models.

    They hold derived data only (findings are recomputed whenever missing), and while the
    analysis is being written their migration still changes in place, so a demo catalogue
    built a day earlier may carry an older shape of them than ``db upgrade`` can mend."""
    from sqlalchemy import inspect

    from catalog.db import make_engine
    from catalog.models import AnalysisFinding, AnalysisRun, AnalysisSubject

    engine = make_engine(f"sqlite:///{db}")
    try:
        tables = [m.__table__ for m in (AnalysisRun, AnalysisFinding, AnalysisSubject)]  # type: ignore[attr-defined]
        found = inspect(engine)
        stale = [
            t
            for t in tables
            if {c["name"] for c in found.get_columns(t.name)} != {c.name for c in t.columns}
        ]
        if stale:
            print(f"  recreating cache tables {[t.name for t in tables]}", flush=True)
            for t in reversed(tables):
                t.drop(engine, checkfirst=True)
            for t in tables:
                t.create(engine)
    finally:
        engine.dispose()


# -- running the CLI -------------------------------------------------------------------------


def run_cli(
    args: list[str], env: dict[str, str], log: Path, *, sample: bool = False
) -> dict[str, Any]:
    """One ``katalog`` command: wall time and wait4 peak RSS; with ``sample``, also the
    sampled peak of the process tree (which slows the command down: see the module doc)."""
    started = time.perf_counter()
    sampler = None
    with log.open("wb") as out:
        proc = subprocess.Popen([katalog(), *args], env=env, stdout=out, stderr=subprocess.STDOUT)
        if sample:
            sampler = TreeSampler(proc.pid)
            sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if sampler is not None:
        sampler.stop.set()
        sampler.join(timeout=5)
    code = os.waitstatus_to_exitcode(status)
    if code:
        sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-5000:])
        raise SystemExit(f"katalog {' '.join(args)} failed with exit code {code}")
    out: dict[str, Any] = {
        "seconds": round(elapsed, 3),
        # wait4: the largest single process (the CLI or a worker it reaped), not the sum.
        "peak_rss_mib_largest_process": round(usage.ru_maxrss / 1024, 1),
    }
    if sampler is not None:
        out["peak_rss_mib_tree"] = round(sampler.peak_rss / 2**20, 1)
        out["peak_pss_mib_tree"] = round(sampler.peak_pss / 2**20, 1)
        out["processes"] = sampler.peak_processes
    return out


def user_env(db: Path) -> dict[str, str]:
    """The environment of the CLI runs: the catalogue, and Python's bytecode cache on as in
    a normal installation (a sandbox may turn it off, which makes every start compile the
    project's modules again); the cache goes under bench/work, not into the source tree."""
    env = {**os.environ, "KATALOG_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    return env


def startup(env: dict[str, str], log: Path, repeat: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    run_cli(["analyze", "--rules"], env, log)  # untimed: writes the bytecode cache
    for label, args in (("help", ["--help"]), ("analyze_rules", ["analyze", "--rules"])):
        runs = [run_cli(args, env, log)["seconds"] for _ in range(repeat)]
        out[label] = {"best_seconds": min(runs), "median_seconds": statistics.median(runs)}
    return out


def analyze_once(
    label: str, extra: list[str], env: dict[str, str], work: Path, *, sample: bool = False
) -> dict[str, Any]:
    result = work / f"findings-{label}.json"
    args = ["analyze", *extra, "--format", "json", "--output", str(result)]
    measured = run_cli(args, env, work / f"{label}.log", sample=sample)
    report = json.loads(result.read_text(encoding="utf-8"))
    summary = report.get("summary", {})
    measured["findings"] = len(report.get("findings", []))
    measured["instansi"] = len(summary.get("scope", {}).get("instansi", []))
    measured["output_mib"] = round(result.stat().st_size / 2**20, 2)
    # How many instansi were analysed rather than served from the cache.
    measured["analysed"] = summary.get("analysed")
    measured["from_cache"] = summary.get("from_cache")
    print(f"  analyze {label}: {measured}", flush=True)
    return measured


def analyze_runs(env: dict[str, str], work: Path) -> dict[str, Any]:
    out = {
        "recompute_first": analyze_once("recompute_first", ["--recompute"], env, work),
        "recompute_again": analyze_once("recompute_again", ["--recompute"], env, work),
        "recompute_memory": analyze_once(
            "recompute_memory", ["--recompute"], env, work, sample=True
        ),
        "cached": analyze_once("cached", [], env, work),
    }
    # A "cached" run that analysed anything found the analysis code (or the catalogue)
    # changed since the previous run; once more measures what serving the cache costs.
    if out["cached"]["analysed"]:
        out["cached_again"] = analyze_once("cached_again", [], env, work)
    return out


# -- where the time goes -----------------------------------------------------------------------


def breakdown(db: Path) -> dict[str, Any]:
    """One refresh in this process with one worker, timing its parts (wrappers around the
    module functions it calls; nothing is changed in the product code)."""
    from sqlmodel import Session

    import catalog.queries.snapshot as snapshot_queries
    import catalog.services.analysis.computing as computing
    import catalog.services.analysis.refreshing as refreshing
    from catalog.analysis import rules
    from catalog.analysis.engine import load_rules
    from catalog.db import make_engine
    from catalog.services.analysis import refresh

    load_rules()
    spent: dict[str, float] = {}
    calls: dict[str, int] = {}

    def timing(label: str, fn: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
                # Checks are generators: their work happens while they are consumed.
                if hasattr(result, "__next__"):
                    result = list(result)
                return result
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - t
                calls[label] = calls.get(label, 0) + 1

        return wrapped

    originals = (
        snapshot_queries.load_snapshot,
        refreshing._store,
        computing._parts,
        list(rules.CHECKS),
    )
    snapshot_queries.load_snapshot = timing("load_snapshot", snapshot_queries.load_snapshot)
    refreshing._store = timing("store_cache", refreshing._store)
    computing._parts = timing("split_per_instansi", computing._parts)
    rules.CHECKS[:] = [
        (ids, timing("check " + "+".join(sorted(ids)), run)) for ids, run in originals[3]
    ]
    engine = make_engine(f"sqlite:///{db}")
    try:
        started = time.perf_counter()
        with Session(engine) as session:
            refresh(session, force=True, workers=1)
        total = time.perf_counter() - started
    finally:
        snapshot_queries.load_snapshot, refreshing._store, computing._parts = originals[:3]
        rules.CHECKS[:] = originals[3]
        engine.dispose()
    parts = dict(sorted(spent.items(), key=lambda kv: -kv[1]))
    accounted = sum(v for k, v in spent.items() if k != "split_per_instansi")
    return {
        "workers": 1,
        "total_seconds": round(total, 2),
        "seconds": {k: round(v, 3) for k, v in parts.items()},
        "calls": {k: calls[k] for k in parts},
        "other_seconds": round(total - accounted, 2),
        "note": "split_per_instansi is consumed eagerly here (in the product it is lazy); "
        "the first check that asks the context for the graph or its indexes pays for "
        "building them.",
    }


# -- main ----------------------------------------------------------------------------------------


def measure(scale: str, args: argparse.Namespace) -> dict[str, Any]:
    print(f"== {scale}", flush=True)
    # A part measured alone gets a copy of its own, so as not to clobber a full run's.
    db = fresh_copy(scale, "analysis-speed" if args.only is None else f"analysis-{args.only}")
    work = db.parent
    env = user_env(db)
    with sqlite3.connect(db) as conn:
        (apps,) = conn.execute("select count(*) from application").fetchone()
    entry: dict[str, Any] = {"applications_in_catalogue": apps}
    if args.only is None:
        entry["startup"] = startup(env, work / "startup.log", args.repeat)
        print(f"  startup {entry['startup']}", flush=True)
        entry["analyze"] = analyze_runs(env, work)
    if args.only in (None, "impact"):
        entry["impact"] = impact(db, env, work, args.impact_requests, args.seed)
        latencies = {k: v for k, v in entry["impact"].items() if k != "heavy_items"}
        print(f"  impact {json.dumps(latencies)}", flush=True)
    if args.breakdown:
        entry["breakdown"] = breakdown(fresh_copy(scale, "analysis-breakdown"))
        print(f"  breakdown {entry['breakdown']}", flush=True)
    return entry


def verdicts(scales: dict[str, dict[str, Any]]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for scale, entry in scales.items():
        if "analyze" not in entry:
            continue
        # The faster of the two timed runs (less noise from a busy machine); the memory
        # run's peak (sampled, so not timed).
        runs = [entry["analyze"][k] for k in ("recompute_first", "recompute_again")]
        limit = TARGETS["analyze_seconds"].get(scale)
        if limit is not None:
            out[f"{scale}_analyze_within_{limit:g}_s"] = min(r["seconds"] for r in runs) <= limit
        memory = TARGETS["analyze_peak_mib"].get(scale)
        if memory is not None:
            # The whole process tree, shared pages counted once (PSS): what the machine holds.
            peak = entry["analyze"]["recompute_memory"]["peak_pss_mib_tree"]
            out[f"{scale}_analyze_peak_within_{memory / 1024:g}_gib"] = peak <= memory
    for scale, entry in scales.items():
        if scale == "national" and "impact" in entry:
            out["national_impact_max_within_200_ms"] = (
                entry["impact"]["all"]["max_ms"] <= TARGETS["impact_ms"]
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="*", default=["city", "national"])
    parser.add_argument("--repeat", type=int, default=5, help="start-up runs")
    parser.add_argument("--impact-requests", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--breakdown", action="store_true", help="time the parts in-process")
    parser.add_argument(
        "--only",
        choices=["impact"],
        help="measure this part only (quick to repeat); the figures are printed and the "
        "results file is left as it is",
    )
    args = parser.parse_args()
    report = header("analysis-speed", database="sqlite")
    report["targets"] = TARGETS
    report["scales"] = {scale: measure(scale, args) for scale in args.scales}
    report["meets_targets"] = verdicts(report["scales"])
    if args.only:
        print(json.dumps(report["meets_targets"]), flush=True)
    else:
        write_result("analysis-speed", report)
    return 0 if all(report["meets_targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
