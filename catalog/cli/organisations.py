"""katalog instansi / katalog opd: government bodies and their units."""

from __future__ import annotations

import typer

from catalog.cli.common import console, fail, session
from catalog.enums import InstansiKind, label
from catalog.errors import CatalogError

instansi_app = typer.Typer(
    help="Instansi (pemda atau instansi pusat). / Government bodies.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
opd_app = typer.Typer(
    help="OPD dan sub-unitnya. / Units (OPD) and their sub-units.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@instansi_app.command("list")
def instansi_list(
    kind: InstansiKind = typer.Option(None, "--kind", help="Hanya jenis ini."),
    limit: int = typer.Option(100, "--limit", help="Paling banyak sebanyak ini."),
) -> None:
    """Daftar instansi dengan jumlah OPD dan aplikasinya. / List instansi with their unit
    and application counts."""
    from rich.table import Table
    from sqlalchemy import func, select

    from catalog.models import Application, Instansi, Organisation

    try:
        with session() as s:
            orgs = (
                select(Organisation.instansi_id, func.count().label("n"))
                .group_by(Organisation.instansi_id)
                .subquery()
            )
            apps = (
                select(Application.instansi_id, func.count().label("n"))
                .where(Application.retired_at.is_(None))
                .group_by(Application.instansi_id)
                .subquery()
            )
            stmt = (
                select(Instansi, orgs.c.n, apps.c.n)
                .outerjoin(orgs, orgs.c.instansi_id == Instansi.id)
                .outerjoin(apps, apps.c.instansi_id == Instansi.id)
                .order_by(Instansi.kind == InstansiKind.PUSAT, Instansi.code)
                .limit(limit)
            )
            if kind:
                stmt = stmt.where(Instansi.kind == kind)
            table = Table("kode", "nama", "jenis", "unit", "aplikasi")
            for inst, n_orgs, n_apps in s.execute(stmt):
                table.add_row(
                    inst.code, inst.name, label(inst.kind), str(n_orgs or 0), str(n_apps or 0)
                )
            console.print(table)
    except CatalogError as exc:
        fail(exc)


@instansi_app.command("add")
def instansi_add(
    code: str = typer.Argument(..., help="Kode, mis. kode wilayah Kemendagri 51.71."),
    name: str = typer.Argument(..., help="Nama resmi, mis. 'Pemerintah Kota Denpasar'."),
    kind: InstansiKind = typer.Option(InstansiKind.KOTA, "--kind", help="Jenis instansi."),
    short_name: str = typer.Option(None, "--short", help="Nama singkat."),
    parent_code: str = typer.Option(None, "--province", help="Kode provinsi induk."),
) -> None:
    """Tambah instansi. / Add a government body."""
    from catalog.services import create_instansi
    from catalog.services.context import cli_actor

    try:
        with session() as s:
            inst = create_instansi(
                s,
                cli_actor(),
                {
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "short_name": short_name,
                    "parent_code": parent_code,
                },
            )
            console.print(f"Instansi {inst.code} '{inst.name}' ditambahkan (id {inst.id}).")
    except CatalogError as exc:
        fail(exc)


@opd_app.command("list")
def opd_list(
    instansi: str = typer.Option(None, "--instansi", "-i", help="Kode instansi."),
) -> None:
    """Pohon OPD satu instansi. / The unit tree of one instansi."""
    from sqlalchemy import select

    from catalog.models import Organisation
    from catalog.queries.scope import resolve_instansi

    try:
        with session() as s:
            inst = resolve_instansi(s, instansi, required=True)
            assert inst is not None
            rows = s.execute(
                select(Organisation)
                .where(Organisation.instansi_id == inst.id)
                .order_by(Organisation.path)
            ).scalars()
            console.print(f"[bold]{inst.name}[/]")
            for org in rows:
                depth = org.path.count("/") - 2
                gone = " (tidak aktif)" if org.retired_at else ""
                console.print(f"{'  ' * depth}{org.code}  {org.name}{gone}", highlight=False)
    except CatalogError as exc:
        fail(exc)


@opd_app.command("add")
def opd_add(
    code: str = typer.Argument(..., help="Kode unit, mis. 030801."),
    name: str = typer.Argument(..., help="Nama unit."),
    instansi: str = typer.Option(None, "--instansi", "-i", help="Kode instansi."),
    parent: str = typer.Option(None, "--parent", help="Kode unit induk (untuk sub-unit)."),
    short_name: str = typer.Option(None, "--short", help="Nama singkat."),
    kind: str = typer.Option(None, "--kind", help="Jenis unit (lookup organisation_kind)."),
) -> None:
    """Tambah OPD atau sub-unit. / Add a unit or sub-unit."""
    from catalog.queries.scope import find_organisation, resolve_instansi
    from catalog.services import create_organisation
    from catalog.services.context import cli_actor

    try:
        with session() as s:
            inst = resolve_instansi(s, instansi, required=True)
            assert inst is not None
            parent_id = find_organisation(s, inst.id, parent).id if parent else None
            org = create_organisation(
                s,
                cli_actor(),
                {
                    "instansi_id": inst.id,
                    "parent_id": parent_id,
                    "code": code,
                    "name": name,
                    "short_name": short_name,
                    "kind": kind,
                },
            )
            console.print(f"Unit {org.code} '{org.name}' ditambahkan (id {org.id}).")
    except CatalogError as exc:
        fail(exc)
