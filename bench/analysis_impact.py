"""The impact API at national scale, as a client meets it (issue 5, part of
``bench/analysis_speed.py``): ``katalog serve`` with one worker and a real HTTP client on
loopback, as an administrator (who sees restricted items too), timing
``/api/v1/graph/impact/{kind}/{id}`` for the most-depended-on items and a random sample of
items of every kind.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench.common import katalog, percentile, served


def latency(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 50), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "max_ms": round(max(samples), 2),
    }


def heavy_items(db: Path) -> list[tuple[str, int, str]]:
    """The items most others depend on: (kind, id, why chosen)."""
    queries = [
        (
            "infrastructure",
            "busiest SPL (integrations through it)",
            "select intermediary_id, count(*) n from integration "
            "where intermediary_id is not null group by 1 order by n desc limit 1",
        ),
        (
            "infrastructure",
            "busiest data centre (items hosted on it)",
            "select i.id, count(*) n from infrastructure_item i join relation r "
            "on r.target_kind = 'infrastructure' and r.target_id = i.id "
            "and r.type = 'hosted_on' where i.infra_type = 'data_centre' "
            "group by 1 order by n desc limit 1",
        ),
        (
            "application",
            "national system with the most integrations",
            "select a.id, count(*) n from application a join integration g "
            "on g.provider_id = a.id where a.national_role != 'none' "
            "group by 1 order by n desc limit 3",
        ),
        (
            "dataset",
            "most-read data set",
            "select target_id, count(*) n from relation where type = 'reads' "
            "and target_kind = 'dataset' group by 1 order by n desc limit 1",
        ),
        (
            "application",
            "local application with the most dependents",
            "select a.id, count(*) n from application a join integration g "
            "on g.provider_id = a.id where a.national_role = 'none' "
            "group by 1 order by n desc limit 1",
        ),
    ]
    out = []
    with sqlite3.connect(db) as conn:
        for kind, why, sql in queries:
            for row in conn.execute(sql):
                out.append((kind, int(row[0]), f"{why}: {row[1]}"))
    return out


def random_items(db: Path, rng: random.Random, n: int) -> list[tuple[str, int]]:
    tables = {
        "application": "application",
        "dataset": "data_set",
        "service": "service",
        "infrastructure": "infrastructure_item",
        "integration": "integration",
        "process": "business_process",
    }
    out = []
    with sqlite3.connect(db) as conn:
        for i in range(n):
            kind = list(tables)[i % len(tables)]
            (top,) = conn.execute(f"select max(id) from {tables[kind]}").fetchone()
            if top:
                out.append((kind, rng.randint(1, top)))
    return out


def admin_token(env: dict[str, str], work: Path) -> str:
    """An API token of an administrator, who sees restricted items too (an architect's
    view: the impact of a data centre includes the closed data sets it hosts)."""
    password = "bench-" + os.urandom(8).hex()
    subprocess.run(
        [
            katalog(),
            "user",
            "add",
            "bench",
            "--name",
            "Bench",
            "--role",
            "admin",
            "--password-stdin",
        ],
        env=env,
        input=password + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [katalog(), "user", "token", "bench", "--name", "bench"],
        env=env,
        text=True,
        check=True,
        capture_output=True,
    )
    (work / "token.log").write_text(done.stderr, encoding="utf-8")
    lines = done.stdout.splitlines()
    # The token is printed alone on the line after the one that announces it.
    for i, line in enumerate(lines[:-1]):
        if line.startswith("Token 'bench'"):
            return lines[i + 1].strip()
    raise SystemExit(f"no token in the output of `katalog user token`: {done.stdout!r}")


def impact(db: Path, env: dict[str, str], work: Path, n: int, seed: int) -> dict[str, Any]:
    token = admin_token(env, work)
    with (work / "serve.log").open("wb") as log, served(env, log, attempts=600) as (base, _):
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, timeout=60, headers=auth) as client:

            def timed(kind: str, item_id: int) -> tuple[float, dict[str, Any] | None]:
                t = time.perf_counter()
                r = client.get(f"/api/v1/graph/impact/{kind}/{item_id}")
                ms = (time.perf_counter() - t) * 1000
                if r.status_code == 404:
                    return ms, None
                assert r.status_code == 200, r.text[:500]
                return ms, r.json()

            for kind, item_id in random_items(db, random.Random(seed + 1), 10):
                timed(kind, item_id)  # warm up the connection and code paths
            heavy = []
            samples: list[float] = []
            for kind, item_id, why in heavy_items(db):
                times = []
                body: dict[str, Any] | None = None
                for _ in range(5):
                    ms, body = timed(kind, item_id)
                    times.append(ms)
                samples += times
                item = (body or {}).get("item", {})
                heavy.append(
                    {
                        "kind": kind,
                        "id": item_id,
                        "code": item.get("code"),
                        "name": item.get("name"),
                        "why": why,
                        "reached": (body or {}).get("total"),
                        "truncated": (body or {}).get("truncated"),
                        "server_walk_ms": (body or {}).get("milliseconds"),
                        "p50_ms": round(statistics.median(times), 2),
                        "max_ms": round(max(times), 2),
                    }
                )
                print(f"  impact {heavy[-1]}", flush=True)
            sampled: list[float] = []
            missing = 0
            for kind, item_id in random_items(db, random.Random(seed), n):
                ms, body = timed(kind, item_id)
                if body is None:
                    missing += 1
                    continue
                sampled.append(ms)
    return {
        "heavy_items": heavy,
        "heavy": latency(samples),
        "random": {**latency(sampled), "not_found_skipped": missing},
        "all": latency(samples + sampled),
    }
