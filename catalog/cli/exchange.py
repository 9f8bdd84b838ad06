"""katalog import / export / export-template."""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from catalog.cli.common import console, err_console, fail, progress, session
from catalog.errors import CatalogError, InvalidInput

if TYPE_CHECKING:
    from catalog.services.context import Actor


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


def _actor_for(s, as_user: str | None) -> Actor:  # type: ignore[no-untyped-def]
    from catalog.services.context import Actor, cli_actor

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
        ..., help="Berkas XLSX, CSV, YAML, JSON, XML ArchiMate, .zip berisi CSV, atau folder."
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
    from rich.markup import escape
    from rich.table import Table

    from catalog.services.import_files import import_files

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
            with progress() as bar:
                task = bar.add_task("Memeriksa dan menyimpan…", total=None)

                def tick(what: str, done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total, description=what)

                report = import_files(
                    s,
                    actor,
                    paths,
                    mapping=mapping,
                    dry_run=dry_run,
                    instansi=instansi,
                    retire_missing=retire_missing,
                    key=key,
                    progress=tick,
                )
    except CatalogError as exc:
        fail(exc)
        return
    for notice in report.notices:
        err_console.print(f"[yellow]Catatan:[/] {escape(notice)}", highlight=False)
    if report_path:
        report_path.write_text(
            json.dumps(report.to_dict(), ensure_ascii=False, indent=1, default=str),
            encoding="utf-8",
        )
    if report.problems:
        # Values and messages quote the user's file: print them as text, not as markup
        # (a value such as "[dua]" would otherwise vanish).
        for p in report.problems[:500]:
            shown = "" if p.value is None else escape(f" [{str(p.value)[:60]}]")
            err_console.print(
                f"[bold]{escape(p.where.describe())}[/]{shown}: {escape(p.message)}",
                highlight=False,
            )
            err_console.print(f"    [dim]{escape(p.message_en)}[/]", highlight=False)
        n = len(report.problems)
        more = " (500 pertama ditampilkan; semua di --report)" if n > 500 else ""
        err_console.print(
            f"[bold red]{n} masalah; tidak ada yang disimpan.{more}[/] "
            f"/ {n} problem{'s' if n != 1 else ''}; nothing was written."
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
        "bukti SPBE), archimate (ArchiMate Model Exchange XML dengan tampilan, untuk Archi dan "
        "alat EA lain).",
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
    kinds: list[str] = typer.Option(
        None,
        "--kind",
        "-k",
        help="Hanya jenis ini (boleh diulang): application, dataset, service, process, "
        "infrastructure, security, integration.",
    ),
    reference: str = typer.Option(
        None, "--reference", help="Daftar tersaring: kode referensi ini dan turunannya."
    ),
    status: str = typer.Option(None, "--status", help="Daftar tersaring: status ini."),
    words: str = typer.Option(None, "--q", help="Daftar tersaring: kata pencarian."),
) -> None:
    """Ekspor katalog satu instansi, satu OPD, atau semua, atau daftar tersaring (--kind,
    --reference, --status, --q): XLSX/CSV (dapat diimpor kembali tanpa perubahan), JSON/YAML
    (katalog sebagai kode), DCAT JSON-LD untuk data, tabel bukti SPBE, dan ArchiMate (XML
    Model Exchange, dapat diimpor kembali). / Export one instansi, one unit, everything, or
    a filtered list; XLSX/CSV/YAML/JSON/ArchiMate round-trip through import."""
    from catalog.access import ANONYMOUS, SYSTEM
    from catalog.enums import IntegrationStatus, LifecycleStatus
    from catalog.exchange.outputs import export_scope, write_export
    from catalog.kinds import get_kind
    from catalog.queries.items import ItemFilter

    started = time.perf_counter()
    try:
        with session() as s:
            scope = export_scope(
                s,
                instansi,
                opd,
                principal=ANONYMOUS if public else SYSTEM,
                include_retired=not active_only,
            )
            if kinds:
                scope.kinds = tuple(get_kind(k).key for k in kinds)
            known = {*LifecycleStatus, *IntegrationStatus}
            if status and status not in known:
                raise InvalidInput(
                    f"Status '{status}' tidak dikenal. Pilihan: {', '.join(sorted(known))}.",
                    f"Unknown status '{status}'. Choose one of: {', '.join(sorted(known))}.",
                    field="--status",
                    value=status,
                )
            if reference or status or words:
                scope.filter = ItemFilter(reference=reference, status=status, q=words)
            from catalog.settings import get_settings

            # ArchiMate views take their positions from Graphviz (the CLI, like the web
            # app, may use diagrams).
            layout = None
            if fmt.value == "archimate":
                from diagrams.exchange_layout import archimate_layout as layout
            write_export(
                s, scope, fmt.value, output, base_url=get_settings().public_url, layout=layout
            )
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
    from catalog.exchange.outputs import write_template
    from catalog.queries.scope import resolve_instansi

    try:
        with session() as s:
            inst = resolve_instansi(s, instansi)
            write_template(s, fmt.value, output, inst.id if inst else None)
    except CatalogError as exc:
        fail(exc)
        return
    console.print(f"Templat {fmt.value} ditulis ke {output}.")
