"""katalog analyze: findings of one instansi, one unit, or every instansi."""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

from catalog.cli.common import err_console, fail, session
from catalog.errors import CatalogError, InvalidInput

if TYPE_CHECKING:
    from rich.progress import Progress

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


def analyze_cmd(
    instansi: str = typer.Option(
        None,
        "--instansi",
        "-i",
        help="Kode instansi, atau 'semua' untuk semua instansi daerah (bawaan: satu-satunya "
        "instansi daerah, atau semua). / Instansi code, or 'semua' for every one.",
    ),
    opd: str = typer.Option(
        None,
        "--opd",
        help="Hanya temuan tentang item OPD ini dan sub-unitnya. / Only findings about this "
        "unit's items (and its sub-units').",
    ),
    rules: list[str] = typer.Option(
        None,
        "--rule",
        "-r",
        help="Hanya aturan ini: id (integration.point_to_point) atau keluarga (integration); "
        "boleh diulang. Lihat --rules. / Only these rules (id or family); repeatable.",
    ),
    fmt: AnalyzeFormat = typer.Option(
        AnalyzeFormat.TEXT,
        "--format",
        "-f",
        help="text (untuk dibaca), json ({findings, summary}; skema di "
        "schemas/findings.schema.json) atau csv. / text, json or csv.",
    ),
    output: Path = typer.Option(
        None, "--output", "-o", help="Tulis ke berkas ini (bawaan: layar). / Write to this file."
    ),
    include_reviewed: bool = typer.Option(
        False,
        "--include-reviewed",
        help="Sertakan temuan yang sudah ditinjau arsitek (dan belum berubah buktinya). / "
        "Also list findings already reviewed on unchanged evidence.",
    ),
    show_rules: bool = typer.Option(
        False, "--rules", help="Tampilkan tabel aturan lalu selesai. / Print the rule table."
    ),
    recompute: bool = typer.Option(
        False,
        "--recompute",
        help="Analisis ulang semuanya walau hasil tersimpan masih berlaku. / Analyse again "
        "even where the cached findings are current.",
    ),
    workers: int = typer.Option(
        None,
        "--workers",
        min=1,
        help="Jumlah proses analisis (bawaan: sebanyak CPU, paling banyak 2). / Worker "
        "processes (default: CPUs, at most 2).",
    ),
) -> None:
    """Analisis katalog: duplikasi aplikasi, tumpang tindih Aplikasi Umum, duplikasi data,
    celah integrasi, kesesuaian referensi, kelengkapan, risiko. Hasil disimpan per instansi
    dan dihitung ulang hanya bila katalognya berubah; temuan yang sudah ditinjau tidak
    ditampilkan kecuali buktinya berubah. / Analyse the catalogue: findings are cached per
    instansi and recomputed only when it changes; reviewed findings stay silent unless their
    evidence changes."""
    from catalog.analysis.engine import expand, load_rules

    if show_rules:
        load_rules()
        _write(output, lambda out: _rule_table(out, fmt))
        return
    started = time.perf_counter()
    try:
        wanted = _rules(rules, expand) if rules else None
        with session() as s:
            report = _analyse(s, instansi, opd, wanted, include_reviewed, recompute, workers)
    except CatalogError as exc:
        fail(exc)
        return
    findings, summary = report
    writers = {AnalyzeFormat.TEXT: _text, AnalyzeFormat.JSON: _json, AnalyzeFormat.CSV: _csv}
    _write(output, lambda out: writers[fmt](out, findings, summary))
    hidden = summary["reviewed_hidden"]
    err_console.print(
        f"{summary['total']} temuan dari {len(summary['scope']['instansi'])} instansi"
        + (f" ({hidden} yang sudah ditinjau disembunyikan)" if hidden else "")
        + f"; {time.perf_counter() - started:.1f} s. / {summary['total']} findings.",
        highlight=False,
    )


def _rules(names: list[str], expand: Any) -> set[str]:
    from catalog.analysis.rules import FAMILIES

    try:
        return set(expand(names))
    except KeyError as exc:
        unknown = str(exc).strip("'\"")
        families = ", ".join(FAMILIES)
        raise InvalidInput(
            f"Aturan tidak dikenal: {unknown}. Sebutkan id aturan (lihat katalog analyze "
            f"--rules) atau keluarga: {families}.",
            f"Unknown rule: {unknown}. Name a rule id (see katalog analyze --rules) or a "
            f"family: {families}.",
            field="--rule",
            value=unknown,
        ) from None


def _analyse(
    s: Any,
    instansi: str | None,
    opd: str | None,
    rules: set[str] | None,
    include_reviewed: bool,
    recompute: bool,
    workers: int | None,
) -> tuple[list[Listed], dict[str, Any]]:
    from catalog.queries.findings import (
        ALL,
        PENDING,
        FindingFilter,
        cache_info,
        instansi_codes,
        iter_findings,
    )
    from catalog.queries.scope import list_scope
    from catalog.services.analysis import local_ids, refresh

    inst, org = list_scope(s, instansi, opd)
    ids = [inst.id] if inst is not None else local_ids(s)
    # No drawing thread (auto_refresh off): the worker processes are forked from here.
    with _progress() as bar:
        task = bar.add_task("Menganalisis / analysing", total=len(ids))

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, refresh=True)

        result = refresh(s, ids, force=recompute, workers=workers, progress=tick)
        bar.update(task, completed=len(ids), total=len(ids))
    flt = FindingFilter(
        instansi_ids=ids if inst is not None else None,
        owner_id=org.id if org is not None else None,
        rules=rules,
        state=ALL,
    )
    codes = instansi_codes(s)
    findings: list[Listed] = []
    hidden = 0
    for row in iter_findings(s, flt):
        state = row.state.value
        if not include_reviewed and state == "reviewed":
            hidden += 1
            continue
        findings.append(Listed(row, codes.get(row.instansi_id, str(row.instansi_id)), state))
    info = cache_info(s, ids, refreshed=result.analysed)
    summary = _summary(findings)
    summary.update(
        {
            "reviewed_hidden": hidden,
            "scope": {
                "instansi": [codes.get(i, str(i)) for i in ids],
                "opd": org.code if org is not None else None,
                "rules": sorted(rules) if rules is not None else None,
                "state": ALL if include_reviewed else PENDING,
            },
            "fingerprint": info.fingerprint,
            "computed_at": info.oldest.isoformat() if info.oldest else None,
            "computed_at_newest": info.newest.isoformat() if info.newest else None,
            "analysed": len(result.analysed),
            "from_cache": len(result.fresh),
            "seconds": round(result.seconds, 2),
        }
    )
    from catalog.analysis.engine import ANALYSIS_VERSION

    summary["analysis_version"] = ANALYSIS_VERSION
    return findings, summary


def _progress() -> Progress:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} instansi"),
        TimeElapsedColumn(),
        console=err_console,
        auto_refresh=False,
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


def _summary(findings: Iterable[Listed]) -> dict[str, Any]:
    from catalog.analysis.findings import SEVERITIES

    by_rule: Counter[str] = Counter()
    by_severity: Counter[str] = Counter()
    by_family: Counter[str] = Counter()
    by_state: Counter[str] = Counter()
    total = 0
    for f in findings:
        total += 1
        by_rule[f.row.rule] += 1
        by_severity[f.row.severity] += 1
        by_family[f.row.family] += 1
        by_state[f.state] += 1
    return {
        "total": total,
        "by_rule": dict(sorted(by_rule.items())),
        "by_severity": {s: by_severity[s] for s in SEVERITIES if by_severity[s]},
        "by_family": dict(sorted(by_family.items())),
        "by_state": dict(sorted(by_state.items())),
    }


# -- output ------------------------------------------------------------------------------


def _write(output: Path | None, write: Any) -> None:
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


def _rule_table(out: TextIO, fmt: AnalyzeFormat) -> None:
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


__all__ = ["analyze_cmd"]
