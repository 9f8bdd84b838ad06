"""Architecture diagrams as files: ``/api/v1/diagrams/{view}.{format}``.

The same views and parameters as ``katalog diagram``. The route is a plain ``def``: FastAPI
runs it in its thread pool, so a layout (bounded by the renderer's time limit) never
blocks other requests. Renders are cached by the renderer, keyed by a hash of the DOT,
itself a deterministic function of what the view reads.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlmodel import Session

from catalog.access import Principal
from catalog.errors import CatalogError, InvalidInput
from catalog.queries.diagram_requests import MAX_DEPTH, VIEW_NAMES, DiagramParams, diagram_input
from diagrams.drawing import Drawing, draw
from diagrams.render import FORMATS, RenderError, RenderTimeout
from diagrams.views import ViewError
from web.api.presenters import page_url
from web.auth import PrincipalDep
from web.deps import SessionDep

router = APIRouter()
TIME_LIMIT = 10.0


class DiagramTimeout(CatalogError):
    status = 503


def drawing_for(
    session: Session,
    principal: Principal,
    view: str,
    fmt: str,
    params: DiagramParams,
) -> tuple[Drawing, str]:
    """A view drawn for this reader (what they may not see left out), and its file name."""
    if fmt not in FORMATS:
        raise InvalidInput(
            f"Format '{fmt}' tidak dikenal. Pilihan: {', '.join(FORMATS)}.",
            f"Unknown format '{fmt}'. Choose one of: {', '.join(FORMATS)}.",
            field="format",
            value=fmt,
        )
    request = diagram_input(
        session, principal, view, params, url=page_url, unit_url=lambda unit_id: f"/opd/{unit_id}"
    )
    try:
        drawing = draw(request.view, request.args, fmt, time_limit=TIME_LIMIT)
    except RenderTimeout as exc:
        raise DiagramTimeout(exc.message, exc.message_en, code="diagram_timeout") from exc
    except (ViewError, RenderError) as exc:
        raise InvalidInput(exc.message, exc.message_en, field="view", value=view) from exc
    return drawing, f"{request.slug}.{fmt}"


@router.get(
    "/diagrams/{view}.{fmt}",
    summary="Diagram arsitektur / Architecture diagram",
    tags=["Diagram"],
    responses={200: {"content": {"image/svg+xml": {}, "image/png": {}, "application/pdf": {}}}},
)
def diagram(
    session: SessionDep,
    principal: PrincipalDep,
    view: Annotated[str, Path(description=", ".join(VIEW_NAMES))],
    fmt: Annotated[str, Path(description="svg, png, pdf, dot")],
    instansi: Annotated[str | None, Query(description="Kode instansi")] = None,
    opd: Annotated[
        str | None, Query(description="Kode OPD (landscape, layers, integration)")
    ] = None,
    item: Annotated[
        str | None, Query(description="JENIS:KODE, mis. application:APL-0001 (context, impact)")
    ] = None,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Kedalaman context")] = 1,
    finding: Annotated[int | None, Query(description="Id temuan duplikasi (duplicates)")] = None,
    area: Annotated[str | None, Query(description="Area referensi, mis. RAA.02 (layers)")] = None,
    scheme: Annotated[str, Query(description="Skema referensi (coverage)")] = "RAA",
    download: Annotated[bool, Query(description="Unduh sebagai berkas / as attachment")] = False,
) -> Response:
    """Satu tampilan arsitektur sebagai SVG (simpul bertaut ke halaman item, dengan
    keterangan), PNG, PDF atau DOT. Tampilan terlalu besar diringkas; header
    `X-Diagram-Aggregated` dan `X-Diagram-Note` menjelaskannya. / One architecture view as
    SVG (nodes link to item pages, with tooltips), PNG, PDF or DOT; oversized views are
    summarised and say so in the headers."""
    params = DiagramParams(instansi, opd, item, depth, finding, area, scheme)
    drawing, filename = drawing_for(session, principal, view, fmt, params)
    v, r = drawing.view, drawing.rendered
    headers = {
        "Content-Disposition": f'{"attachment" if download else "inline"}; filename="{filename}"',
        "X-Diagram-Nodes": str(v.nodes),
        "X-Diagram-Aggregated": "true" if v.aggregated else "false",
        "X-Diagram-Renderer": f"{r.renderer}/{r.engine}",
        "Cache-Control": "private, max-age=60",
    }
    if v.note_en:
        # Headers are Latin-1: the English note travels there, the Indonesian one is in
        # the drawing itself.
        headers["X-Diagram-Note"] = v.note_en.encode("latin-1", "replace").decode("latin-1")
    return Response(r.data, media_type=r.media_type, headers=headers)


__all__ = ["drawing_for", "router"]
