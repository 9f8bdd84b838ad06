"""katalog reference: inspect and load reference-architecture sets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from catalog.cli.common import console, fail, session
from catalog.errors import CatalogError, NotFound

if TYPE_CHECKING:
    from catalog.services.references import AffectedItem

app = typer.Typer(
    help="Referensi Arsitektur SPBE (RAB, RAL, RAD, RAA, RAI, RAK) sebagai data berversi. / "
    "SPBE reference architecture as versioned data.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@app.command("list")
def list_cmd() -> None:
    """Daftar set referensi yang dimuat dan jumlah kode per skema dan level. / List the
    loaded reference sets with code counts per scheme and level."""
    from rich.table import Table
    from sqlalchemy import func, select

    from catalog.models import ReferenceNode, ReferenceSet
    from catalog.references import SCHEMES

    try:
        with session() as s:
            sets = list(s.execute(select(ReferenceSet).order_by(ReferenceSet.id)).scalars())
            table = Table("id", "aktif", "key", "versi", "judul", "kode per skema (L1/L2/L3)")
            for rs in sets:
                counts = dict(
                    ((scheme, level), n)
                    for scheme, level, n in s.execute(
                        select(ReferenceNode.scheme, ReferenceNode.level, func.count())
                        .where(ReferenceNode.set_id == rs.id)
                        .group_by(ReferenceNode.scheme, ReferenceNode.level)
                    )
                )
                summary = "  ".join(
                    f"{sc} {'/'.join(str(counts.get((sc, lv), 0)) for lv in (1, 2, 3))}"
                    for sc in SCHEMES
                    if any(counts.get((sc, lv)) for lv in (1, 2, 3))
                )
                table.add_row(
                    str(rs.id), "ya" if rs.is_active else "", rs.key, rs.version, rs.title, summary
                )
            console.print(table)
    except CatalogError as exc:
        fail(exc)


@app.command("show")
def show_cmd(
    code: str = typer.Argument(..., help="Kode, mis. RAB.04 atau RAL.01.25."),
    instansi: str = typer.Option(
        None, "--instansi", "-i", help="Termasuk kode lokal instansi ini."
    ),
) -> None:
    """Tampilkan satu kode: nama, level, keyakinan, induk dan anak-anaknya. / Show one
    code with its name, level, confidence, ancestors and children."""
    from sqlalchemy import select

    from catalog.models import ReferenceNode
    from catalog.queries.items import reference_nodes
    from catalog.queries.scope import resolve_instansi
    from catalog.references import normalise_code
    from catalog.services.references import active_reference_set

    try:
        with session() as s:
            inst = resolve_instansi(s, instansi)
            code = normalise_code(code)
            nodes = reference_nodes(s, [code], inst.id if inst else None)
            node = nodes.get(code)
            if node is None:
                raise NotFound(
                    f"Kode '{code}' tidak ada di set referensi aktif.",
                    f"Code '{code}' is not in the active reference set.",
                    field="code",
                    value=code,
                )
            for anc in sorted(nodes.values(), key=lambda n: n.level):
                if anc.code != code:
                    console.print(f"  {'  ' * (anc.level - 1)}{anc.code}  {anc.name}")
            console.print(
                f"[bold]{node.code}[/]  {node.name}  (level {node.level}, keyakinan "
                f"{node.confidence or '-'}, status {node.status}"
                + (", lokal" if node.is_local else "")
                + (f", diganti {node.replaced_by}" if node.replaced_by else "")
                + ")"
            )
            active = active_reference_set(s)
            children = s.execute(
                select(ReferenceNode)
                .where(
                    ReferenceNode.parent_code == code,
                    (ReferenceNode.set_id == (active.id if active else -1))
                    | (
                        ReferenceNode.set_id.is_(None)
                        & (ReferenceNode.instansi_id == (inst.id if inst else -1))
                    ),
                )
                .order_by(ReferenceNode.code)
            ).scalars()
            for child in children:
                console.print(f"    {child.code}  {child.name}")
    except CatalogError as exc:
        fail(exc)


@app.command("nodes")
def nodes_cmd(
    scheme: str = typer.Argument(..., help="RAB, RAL, RAD, RAA, RAI atau RAK."),
    level: int = typer.Option(None, "--level", "-l", help="Hanya level ini."),
) -> None:
    """Daftar kode satu skema pada set aktif. / List the codes of one scheme in the
    active set."""
    from sqlalchemy import select

    from catalog.models import ReferenceNode
    from catalog.services.references import active_reference_set

    try:
        with session() as s:
            active = active_reference_set(s)
            stmt = select(ReferenceNode).where(
                ReferenceNode.set_id == (active.id if active else -1),
                ReferenceNode.scheme == scheme.upper(),
            )
            if level:
                stmt = stmt.where(ReferenceNode.level == level)
            for node in s.execute(stmt.order_by(ReferenceNode.code)).scalars():
                console.print(f"{'  ' * (node.level - 1)}{node.code}  {node.name}", highlight=False)
    except CatalogError as exc:
        fail(exc)


def _print_impact(affected: list[AffectedItem]) -> None:
    from rich.table import Table

    if not affected:
        console.print("Semua kode referensi item tetap berlaku. / Every item code is still valid.")
        return
    console.print(
        f"[yellow]{len(affected)} item memakai kode yang tidak dikenal atau tidak berlaku lagi "
        "di set ini (item tetap utuh; klasifikasikan ulang):[/]"
    )
    console.print(
        f"[dim]{len(affected)} items use codes this set does not know or has retired (items "
        "are unchanged; reclassify them):[/]"
    )
    table = Table("jenis", "kode item", "nama", "kode referensi", "masalah", "pengganti")
    for a in affected:
        table.add_row(
            a.kind,
            a.code,
            a.name,
            a.reference_code,
            "tidak dikenal" if a.reason == "unknown" else "tidak berlaku",
            a.replaced_by or "",
        )
    console.print(table)


@app.command("load")
def load_cmd(
    path: Path = typer.Argument(..., help="Berkas YAML set referensi."),
    activate: bool = typer.Option(
        True, "--activate/--no-activate", help="Jadikan set aktif setelah dimuat."
    ),
) -> None:
    """Muat set referensi baru atau yang dikoreksi dari berkas YAML, tanpa mengubah kode
    program. Item yang kodenya tidak berlaku di set baru dilaporkan, tidak dirusak. /
    Load a new or corrected reference set; items whose codes it retires are reported."""
    from catalog.references import parse_reference_file
    from catalog.services.context import cli_actor
    from catalog.services.references import install_reference_set

    try:
        parsed = parse_reference_file(path)
        with session() as s:
            result = install_reference_set(s, cli_actor(), parsed, activate=activate)
            rs = result.reference_set
            verb = "dimuat" if result.created else "sudah ada"
            console.print(
                f"Set '{rs.key}' versi {rs.version} {verb} ({len(parsed.nodes)} kode)"
                + ("; sekarang aktif." if rs.is_active else ".")
            )
            if result.activated:
                _print_impact(result.affected)
    except CatalogError as exc:
        fail(exc)


@app.command("activate")
def activate_cmd(
    key: str = typer.Argument(..., help="Key set, mis. perpres-132-2022."),
    version: str = typer.Argument(..., help="Versi set."),
) -> None:
    """Aktifkan set referensi yang sudah dimuat. / Activate an already loaded set."""
    from sqlalchemy import select

    from catalog.models import ReferenceSet
    from catalog.services.context import cli_actor
    from catalog.services.references import activate_reference_set

    try:
        with session() as s:
            rs = s.execute(
                select(ReferenceSet).where(ReferenceSet.key == key, ReferenceSet.version == version)
            ).scalar_one_or_none()
            if rs is None:
                raise NotFound(
                    f"Set '{key}' versi '{version}' belum dimuat.",
                    f"Set '{key}' version '{version}' is not loaded.",
                    field="version",
                    value=version,
                )
            result = activate_reference_set(s, cli_actor(), rs.id)  # type: ignore[arg-type]
            console.print(f"Set '{key}' versi {version} aktif.")
            _print_impact(result.affected)
    except CatalogError as exc:
        fail(exc)


@app.command("impact")
def impact_cmd() -> None:
    """Item yang kode referensinya tidak dikenal atau tidak berlaku di set aktif. / Items
    whose reference code the active set does not know or has retired."""
    from catalog.services.references import active_reference_set, reference_impact

    try:
        with session() as s:
            active = active_reference_set(s)
            if active is None:
                console.print("Belum ada set referensi aktif.")
                return
            _print_impact(reference_impact(s, active.id))  # type: ignore[arg-type]
    except CatalogError as exc:
        fail(exc)


@app.command("add-local")
def add_local_cmd(
    code: str = typer.Argument(..., help="Kode lokal, mis. RAB.09.06.01.01."),
    name: str = typer.Argument(..., help="Nama kode lokal."),
    instansi: str = typer.Option(None, "--instansi", "-i", help="Instansi pemilik kode."),
) -> None:
    """Daftarkan kode lokal instansi (level 4 ke bawah) di bawah kode nasional. /
    Register an instansi's own code (level 4 and deeper) under a national code."""
    from catalog.queries.scope import resolve_instansi
    from catalog.services.context import cli_actor
    from catalog.services.references import add_local_node

    try:
        with session() as s:
            inst = resolve_instansi(s, instansi, required=True)
            assert inst is not None
            node = add_local_node(s, cli_actor(), inst.id, code, name)  # type: ignore[arg-type]
            console.print(f"Kode lokal {node.code} '{node.name}' terdaftar untuk {inst.name}.")
    except CatalogError as exc:
        fail(exc)
