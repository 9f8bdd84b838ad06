"""katalog diagram: one architecture view of the catalogue as SVG, PNG, PDF or DOT.

The CLI is an interface, like the web app: it is the one part of ``catalog`` that may
import ``diagrams`` (tests/test_layering.py), and only inside the command.
"""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from catalog.cli.common import err_console, fail, session
from catalog.errors import CatalogError, InvalidInput


class View(StrEnum):
    context = "context"
    landscape = "landscape"
    integration = "integration"
    layers = "layers"
    duplicates = "duplicates"
    impact = "impact"
    coverage = "coverage"
    aggregate = "aggregate"


class Format(StrEnum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"


class Renderer(StrEnum):
    auto = "auto"
    system = "system"
    wasm = "wasm"


def diagram_cmd(
    view: View = typer.Argument(
        ...,
        help="context (sekitar satu item), landscape (lanskap OPD), integration (peta "
        "integrasi instansi), layers (arsitektur berlapis), duplicates (kelompok duplikat), "
        "impact (dampak), coverage (cakupan referensi), aggregate (ringkasan per OPD, atau "
        "per instansi secara nasional).",
    ),
    instansi: str = typer.Option(None, "--instansi", "-i", help="Kode instansi. / Instansi code."),
    opd: str = typer.Option(
        None, "--opd", help="Kode OPD (landscape, layers, integration). / Unit code."
    ),
    item: str = typer.Option(
        None,
        "--item",
        help="Item JENIS:KODE, mis. application:APL-0001 (context, impact, duplicates). / "
        "Item as KIND:CODE.",
    ),
    depth: int = typer.Option(
        1, "--depth", min=1, max=4, help="Kedalaman context (1–4). / Context depth."
    ),
    finding: int = typer.Option(
        None, "--finding", help="Id temuan duplikasi (duplicates). / Duplicate finding id."
    ),
    area: str = typer.Option(
        None, "--area", help="Kode area referensi, mis. RAA.02 (layers). / Reference area."
    ),
    scheme: str = typer.Option(
        "RAA", "--scheme", help="Skema referensi (coverage): RAB, RAL, RAD, RAA, RAI, RAK."
    ),
    fmt: Format = typer.Option(Format.svg, "--format", "-f", help="svg, png, pdf atau dot."),
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        help="Berkas tujuan; '-' = layar (bawaan: VIEW-INSTANSI-….FORMAT di folder ini). / "
        "Output file; '-' for standard output.",
    ),
    renderer: Renderer = typer.Option(
        Renderer.auto,
        "--renderer",
        help="auto (Graphviz sistem bila terpasang, selain itu WebAssembly), system, wasm.",
    ),
    time_limit: float = typer.Option(
        10.0, "--time-limit", min=0.5, max=120, help="Batas waktu menggambar (detik)."
    ),
) -> None:
    """Gambar satu tampilan arsitektur dari katalog (SVG, PNG, PDF atau DOT). Tampilan yang
    terlalu besar diringkas otomatis; penggambaran yang melewati batas waktu beralih ke
    mesin tata letak yang lebih cepat atau ke ringkasannya. Tanpa Graphviz terpasang,
    dipakai Graphviz WebAssembly bawaan. / Draw one architecture view; too-large views are
    summarised, slow renders fall back; works without a system Graphviz."""
    from catalog.queries.diagram_requests import DiagramParams
    from diagrams.drawing import draw
    from diagrams.render import RenderError
    from diagrams.views import ViewError

    started = time.perf_counter()
    try:
        with session() as s:
            params = DiagramParams(instansi, opd, item, depth, finding, area, scheme)
            request = _request(s, view.value, params)
        drawing = draw(
            request.view,
            request.args,
            fmt.value,
            time_limit=time_limit,
            renderer=renderer.value,
        )
    except CatalogError as exc:
        fail(exc)
        return
    except (ViewError, RenderError) as exc:
        fail(InvalidInput(exc.message, exc.message_en))
        return
    data = drawing.rendered.data
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        where = "layar / stdout"
    else:
        path = output or Path(f"{request.slug}.{fmt.value}")
        path.write_bytes(data)
        where = str(path)
    v, r = drawing.view, drawing.rendered
    if v.note:
        err_console.print(f"[yellow]{v.note}[/]", highlight=False)
        err_console.print(f"[dim]{v.note_en}[/]", highlight=False)
    err_console.print(
        f"{v.title}: {v.nodes} simpul, {v.edges} garis → {where} "
        f"({r.renderer}/{r.engine}{', beralih mesin' if r.fell_back else ''}; "
        f"{time.perf_counter() - started:.1f} s). / {v.title_en}: {v.nodes} nodes.",
        highlight=False,
    )


def _request(s: Any, view: str, params: Any) -> Any:
    from catalog.access import SYSTEM
    from catalog.kinds import KINDS
    from catalog.queries.diagram_requests import diagram_input
    from catalog.queries.diagrams import find_item
    from catalog.queries.scope import resolve_instansi
    from catalog.services.analysis import refresh
    from catalog.settings import get_settings

    # Flags come from the cached findings: bring one instansi's up to date first (a no-op
    # when nothing changed). The national aggregate draws counts only.
    wanted = params.instansi or view != "aggregate"
    place = resolve_instansi(s, params.instansi) if wanted else None
    place_id = place.id if place is not None else None
    if place_id is None and params.item:
        place_id = find_item(s, params.item).instansi_id
    if place_id is not None and view != "coverage":
        refresh(s, [place_id])
    # Nodes link to the item pages: absolute when the catalogue's public address is known,
    # else relative (right when the file is served by the catalogue itself).
    base = (get_settings().public_url or "").rstrip("/")

    def url(kind: str, item_id: int) -> str:
        return f"{base}/{KINDS[kind].page_path}/{item_id}"

    return diagram_input(
        s, SYSTEM, view, params, url=url, unit_url=lambda unit_id: f"{base}/opd/{unit_id}"
    )


__all__ = ["diagram_cmd"]
