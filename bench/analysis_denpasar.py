"""The analysis on a real inventory: Kota Denpasar's SPBE application list (issue 5).

Imports the inventory through its shipped mapping (``catalog/data/mappings/denpasar.yaml``)
into a fresh SQLite catalogue under ``bench/work/analysis-denpasar/``, runs
``katalog analyze --format json`` on it, and writes ``bench/results/analysis-denpasar.json``:
the summary and every finding (rule, subjects, evidence, message), grouped for reading, for
the written review in ``bench/denpasar-review.md``.

The inventory itself is read from ``../shared/realdata`` and never copied into the
repository: it carries no licence (see that folder's README). The result keeps only what a
finding needs (codes, source keys, names, owner unit codes, matched words); the import's
notices, which quote free-text cells, stay in the work folder.

    python bench/analysis_denpasar.py [--source FOLDER]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, WORK, header, run, write_result

SOURCE = ROOT.parent / "shared" / "realdata" / "denpasar-spbe-inventaris-aplikasi"
MAPPING = ROOT / "catalog" / "data" / "mappings" / "denpasar.yaml"
INSTANSI = "51.71"
# Rule families whose findings the review reads one by one; the others (a missing
# reference code or hosting on most rows) are kept too, but only counted in the overview.
REVIEWED = ("duplicate", "national", "data", "integration", "risk")


def analysis_sources() -> str:
    """A digest of the analysis code that produced the findings: the review is about this
    code, and the digest says when the findings need producing (and reviewing) again."""
    digest = hashlib.sha256()
    root = ROOT / "catalog" / "analysis"
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def compact(finding: dict[str, Any]) -> dict[str, Any]:
    """A finding without what every finding of its rule repeats (the action text is in the
    rule table) or what only the cache needs."""
    keep = ("rule", "severity", "score", "key", "subjects", "evidence", "message", "message_en")
    out = {k: finding[k] for k in keep if k in finding}
    out["subjects"] = [
        {k: s[k] for k in ("kind", "code", "source_key", "name", "owner", "instansi") if k in s}
        for s in finding["subjects"]
    ]
    return out


def _evidence(finding: dict[str, Any]) -> dict[str, Any]:
    ev = finding.get("evidence") or {}
    return {"evidence": ev} if len(json.dumps(ev)) <= 200 else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="folder with the CSV files")
    args = parser.parse_args()
    if not (args.source / "aplikasi.csv").exists():
        raise SystemExit(f"{args.source} has no aplikasi.csv (see shared/realdata/README.md)")

    work = WORK / "analysis-denpasar"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "katalog.sqlite3"
    env = {**os.environ, "KATALOG_DATABASE_URL": f"sqlite:///{db}"}
    # Wall time and peak memory of each step, for the record (not a benchmark target).
    steps: dict[str, Any] = {}
    steps["db_upgrade"] = run(["db", "upgrade"], env, work / "upgrade.log")
    imported = work / "import.json"
    steps["import"] = run(
        ["import", "--mapping", str(MAPPING), str(args.source), "--report", str(imported)],
        env,
        work / "import.log",
    )
    findings_file = work / "findings.json"
    analyze = ["analyze", "--instansi", INSTANSI, "--recompute", "--format", "json"]
    steps["analyze"] = run([*analyze, "--output", str(findings_file)], env, work / "analyze.log")
    report = json.loads(imported.read_text(encoding="utf-8"))
    analysed = json.loads(findings_file.read_text(encoding="utf-8"))
    findings = [compact(f) for f in analysed["findings"]]
    reviewed = [f for f in findings if f["rule"].split(".")[0] in REVIEWED]
    others = Counter(f["rule"] for f in findings if f["rule"].split(".")[0] not in REVIEWED)
    result = {
        **header(
            "analysis-denpasar",
            source="shared/realdata/denpasar-spbe-inventaris-aplikasi (read, never copied)",
            mapping=str(MAPPING.relative_to(ROOT)),
            instansi=INSTANSI,
        ),
        "analysis_sources_sha256": analysis_sources(),
        "steps": steps,
        "import": {
            "outcome": report.get("outcome"),
            "counts": report.get("counts"),
            "notices": len(report.get("notices") or []),
        },
        "summary": analysed["summary"],
        "reviewed_findings": reviewed,
        "other_findings_by_rule": dict(sorted(others.items())),
        # Enough to tell which rows they are about; the evidence is one field per rule.
        "other_findings": [
            {"rule": f["rule"], "subjects": [s["code"] for s in f["subjects"]], **_evidence(f)}
            for f in findings
            if f["rule"].split(".")[0] not in REVIEWED
        ],
    }
    write_result("analysis-denpasar", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
