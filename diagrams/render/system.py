"""Render with the system Graphviz: one ``dot`` subprocess per render, killed at the limit.

A subprocess per call needs no shared state and a runaway layout dies with its process.
Layout is CPU-bound, so at most as many ``dot`` processes run at once as there are CPUs
(capped at 4, as the WebAssembly pool); more threads wait their turn rather than slow
every render past its limit. When this Graphviz lacks a format's plugin (a
minimal build without cairo has no PNG), the SVG is converted instead, as on the
WebAssembly path.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading

from diagrams.render.convert import convert
from diagrams.render.errors import EngineTimedOut, GraphvizFailed, RenderError

_MISSING_FORMAT = re.compile(r'Format: "[^"]*" not recognized')
MAX_PROCESSES = max(1, min(4, os.cpu_count() or 1))
_slots = threading.BoundedSemaphore(MAX_PROCESSES)


def dot_path() -> str | None:
    """Where ``dot`` is on PATH, or None."""
    return shutil.which("dot")


def run(source: str, format: str, engine: str, time_limit: float) -> bytes:
    """``source`` laid out by ``engine`` as ``format`` (svg, png, pdf or json)."""
    dot = dot_path()
    if dot is None:
        raise RenderError(
            "Graphviz sistem (perintah 'dot') tidak terpasang; pilih renderer 'auto' atau 'wasm'.",
            "System Graphviz (the 'dot' command) is not installed; choose renderer 'auto' "
            "or 'wasm'.",
        )
    try:
        return _dot(dot, source, format, engine, time_limit)
    except _FormatMissing:
        # Convert from SVG; the conversion is linear in the SVG's size and cannot hang.
        return convert(_dot(dot, source, "svg", engine, time_limit), format)


class _FormatMissing(Exception):
    pass


def _dot(dot: str, source: str, format: str, engine: str, time_limit: float) -> bytes:
    try:
        # subprocess.run kills the child when the timeout expires before raising.
        with _slots:
            done = subprocess.run(
                [dot, f"-K{engine}", f"-T{format}"],
                input=source.encode("utf-8"),
                capture_output=True,
                timeout=time_limit,
                check=False,
            )
    except subprocess.TimeoutExpired as exc:
        raise EngineTimedOut(engine) from exc
    if done.returncode == 0 and done.stdout:
        return done.stdout
    message = done.stderr.decode("utf-8", "replace")
    if format in ("png", "pdf") and _MISSING_FORMAT.search(message):
        raise _FormatMissing(format)
    # Keep Graphviz's errors, not its warnings, so the message points at the problem.
    lines = [line for line in message.splitlines() if not line.startswith("Warning:")]
    raise GraphvizFailed("\n".join(lines) or message or f"exit status {done.returncode}")


__all__ = ["dot_path", "run"]
