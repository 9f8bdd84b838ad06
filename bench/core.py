"""Benchmark of the catalogue core (issue 2): demo generation and read latency.

For each scale it builds the demo inventory in a fresh SQLite file (timing
``katalog demo``), starts ``katalog serve`` with one worker, and measures with a real
HTTP client on loopback: item detail, filtered list pages (50 rows) and full-text search,
plus the server's peak memory. Results go to ``bench/results/core-<scale>.json``.

    python bench/core.py --scale city
    python bench/core.py --scale national
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
from common import WORK, header, katalog, percentile, served, write_result

TARGETS = {
    "detail_p95_ms": 20.0,
    "list_p95_ms": 30.0,
    "search_p95_ms": 100.0,
    "server_peak_rss_mib": 500.0,
    "demo_seconds": {"national": 180.0},
}
SEARCH_WORDS = [
    "kepegawaian",
    "antrian",
    "pajak",
    "sistem informasi",
    "simpeg",
    "aset",
    "surat",
    "kesehatan",
    "puskesmas",
    "bansos",
    "perizinan",
    "sekolah",
    "pengaduan",
    "data penduduk",
    "retribusi",
    "e-kinerja",
    "website",
    "lapor",
    "pasar",
    "bencana",
    "sms",
    "absensi",
    "jalan",
    "kelurahan",
    "musrenbang",
    "gaji",
    "dashboard",
    "parkir",
    "anggaran",
    "arsip",
]


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 50), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "p99_ms": round(percentile(samples, 99), 2),
        "max_ms": round(max(samples), 2),
        "mean_ms": round(statistics.fmean(samples), 2),
    }


def build(scale: str, seed: int, env: dict[str, str]) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [katalog(), "demo", "--scale", scale, "--seed", str(seed)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "demo_seconds": round(elapsed, 1),
        "demo_peak_rss_mib": round(max(peak, before) / 1024, 1),
    }


def vm_hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(base: str, rng: random.Random, n: int) -> dict[str, object]:
    with httpx.Client(base_url=base, timeout=30) as client:
        stats = client.get("/api/v1/stats", params={"instansi": "semua"}).json()["counts"]
        instansi = [
            i["code"]
            for page in range(1, 4)
            for i in client.get("/api/v1/instansi", params={"per_page": 200, "page": page}).json()[
                "items"
            ]
            if i["kind"] != "pusat"
        ]
        # Warm up the connection pool, caches and code paths.
        for _ in range(20):
            client.get("/api/v1/applications", params={"instansi": rng.choice(instansi)})
        detail, listing, search = [], [], []
        kinds = [
            ("applications", "application"),
            ("datasets", "dataset"),
            ("services", "service"),
            ("integrations", "integration"),
        ]
        for i in range(n):
            path, kind = kinds[i % len(kinds)]
            item_id = rng.randint(1, max(1, stats[kind]))
            t = time.perf_counter()
            r = client.get(f"/api/v1/{path}/{item_id}")
            detail.append((time.perf_counter() - t) * 1000)
            assert r.status_code in (200, 404), r.text
        for i in range(n):
            inst = rng.choice(instansi)
            params: dict[str, object] = {"instansi": inst, "per_page": 50}
            choice = i % 4
            if choice == 1:
                params["reference"] = "RAA.02"
            elif choice == 2:
                params["status"] = "active"
            elif choice == 3:
                params = {
                    "instansi": "semua",
                    "per_page": 50,
                    "page": rng.randint(1, 50),
                    "reference": "RAA.02.02",
                }
            t = time.perf_counter()
            r = client.get(f"/api/v1/{kinds[i % 3][0]}", params=params)
            listing.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text
        for _ in range(n):
            q = rng.choice(SEARCH_WORDS)
            t = time.perf_counter()
            r = client.get("/api/v1/search", params={"q": q})
            search.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text
        page_samples = []
        for _ in range(max(20, n // 10)):
            t = time.perf_counter()
            r = client.get(f"/aplikasi/{rng.randint(1, max(1, stats['application']))}")
            page_samples.append((time.perf_counter() - t) * 1000)
    return {
        "counts": stats,
        "detail": summary(detail),
        "list_50": summary(listing),
        "search": summary(search),
        "html_detail_page": summary(page_samples),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["city", "province", "national"], default="city")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--keep", action="store_true", help="reuse an existing demo database")
    args = parser.parse_args()

    work = WORK / args.scale
    db = work / "katalog.sqlite3"
    env = {**os.environ, "KATALOG_DATABASE_URL": f"sqlite:///{db}"}
    build_stats: dict[str, float] = {}
    if not (args.keep and db.exists()):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        build_stats = build(args.scale, args.seed, env)
        print(f"demo {args.scale}: {build_stats}")
    with served(env) as (base, server):
        results = measure(base, random.Random(args.seed), args.requests)
        # Uvicorn runs the app in this child process when --workers is 1.
        rss = vm_hwm_mib(server.pid)
    report = {
        **header("core", scale=args.scale, seed=args.seed),
        "database": "sqlite",
        "workers": 1,
        **build_stats,
        **results,
        "server_peak_rss_mib": round(rss, 1),
        "targets": TARGETS,
    }
    report["meets_targets"] = {
        "detail_p95": results["detail"]["p95_ms"] <= TARGETS["detail_p95_ms"],  # type: ignore[index]
        "list_p95": results["list_50"]["p95_ms"] <= TARGETS["list_p95_ms"],  # type: ignore[index]
        "search_p95": results["search"]["p95_ms"] <= TARGETS["search_p95_ms"],  # type: ignore[index]
        "server_peak_rss": rss <= TARGETS["server_peak_rss_mib"],
    }
    if args.scale == "national" and "demo_seconds" in build_stats:
        report["meets_targets"]["demo_seconds"] = build_stats["demo_seconds"] <= 180.0
    write_result(f"core-{args.scale}", report)
    return 0 if all(report["meets_targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
