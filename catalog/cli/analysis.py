"""katalog analyze: findings of one instansi, one unit, or every instansi."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from catalog.analysis.collector import collector_paused
from catalog.cli.analysis_output import WRITERS, AnalyzeFormat, Listed, rule_table, write
from catalog.cli.common import err_console, fail, keep_heap_until_exit, session
from catalog.errors import CatalogError, InvalidInput

if TYPE_CHECKING:
    from rich.progress import Progress


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
    # A short-lived command: the ORM models, NetworkX and the rules it imports, and the
    # findings it lists, are tens of thousands of objects that live until it exits, and the
    # collector's automatic passes over them find nothing (a fifth of a city's run).
    with collector_paused():
        try:
            _run(
                instansi, opd, rules, fmt, output, include_reviewed, show_rules, recompute, workers
            )
        finally:
            keep_heap_until_exit()


def _run(
    instansi: str | None,
    opd: str | None,
    rules: list[str] | None,
    fmt: AnalyzeFormat,
    output: Path | None,
    include_reviewed: bool,
    show_rules: bool,
    recompute: bool,
    workers: int | None,
) -> None:
    from catalog.analysis.engine import expand, load_rules

    if show_rules:
        load_rules()
        write(output, lambda out: rule_table(out, fmt))
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
    write(output, lambda out: WRITERS[fmt](out, findings, summary))
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


__all__ = ["analyze_cmd"]
