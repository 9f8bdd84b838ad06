"""Keeping the cache current: the stale instansi analysed again, in a process pool when
there are many."""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from catalog.analysis.engine import load_rules
from catalog.services.analysis.computing import Computed, _compute_batch, compute
from catalog.services.analysis.fingerprints import _latest_changes, cache_state, local_ids
from catalog.services.analysis.store import _store

# A process pool costs its start-up; below this many stale instansi one process is faster.
POOL_THRESHOLD = 8
# Batches per worker: enough to balance the load and show progress, few enough that the
# fixed cost of loading a snapshot (the national context, the reference set) stays small.
BATCHES_PER_WORKER = 4

Progress = Callable[[int, int], None]


@dataclass
class RefreshReport:
    analysed: list[int] = field(default_factory=list)
    fresh: list[int] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1


def _batches(ids: list[int], weights: dict[int, int], n: int) -> list[list[int]]:
    """``n`` batches of about equal weight (largest first into the lightest batch)."""
    n = max(1, min(n, len(ids)))
    batches: list[list[int]] = [[] for _ in range(n)]
    load = [0] * n
    for inst in sorted(ids, key=lambda i: -weights.get(i, 1)):
        lightest = load.index(min(load))
        batches[lightest].append(inst)
        load[lightest] += weights.get(inst, 1)
    return [sorted(b) for b in batches if b]


def refresh(
    session: Session,
    instansi_ids: Sequence[int] | None = None,
    *,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> RefreshReport:
    """Analyse again every instansi (of ``instansi_ids``, every local one by default)
    whose cached findings are missing or stale (all of them with ``force``)."""
    started = time.perf_counter()
    ids = list(instansi_ids) if instansi_ids is not None else local_ids(session)
    state = cache_state(session, ids)
    todo = ids if force else state.outdated
    report = RefreshReport(fresh=[i for i in ids if i not in set(todo)])
    if not todo:
        report.seconds = time.perf_counter() - started
        return report
    if progress:
        progress(0, len(todo))
    pool_size = workers if workers is not None else min(2, os.cpu_count() or 1)
    if pool_size <= 1 or len(todo) < POOL_THRESHOLD:
        done = 0
        for batch in _batches(todo, {}, max(1, len(todo) // 50)):
            computed = compute(session, batch)
            _store(session, computed, state.inputs)
            done += len(batch)
            if progress:
                progress(done, len(todo))
        report.workers = 1
    else:
        weights = {i: n for i, (_, n) in _latest_changes(session, todo).items()}
        batches = _batches(todo, weights, pool_size * BATCHES_PER_WORKER)
        url = session.get_bind().engine.url.render_as_string(hide_password=False)
        # End this session's read before forking: the workers open their own connections.
        session.rollback()
        # The rule modules imported once here are inherited by every forked worker.
        load_rules()
        done = 0
        # A forked worker starts with this process's collector state (the CLI pauses it);
        # it collects between its batches whatever the caller does.
        with multiprocessing.get_context(_start_method()).Pool(
            pool_size, initializer=gc.enable
        ) as pool:
            # Each batch is stored as soon as it comes back, whatever its order.
            for computed in pool.imap_unordered(_compute_args, [(url, b) for b in batches]):
                _store(session, computed, state.inputs)
                done += len(computed)
                if progress:
                    progress(done, len(todo))
        report.workers = pool_size
    report.analysed = list(todo)
    report.seconds = time.perf_counter() - started
    return report


def _start_method() -> str:
    # fork is the cheapest start (no re-import of the rules); elsewhere the default.
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _compute_args(args: tuple[str, list[int]]) -> list[Computed]:
    return _compute_batch(*args)


def ensure_fresh(session: Session, instansi_id: int) -> bool:
    """Analyse one instansi again if its cached findings are stale (a city takes well
    under a second). True when it was analysed. Someone else refreshing the same
    instansi at the same moment is not an error: their result is as good as ours."""
    state = cache_state(session, [instansi_id])
    if not state.outdated:
        return False
    try:
        _store(session, compute(session, [instansi_id]), state.inputs)
    except IntegrityError:
        session.rollback()
    return True
