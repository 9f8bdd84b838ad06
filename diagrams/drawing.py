"""A view drawn: build it, render it, and never hang.

The CLI and the web app both call :func:`draw` with a view's name and the arguments of its
function (read from the catalogue by ``catalog.queries.diagrams``). Views over the
readable size summarise themselves (``View.aggregated``); a render that still runs out of
time in every engine falls back to the aggregate of the same graph, which is small by
construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from diagrams.render import Rendered, RenderTimeout, render
from diagrams.views import VIEWS, View


@dataclass(frozen=True)
class Drawing:
    view: View
    rendered: Rendered
    # True when the view ran out of time in every engine and its aggregate was drawn.
    replaced: bool = False


def draw(
    name: str,
    args: Mapping[str, Any],
    format: str = "svg",
    *,
    time_limit: float = 10.0,
    renderer: str = "auto",
) -> Drawing:
    """Build view ``name`` from ``args`` and render it to ``format``."""
    view = VIEWS[name](**args)
    try:
        return Drawing(
            view,
            render(
                view.source, format, engine=view.engine, time_limit=time_limit, renderer=renderer
            ),
        )
    except RenderTimeout:
        graph = args.get("g")
        if graph is None or name == "aggregate":
            raise
    summary = VIEWS["aggregate"](graph)
    summary.note = (
        f"Diagram '{view.title}' tidak selesai digambar dalam {time_limit:g} detik; "
        "ditampilkan ringkasannya per perangkat daerah."
    )
    summary.note_en = (
        f"The '{view.title_en}' diagram did not finish within {time_limit:g} s; its "
        "summary per unit is shown instead."
    )
    summary.aggregated = True
    rendered = render(
        summary.source, format, engine=summary.engine, time_limit=time_limit, renderer=renderer
    )
    return Drawing(summary, rendered, replaced=True)


__all__ = ["Drawing", "draw"]
