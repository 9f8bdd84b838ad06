"""katalog db: create and migrate the database schema."""

from __future__ import annotations

import typer

from catalog.cli.common import console, engine, fail
from catalog.errors import CatalogError

app = typer.Typer(
    help="Skema basis data: buat, naikkan versi, periksa. / Database schema: create, "
    "upgrade, check.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@app.command("upgrade")
def upgrade_cmd(
    seed_data: bool = typer.Option(
        True,
        "--seed/--no-seed",
        help="Pasang juga data awal (lookup, set referensi, katalog nasional) yang belum "
        "ada. / Also install missing starting data (lookups, reference set, national "
        "catalogue).",
    ),
) -> None:
    """Naikkan skema ke versi terbaru dan pasang data awal. / Upgrade the schema to the
    latest revision and install starting data."""
    from sqlmodel import Session

    from catalog import migrate
    from catalog.services.context import system_actor
    from catalog.services.seed import seed

    try:
        eng = engine(require_schema=False)
        before = migrate.current_revision(eng)
        migrate.upgrade(eng)
        after = migrate.current_revision(eng)
        console.print(f"Skema: {before or 'kosong'} → {after}  (schema revision)")
        if seed_data:
            with Session(eng) as s:
                report = seed(s, system_actor())
            if report.reference_set_installed:
                console.print(f"Set referensi terpasang: {report.reference_set_installed}")
            if report.lookups_added:
                console.print(f"Nilai lookup ditambahkan: {report.lookups_added}")
            for kind, n in sorted(report.created.items()):
                console.print(f"Katalog nasional: {n} {kind} ditambahkan")
            if report.addresses_added:
                console.print(
                    f"Katalog nasional: alamat lama ditambahkan ke {report.addresses_added} "
                    f"aplikasi / former addresses added to {report.addresses_added} applications"
                )
    except CatalogError as exc:
        fail(exc)


@app.command("current")
def current_cmd() -> None:
    """Tampilkan revisi skema saat ini. / Show the current schema revision."""
    from catalog import migrate

    try:
        eng = engine(require_schema=False)
        current = migrate.current_revision(eng)
        head = migrate.head_revision()
        state = "terbaru" if current == head else f"perlu upgrade ke {head}"
        console.print(f"{current or 'kosong'} ({state})")
    except CatalogError as exc:
        fail(exc)


@app.command("check")
def check_cmd() -> None:
    """Periksa bahwa skema basis data sama dengan model. / Check that the database
    schema matches the models (exit 1 when not)."""
    from catalog import migrate

    try:
        eng = engine()
        diffs = migrate.differences(eng)
    except CatalogError as exc:
        fail(exc)
        return
    if diffs:
        console.print("Skema berbeda dari model / schema differs from the models:")
        for d in diffs:
            console.print(f"  {d}")
        raise typer.Exit(code=1)
    console.print("Skema sesuai model. / Schema matches the models.")


@app.command("downgrade")
def downgrade_cmd(
    revision: str = typer.Argument(..., help="Revisi tujuan, mis. 0001 atau base."),
) -> None:
    """Turunkan skema ke revisi tertentu (hati-hati: data kolom baru hilang). / Downgrade
    the schema to a revision (careful: data in newer columns is lost)."""
    from catalog import migrate

    try:
        migrate.downgrade(engine(require_schema=False), revision)
        console.print(f"Skema sekarang: {revision}")
    except CatalogError as exc:
        fail(exc)


@app.command("revision")
def revision_cmd(
    message: str = typer.Option(..., "-m", "--message", help="Ringkasan perubahan skema."),
) -> None:
    """Untuk pengembang: buat migrasi baru dari perubahan model. / For developers:
    generate a new migration from model changes (review it before committing)."""
    from alembic import command

    from catalog import migrate

    try:
        eng = engine()
        script = command.revision(migrate.alembic_config(eng), message=message, autogenerate=True)
    except CatalogError as exc:
        fail(exc)
        return
    # The everyday schema check compares with this constant instead of reading the
    # migrations (tests/test_migrations.py fails until it is moved).
    new = getattr(script, "revision", None) or "?"
    console.print(
        f"Ubah HEAD_REVISION di catalog/schema_version.py menjadi revisi baru ({new}). / "
        f"Set HEAD_REVISION in catalog/schema_version.py to the new revision ({new}).",
        highlight=False,
    )
