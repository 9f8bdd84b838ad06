"""katalog import / export / export-template."""

from __future__ import annotations

import hashlib
import json
import time
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from catalog.cli.common import console, err_console, fail, progress, session
from catalog.errors import CatalogError, InvalidInput
from catalog.exchange.document import Scope
from catalog.exchange.export import export, template
from catalog.exchange.readers import ReadResult, read_path
from catalog.queries.scope import find_instansi, find_organisation, resolve_instansi
from catalog.services.context import Actor, cli_actor


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    JSON = "json"
    YAML = "yaml"
    DCAT = "dcat"
    EVIDENCE = "evidence"
    ARCHIMATE = "archimate"


class TemplateFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    YAML = "yaml"
    JSON = "json"
    SCHEMA = "schema"


def _files_meta(paths: list[Path]) -> list[dict[str, object]]:
    out = []
    for p in paths:
        if p.is_file():
            out.append(
                {
                    "name": p.name,
                    "bytes": p.stat().st_size,
                    "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                }
            )
        else:
            out.append({"name": p.name})
    return out


def _actor_for(s, as_user: str | None) -> Actor:  # type: ignore[no-untyped-def]
    if not as_user:
        return cli_actor()
    from catalog.access import principal_for
    from catalog.services.accounts import find_user

    user = find_user(s, as_user)
    return Actor(
        name=user.full_name, source="cli", user_id=user.id, principal=principal_for(s, user)
    )


def import_cmd(
    paths: list[Path] = typer.Argument(
        ..., help="Berkas XLSX, CSV, YAML, JSON, .zip berisi CSV, atau folder."
    ),
    mapping: Path = typer.Option(
        None,
        "--mapping",
        help="Berkas pemetaan YAML untuk lembar kerja lama (mis. inventaris Denpasar).",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Periksa dan tampilkan apa yang akan berubah, tanpa menyimpan."
    ),
    instansi: str = typer.Option(
        None, "--instansi", "-i", help="Instansi untuk baris tanpa kode instansi."
    ),
    retire_missing: bool = typer.Option(
        False,
        "--retire-missing",
        help="Berkas adalah potret lengkap: hentikan item yang tidak tercantum.",
    ),
    key: str = typer.Option(
        None,
        "--key",
        help="Pencocokan baris dengan item: code atau source_key (bawaan: code, atau yang "
        "ditetapkan berkas pemetaan).",
    ),
    as_user: str = typer.Option(
        None, "--as", help="Impor dengan hak pengguna ini (mis. operator OPD)."
    ),
    report_path: Path = typer.Option(
        None, "--report", help="Tulis laporan lengkap (JSON) ke berkas ini."
    ),
) -> None:
    """Impor inventaris dari berkas: semua baris diperiksa dulu dan setiap masalah dilaporkan
    (lembar, baris, kolom); bila ada masalah tidak ada yang disimpan. Impor ulang berkas yang
    sama tidak mengubah apa pun. / Import an inventory: every row is checked first and every
    problem reported; nothing is written unless all rows are valid. Re-importing is a no-op."""
    from catalog.services.imports import ImportOptions, import_rows

    if key not in (None, "code", "source_key"):
        fail(
            InvalidInput(
                "--key harus code atau source_key.",
                "--key must be code or source_key.",
                field="--key",
                value=key,
            )
        )
    started = time.perf_counter()
    try:
        with session() as s:
            actor = _actor_for(s, as_user)
            if mapping is not None:
                from catalog.exchange.mapping import mapping_defaults, read_with_mapping

                result = read_with_mapping(s, mapping, paths)
                # The mapping names its instansi and how re-imports find their items.
                mapped_instansi, mapped_key = mapping_defaults(mapping)
                instansi = instansi or mapped_instansi
                key = key or mapped_key
            else:
                result = ReadResult()
                for path in paths:
                    result.extend(read_path(path))
            if instansi is None and result.rows:
                default = resolve_instansi(s, None)
                chosen = default.code if default else None
            else:
                chosen = instansi
            options = ImportOptions(
                instansi=chosen,
                dry_run=dry_run,
                retire_missing=retire_missing,
                key=key or "code",
                mapping=mapping.name if mapping else None,
            )
            from catalog.services.imports import ImportProblem

            read_problems = [
                ImportProblem(p.where, p.message, p.message_en, p.value) for p in result.problems
            ]
            with progress() as bar:
                task = bar.add_task("Memeriksa dan menyimpan…", total=None)

                def tick(what: str, done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total, description=what)

                report = import_rows(
                    s,
                    actor,
                    result.rows,
                    options,
                    files=_files_meta(paths),
                    notices=result.notices,
                    progress=tick,
                    problems=read_problems,
                )
    except CatalogError as exc:
        fail(exc)
        return
    for notice in report.notices:
        err_console.print(f"[yellow]Catatan:[/] {notice}", highlight=False)
    if report_path:
        report_path.write_text(
            json.dumps(report.to_dict(), ensure_ascii=False, indent=1, default=str),
            encoding="utf-8",
        )
    if report.problems:
        for p in report.problems[:500]:
            shown = "" if p.value is None else f" [{str(p.value)[:60]}]"
            err_console.print(f"[bold]{p.where.describe()}[/]{shown}: {p.message}", highlight=False)
            err_console.print(f"    [dim]{p.message_en}[/]", highlight=False)
        more = " (500 pertama ditampilkan; semua di --report)" if len(report.problems) > 500 else ""
        err_console.print(
            f"[bold red]{len(report.problems)} masalah; tidak ada yang disimpan.{more}[/] "
            f"/ {len(report.problems)} problems; nothing was written."
        )
        raise typer.Exit(code=1)
    table = Table("jenis", "baru", "diubah", "dihentikan", "tetap")
    for kind, c in report.counts().items():
        table.add_row(
            kind, str(c["created"]), str(c["updated"]), str(c["retired"]), str(c["unchanged"])
        )
    console.print(table)
    verb = "Uji coba (tidak disimpan)" if dry_run else "Impor selesai"
    console.print(f"{verb} dalam {time.perf_counter() - started:.1f} s; id impor {report.run_id}.")
    if dry_run:
        for kind, codes in report.created.items():
            if codes:
                more = " …" if len(codes) > 20 else ""
                console.print(f"  akan dibuat {kind}: {', '.join(codes[:20])}{more}")
        for kind, changed in report.updated.items():
            for code, fields in changed[:20]:
                console.print(f"  akan diubah {kind} {code}: {', '.join(fields)}")
        for kind, codes in report.retired.items():
            if codes:
                console.print(f"  akan dihentikan {kind}: {', '.join(codes[:20])}")


def export_cmd(
    fmt: ExportFormat = typer.Option(
        ...,
        "--format",
        "-f",
        help="xlsx, csv (folder atau .zip), json, yaml, dcat (JSON-LD data), evidence (tabel "
        "bukti SPBE).",
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="Berkas (atau folder/.zip untuk csv) tujuan."
    ),
    instansi: str = typer.Option(
        None, "--instansi", "-i", help="Kode instansi; 'semua' untuk semua."
    ),
    opd: str = typer.Option(None, "--opd", help="Hanya item OPD ini (dan sub-unitnya)."),
    active_only: bool = typer.Option(
        False, "--active-only", help="Tanpa item yang sudah dihentikan."
    ),
    public: bool = typer.Option(
        False,
        "--public",
        help="Hanya yang boleh dilihat publik (tanpa item internal dan data terbatas/tertutup).",
    ),
) -> None:
    """Ekspor katalog satu instansi, satu OPD, atau semua: XLSX/CSV (dapat diimpor kembali
    tanpa perubahan), JSON/YAML (katalog sebagai kode), DCAT JSON-LD untuk data, dan tabel
    bukti SPBE. / Export the catalogue (round-trips through import unchanged)."""
    from catalog.access import ANONYMOUS, SYSTEM

    started = time.perf_counter()
    try:
        with session() as s:
            scope = Scope(
                include_retired=not active_only, principal=ANONYMOUS if public else SYSTEM
            )
            if instansi and instansi.lower() not in ("semua", "all"):
                scope.instansi_ids = [find_instansi(s, instansi).id]  # type: ignore[list-item]
            elif not instansi:
                default = resolve_instansi(s, None)
                if default is not None:
                    scope.instansi_ids = [default.id]  # type: ignore[list-item]
            if opd:
                org = find_organisation(
                    s, scope.instansi_ids[0] if scope.instansi_ids else None, opd
                )
                scope.owner_path = org.path
                scope.instansi_ids = [org.instansi_id]
            if fmt == ExportFormat.DCAT:
                from catalog.exchange.dcat import write_dcat
                from catalog.settings import get_settings

                write_dcat(s, scope, output, base_url=get_settings().public_url)
            elif fmt == ExportFormat.EVIDENCE:
                from catalog.exchange.evidence import write_evidence

                write_evidence(s, scope, output)
            elif fmt == ExportFormat.ARCHIMATE:
                raise InvalidInput(
                    "Ekspor ArchiMate belum tersedia.",
                    "ArchiMate export is not available yet.",
                    field="format",
                    value=str(fmt),
                )
            else:
                export(s, scope, fmt.value, output)
    except CatalogError as exc:
        fail(exc)
        return
    console.print(
        f"Ekspor {fmt.value} ditulis ke {output} dalam {time.perf_counter() - started:.1f} s."
    )


def template_cmd(
    fmt: TemplateFormat = typer.Option(
        TemplateFormat.XLSX,
        "--format",
        "-f",
        help="xlsx, csv (folder/.zip), yaml, json, atau schema (JSON Schema berkas YAML/JSON).",
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Berkas tujuan."),
    instansi: str = typer.Option(
        None, "--instansi", "-i", help="Isi daftar pilihan kode OPD instansi ini."
    ),
) -> None:
    """Tulis templat pengisian: satu lembar per jenis, judul berbahasa Indonesia, baris
    penjelasan, daftar pilihan dan baris contoh; atau JSON Schema format katalog-sebagai-kode.
    / Write the registration template (or the JSON Schema of the YAML/JSON format)."""
    try:
        with session() as s:
            inst = resolve_instansi(s, instansi)
            if fmt == TemplateFormat.SCHEMA:
                from catalog.exchange.jsonschema import catalogue_schema

                output.write_text(
                    json.dumps(catalogue_schema(), ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8",
                )
            else:
                template(s, fmt.value, output, inst.id if inst else None)
    except CatalogError as exc:
        fail(exc)
        return
    console.print(f"Templat {fmt.value} ditulis ke {output}.")
