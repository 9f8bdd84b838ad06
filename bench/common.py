"""What every benchmark script shares: where things go, how to call the CLI, and a
description of the machine that goes into each result file."""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import httpx2 as httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"  # databases and files; ignored by git
RESULTS = ROOT / "bench" / "results"  # committed with the code they measured


def katalog() -> str:
    """The ``katalog`` command of the running virtualenv (falls back to PATH)."""
    exe = Path(sys.executable).parent / "katalog"
    return str(exe) if exe.exists() else "katalog"


def run(args: list[str], env: dict[str, str], log: Path) -> dict[str, float]:
    """Run one CLI step; its wall time and peak resident memory. ``wait4`` reports the
    usage of that one child, whatever ran before it."""
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen([katalog(), *args], env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if proc.returncode:
        sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-5000:])
        raise SystemExit(f"katalog {' '.join(args)} failed with exit code {proc.returncode}")
    return {"seconds": round(elapsed, 1), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def machine_speed() -> float:
    """Seconds for a fixed pure-Python workload (best of three): the sandbox this runs in
    is not the same machine from one day to the next (the same code and data measured
    2.3× apart), so every result says how fast its machine was."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        seen: dict[str, int] = {}
        for i in range(2_000_000):
            key = str(i % 5000)
            seen[key] = seen.get(key, 0) + i
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


def header(benchmark: str, **fields: Any) -> dict[str, Any]:
    """The first fields of a result: what ran, when, and on what."""
    return {
        "benchmark": benchmark,
        **fields,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python_workload_seconds": machine_speed(),
        },
    }


def write_result(name: str, report: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(
    env: dict[str, str], out: IO[bytes] | int = subprocess.DEVNULL, attempts: int = 200
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``katalog serve`` with one worker on a free port, its base URL and process once it
    answers (polled every 0.1 s, ``attempts`` times); stopped on leaving."""
    port = free_port()
    server = subprocess.Popen(
        [katalog(), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT if out is not subprocess.DEVNULL else subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(attempts):
            try:
                if httpx.get(f"{base}/api/v1", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


SAMPLE_EVERY = 0.05  # seconds between memory samples of the process tree


class TreeSampler(threading.Thread):
    """Peak memory of a process and all its descendants, sampled until it ends."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            rss = pss = 0
            for proc in procs:
                try:
                    info = proc.memory_full_info()
                except psutil.Error:
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(procs))
            self.stop.wait(SAMPLE_EVERY)
