"""How ``katalog analyze`` writes what it found: text to read, JSON (the published schema,
``schemas/findings.schema.json``) and CSV, and the rule table."""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from catalog.cli.common import err_console

if TYPE_CHECKING:
    from catalog.queries.findings import FindingRow


class AnalyzeFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"


CSV_COLUMNS = (
    "instansi",
    "rule",
    "family",
    "severity",
    "state",
    "score",
    "subjects",
    "subject_names",
    "message",
    "message_en",
    "action",
    "action_en",
    "evidence",
    "evidence_hash",
    "verdict",
    "verdict_reason",
    "key",
)


@dataclass(frozen=True)
class Listed:
    """A finding to print: its cached row, its instansi's code and its review state (the
    JSON output splices the stored body in without reading it)."""

    row: FindingRow
    instansi: str
    state: str

    def as_dict(self) -> dict[str, Any]:
        return self.row.to_dict(self.instansi)

    def as_json(self) -> str:
        return self.row.to_json(self.instansi)


def write(output: Path | None, write: Any) -> None:
    if output is None:
        write(sys.stdout)
        return
    with output.open("w", encoding="utf-8", newline="") as fh:
        write(fh)
    err_console.print(f"Ditulis ke {output}. / Written to {output}.", highlight=False)


def _subjects_text(f: dict[str, Any]) -> str:
    return "; ".join(
        f"{s['kind']} {s['code']} {s['name']}" + (f" ({s['owner']})" if s.get("owner") else "")
        for s in f["subjects"]
    )


def _text(out: TextIO, findings: list[Listed], summary: dict[str, Any]) -> None:
    buf = io.StringIO()
    for f in (listed.as_dict() for listed in findings):
        state = {"reviewed": " [sudah ditinjau]", "reopened": " [BUKTI BERUBAH]"}.get(
            f["state"], ""
        )
        score = f" skor {f['score']:.2f}" if f.get("score") is not None else ""
        buf.write(f"[{f['severity'].upper()}] {f['rule']} · {f['instansi']}{score}{state}\n")
        buf.write(f"  {f['message']}\n")
        buf.write(f"  item: {_subjects_text(f)}\n")
        if f["evidence"]:
            evidence = json.dumps(f["evidence"], ensure_ascii=False, default=str)
            buf.write(f"  bukti: {evidence[:300]}{'…' if len(evidence) > 300 else ''}\n")
        buf.write(f"  tindakan: {f['action']}\n")
        if f.get("review"):
            r = f["review"]
            buf.write(
                f"  putusan: {r['verdict']} ({r.get('decided_by', '')}, "
                f"{r['decided_at'][:10]}): {r.get('reason', '')}\n"
            )
        buf.write("\n")
        if buf.tell() > 1 << 20:
            out.write(buf.getvalue())
            buf = io.StringIO()
    out.write(buf.getvalue())
    out.write(f"Ringkasan / summary: {summary['total']} temuan\n")
    for title, counts in (
        ("tingkat / severity", summary["by_severity"]),
        ("keluarga / family", summary["by_family"]),
        ("aturan / rule", summary["by_rule"]),
    ):
        out.write(f"  {title}: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + "\n")
    when = summary.get("computed_at") or "-"
    out.write(f"  dihitung / computed: {when} · sidik / fingerprint {summary['fingerprint']}\n")


def _json(out: TextIO, findings: list[Listed], summary: dict[str, Any]) -> None:
    # One finding per line, its stored JSON spliced in: a national result holds ~50,000
    # findings, and reading each body only to write it again costs more than the query.
    import orjson

    out.write('{"findings": [')
    for n, f in enumerate(findings):
        out.write(",\n" if n else "\n")
        out.write(f.as_json())
    out.write('\n],\n"summary": ')
    out.write(orjson.dumps(summary).decode())
    out.write("}\n")


def _csv(out: TextIO, findings: list[Listed], summary: dict[str, Any]) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for f in (listed.as_dict() for listed in findings):
        review = f.get("review") or {}
        writer.writerow(
            [
                f["instansi"],
                f["rule"],
                f["family"],
                f["severity"],
                f["state"],
                "" if f.get("score") is None else f["score"],
                "; ".join(f"{s['kind']}:{s['instansi']}/{s['code']}" for s in f["subjects"]),
                "; ".join(s["name"] for s in f["subjects"]),
                f["message"],
                f["message_en"],
                f["action"],
                f["action_en"],
                json.dumps(f["evidence"], ensure_ascii=False, sort_keys=True, default=str),
                f["evidence_hash"],
                review.get("verdict", ""),
                review.get("reason", ""),
                f["key"],
            ]
        )


def rule_table(out: TextIO, fmt: AnalyzeFormat) -> None:
    from catalog.analysis.rules import FAMILIES, RULES

    rules = sorted(RULES.values(), key=lambda r: (list(FAMILIES).index(r.family), r.id))
    if fmt == AnalyzeFormat.JSON:
        json.dump(
            [
                {
                    "id": r.id,
                    "family": r.family,
                    "severity": r.severity,
                    "title": r.title,
                    "title_en": r.title_en,
                    "why": r.why,
                    "why_en": r.why_en,
                    "clear": r.clear,
                    "clear_en": r.clear_en,
                }
                for r in rules
            ],
            out,
            ensure_ascii=False,
            indent=1,
        )
        out.write("\n")
        return
    if fmt == AnalyzeFormat.CSV:
        writer = csv.writer(out)
        writer.writerow(["id", "family", "severity", "title", "title_en", "why", "clear"])
        for r in rules:
            writer.writerow([r.id, r.family, r.severity, r.title, r.title_en, r.why, r.clear])
        return
    for family, (title, title_en) in FAMILIES.items():
        members = [r for r in rules if r.family == family]
        if not members:
            continue
        out.write(f"{title} / {title_en}\n")
        for r in members:
            out.write(f"  {r.id:<42} {r.severity:<7} {r.title}\n")
            out.write(f"  {'':<42} {'':<7} {r.title_en}\n")
        out.write("\n")


WRITERS = {AnalyzeFormat.TEXT: _text, AnalyzeFormat.JSON: _json, AnalyzeFormat.CSV: _csv}

__all__ = ["CSV_COLUMNS", "WRITERS", "AnalyzeFormat", "Listed", "rule_table", "write"]
