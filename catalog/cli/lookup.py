"""katalog lookup: editable vocabularies (platforms, licences, schedules…)."""

from __future__ import annotations

import typer

from catalog.cli.common import console, fail, session
from catalog.errors import CatalogError

app = typer.Typer(
    help="Daftar pilihan yang dapat diubah per daerah. / Editable vocabularies.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@app.command("list")
def list_cmd(
    category: str = typer.Argument(None, help="Kategori, mis. app_platform; kosong = semua."),
) -> None:
    """Tampilkan nilai lookup. / Show lookup values."""
    from rich.table import Table
    from sqlalchemy import select

    from catalog.models import LookupValue

    try:
        with session() as s:
            stmt = select(LookupValue).order_by(LookupValue.category, LookupValue.sort_order)
            if category:
                stmt = stmt.where(LookupValue.category == category)
            table = Table("kategori", "nilai", "label", "label (en)", "aktif")
            for v in s.execute(stmt).scalars():
                table.add_row(v.category, v.value, v.label, v.label_en, "ya" if v.is_active else "")
            console.print(table)
    except CatalogError as exc:
        fail(exc)


@app.command("add")
def add_cmd(
    category: str = typer.Argument(..., help="Kategori, mis. funding_source."),
    value: str = typer.Argument(..., help="Nilai tersimpan (huruf, angka, garis bawah)."),
    label_id: str = typer.Argument(..., help="Label bahasa Indonesia."),
    label_en: str = typer.Option(None, "--en", help="Label bahasa Inggris."),
) -> None:
    """Tambah (atau pulihkan) nilai lookup. / Add (or restore) a lookup value."""
    from catalog.services.context import cli_actor
    from catalog.services.lookups import add_lookup_value

    try:
        with session() as s:
            v = add_lookup_value(s, cli_actor(), category, value, label_id, label_en)
            console.print(f"{v.category}: '{v.value}' ({v.label}) siap dipakai.")
    except CatalogError as exc:
        fail(exc)


@app.command("retire")
def retire_cmd(
    category: str = typer.Argument(..., help="Kategori."),
    value: str = typer.Argument(..., help="Nilai."),
) -> None:
    """Berhenti menawarkan nilai untuk isian baru (item lama tetap memakainya). / Stop
    offering a value for new input; existing items keep it."""
    from catalog.services.context import cli_actor
    from catalog.services.lookups import retire_lookup_value

    try:
        with session() as s:
            retire_lookup_value(s, cli_actor(), category, value)
            console.print(f"{category}: '{value}' tidak ditawarkan lagi.")
    except CatalogError as exc:
        fail(exc)
