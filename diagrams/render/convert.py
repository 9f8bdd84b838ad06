"""SVG to PNG and PDF without system Graphviz, and SVG ready to inline in a page.

The WebAssembly Graphviz writes SVG, JSON, xdot and plain only, so PNG and PDF are made
from its SVG: PNG with resvg (``resvg_py``), PDF with svglib + ReportLab. Both are wheels
with no system libraries, so a laptop without Graphviz or fonts still gets every format.
"""

from __future__ import annotations

import io
import math
import re
from functools import cache
from pathlib import Path

from diagrams.render.errors import RenderError

# Graphviz's own PNG renderer draws at 96 dpi; a point is 1/72 in.
PNG_SCALE = 96 / 72
# A view of thousands of nodes is tens of thousands of points wide; unbounded it would ask
# resvg for gigabytes of pixels. 36 megapixels (6000 x 6000) keeps memory near 150 MB.
MAX_PNG_PIXELS = 36_000_000
# Bitstream Vera Sans ships with ReportLab (Vera.ttf); mapping every generic family to it
# means text is drawn even on a machine without any system font.
FALLBACK_FAMILY = "Bitstream Vera Sans"

_ROOT_SVG = re.compile(rb"<svg\b[^>]*>")
_SIZE = re.compile(rb'\s(width|height)="([0-9.]+)(pt|px)?"')


@cache
def _font_dirs() -> list[str]:
    import reportlab

    return [str(Path(reportlab.__file__).parent / "fonts")]


def svg_size(svg: bytes) -> tuple[float, float]:
    """Width and height (points) of Graphviz's root ``<svg>``.

    >>> svg_size(b'<?xml version="1.0"?><svg width="114pt" height="116pt" viewBox="0 0 114 116">')
    (114.0, 116.0)
    >>> svg_size(b"<svg>")
    Traceback (most recent call last):
    ...
    diagrams.render.errors.RenderError: SVG tanpa ukuran (width/height) tidak dapat diubah.
    """
    root = _ROOT_SVG.search(svg)
    sizes = {m[1]: float(m[2]) for m in _SIZE.finditer(root[0])} if root else {}
    if b"width" not in sizes or b"height" not in sizes:
        raise RenderError(
            "SVG tanpa ukuran (width/height) tidak dapat diubah.",
            "An SVG without a size (width/height) cannot be converted.",
        )
    return sizes[b"width"], sizes[b"height"]


def unitless(svg: bytes) -> bytes:
    """The SVG with the unit dropped from the root's width and height (resvg rejects "pt").

    The viewBox is in points too, so the drawing keeps its proportions; the scale is
    chosen by :func:`svg_to_png`.

    >>> unitless(b'<svg width="114pt" height="116pt" viewBox="0 0 114 116"><g width="3pt"/>')
    b'<svg width="114" height="116" viewBox="0 0 114 116"><g width="3pt"/>'
    """
    root = _ROOT_SVG.search(svg)
    if root is None:
        return svg
    tag = _SIZE.sub(lambda m: b' %s="%s"' % (m[1], m[2]), root[0])
    return svg[: root.start()] + tag + svg[root.end() :]


def png_scale(width: float, height: float) -> float:
    """Pixels per point: Graphviz's 96 dpi, smaller when the image would be huge.

    >>> png_scale(100, 100) == PNG_SCALE
    True
    >>> round(png_scale(60_000, 60_000) * 60_000)
    6000
    """
    area = max(width, 1.0) * max(height, 1.0)
    return min(PNG_SCALE, math.sqrt(MAX_PNG_PIXELS / area))


def svg_to_png(svg: bytes) -> bytes:
    """Rasterise Graphviz SVG to PNG with resvg, drawing text with bundled fonts."""
    import resvg_py

    width, height = svg_size(svg)
    try:
        return bytes(
            resvg_py.svg_to_bytes(
                svg_string=unitless(svg).decode("utf-8"),
                zoom=png_scale(width, height),
                background="white",
                font_dirs=_font_dirs(),
                font_family=FALLBACK_FAMILY,
                serif_family=FALLBACK_FAMILY,
                sans_serif_family=FALLBACK_FAMILY,
                monospace_family=FALLBACK_FAMILY,
                cursive_family=FALLBACK_FAMILY,
                fantasy_family=FALLBACK_FAMILY,
            )
        )
    except ValueError as exc:
        raise RenderError(
            f"SVG tidak dapat diubah menjadi PNG: {exc}",
            f"The SVG could not be converted to PNG: {exc}",
        ) from exc


def svg_to_pdf(svg: bytes) -> bytes:
    """Convert Graphviz SVG to a one-page vector PDF with svglib and ReportLab."""
    from reportlab.graphics import renderPDF
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(io.BytesIO(svg))
    if drawing is None:
        raise RenderError(
            "SVG tidak dapat diubah menjadi PDF.", "The SVG could not be converted to PDF."
        )
    return bytes(renderPDF.drawToString(drawing))


def convert(svg: bytes, format: str) -> bytes:
    """``svg`` as ``format`` ("svg", "png" or "pdf")."""
    if format == "png":
        return svg_to_png(svg)
    if format == "pdf":
        return svg_to_pdf(svg)
    return svg


_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>|<!--.*?-->", re.DOTALL)


def inline_svg(data: bytes) -> str:
    """The SVG ready to embed in an HTML page: no XML prolog, DOCTYPE or comments.

    Links (``xlink:href``) and tooltips (``xlink:title``, ``<title>``) stay, so nodes
    remain clickable and explain themselves on hover.

    >>> svg = (
    ...     b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\\n'
    ...     b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\\n'
    ...     b' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\\n'
    ...     b"<!-- Generated by graphviz -->\\n"
    ...     b'<svg width="8pt"><!-- a --><g><a xlink:href="/a" xlink:title="A">A</a></g></svg>\\n'
    ... )
    >>> inline_svg(svg)
    '<svg width="8pt"><g><a xlink:href="/a" xlink:title="A">A</a></g></svg>'
    """
    return _PROLOG.sub("", data.decode("utf-8")).strip()


__all__ = ["convert", "inline_svg", "svg_size", "svg_to_pdf", "svg_to_png", "unitless"]
