"""The renderer's errors: Indonesian first, English beside it.

``diagrams`` may not import ``catalog`` (layering), so these do not derive from
``catalog.errors.CatalogError``; callers (``web/api/diagrams.py``, ``katalog diagram``) map
them onto domain errors through ``message`` and ``message_en``.
"""

from __future__ import annotations


class RenderError(Exception):
    """A diagram could not be drawn.

    >>> error = RenderError("Format 'gif' tidak dikenal.", "Unknown format 'gif'.")
    >>> str(error), error.message_en
    ("Format 'gif' tidak dikenal.", "Unknown format 'gif'.")
    """

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en

    def __str__(self) -> str:
        return self.message


class RenderTimeout(RenderError):
    """Every layout engine ran out of time; the caller draws a smaller (aggregate) view."""


class GraphvizFailed(RenderError):
    """Graphviz rejected the source (syntax error, unusable attribute).

    Carries Graphviz's own words so that whoever wrote the DOT can find the line.
    """

    def __init__(self, detail: str) -> None:
        detail = detail.strip() or "Graphviz gagal tanpa pesan / failed without a message"
        super().__init__(
            f"Graphviz tidak dapat menggambar sumber DOT ini: {detail}",
            f"Graphviz could not draw this DOT source: {detail}",
        )
        self.detail = detail


class EngineTimedOut(Exception):
    """Internal: one engine ran past its limit (the worker or process was killed).

    Not a :class:`RenderError`: :func:`diagrams.render.render` catches it and tries the
    next engine, raising :class:`RenderTimeout` only when every engine has timed out.
    """


__all__ = ["EngineTimedOut", "GraphvizFailed", "RenderError", "RenderTimeout"]
