"""Diagram speed: every view, end to end (read the catalogue, build the view, lay it out and
render SVG), with the system Graphviz and the WebAssembly build side by side.

Targets (issue 6): city: any OPD view (``landscape``, ``layers``, ``integration`` of every
OPD) ≤ 2 s, the instansi integration map ≤ 5 s; national: the aggregate view ≤ 5 s; no
render exceeds its time limit (10 s) without falling back (a faster engine, or the
aggregate).

    python bench/diagrams.py                      # city and national, both renderers
    python bench/diagrams.py --scales city --renderers wasm

Each figure is a cold render (the render cache is cleared first): what the first visitor
of a page waits for. The city database is built here; the national one is expected at
``bench/work/analysis-national/katalog.sqlite3`` (see bench/analysis_speed.py). Results go
to ``bench/results/diagrams.json``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select
from sqlmodel import Session

from bench.common import WORK, header, katalog, write_result
from catalog.access import SYSTEM
from catalog.db import make_engine
from catalog.models import Application, Instansi, Integration, Organisation
from catalog.queries.diagram_requests import DiagramParams, diagram_input
from catalog.services.analysis import refresh
from diagrams import render as render_module
from diagrams.drawing import draw

TARGETS = {"city_opd_view": 2.0, "city_integration_map": 5.0, "national_aggregate": 5.0}
TIME_LIMIT = 10.0


def city_db() -> Path:
    db = WORK / "diagrams-city" / "katalog.sqlite3"
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [katalog(), "--database", f"sqlite:///{db}", "demo", "--scale", "city"], check=True
        )
    return db


def national_db() -> Path:
    db = WORK / "analysis-national" / "katalog.sqlite3"
    if not db.exists():
        raise SystemExit(f"{db} is missing: see bench/analysis_speed.py to build it.")
    return db


def timed(session: Session, view: str, renderer: str, **params: Any) -> dict[str, Any]:
    """One diagram, cold: read, build, render; how long each part took."""
    render_module.clear_cache()
    started = time.perf_counter()
    request = diagram_input(session, SYSTEM, view, DiagramParams(**params))
    read = time.perf_counter() - started
    drawing = draw(request.view, request.args, "svg", time_limit=TIME_LIMIT, renderer=renderer)
    total = time.perf_counter() - started
    v, r = drawing.view, drawing.rendered
    return {
        "view": view,
        "params": params,
        "seconds": round(total, 3),
        "read_seconds": round(read, 3),
        "render_seconds": round(r.seconds, 3),
        "nodes": v.nodes,
        "edges": v.edges,
        "aggregated": v.aggregated,
        "engine": r.engine,
        "fell_back": r.fell_back,
        "replaced_by_aggregate": drawing.replaced,
        # Drawn within the limit, or (having run out of it) by a faster engine or as the
        # aggregate: ``seconds`` then counts the engine that timed out too.
        "within_time_limit": r.seconds <= TIME_LIMIT or r.fell_back or drawing.replaced,
    }


def busiest_application(s: Session, instansi_id: int) -> str:
    code = s.execute(
        select(Application.code)
        .join(Integration, Integration.provider_id == Application.id)
        .where(Application.instansi_id == instansi_id)
        .group_by(Application.id)
        .order_by(func.count().desc(), Application.id)
        .limit(1)
    ).scalar_one()
    return f"application:{code}"


def bench_city(renderer: str) -> dict[str, Any]:
    eng = make_engine(f"sqlite:///{city_db()}")
    with Session(eng) as s:
        place = s.execute(select(Instansi).where(Instansi.kind == "kota")).scalar_one()
        refresh(s, [place.id])
        units = list(
            s.execute(
                select(Organisation.code)
                .where(Organisation.instansi_id == place.id, Organisation.parent_id.is_(None))
                .order_by(Organisation.code)
            ).scalars()
        )
        inst = place.code
        opd_views = [
            timed(s, view, renderer, instansi=inst, opd=unit)
            for unit in units
            for view in ("landscape", "layers", "integration")
        ]
        item = busiest_application(s, place.id)
        others = [
            timed(s, "integration", renderer, instansi=inst),
            timed(s, "layers", renderer, instansi=inst),
            timed(s, "aggregate", renderer, instansi=inst),
            timed(s, "context", renderer, instansi=inst, item=item, depth=1),
            timed(s, "context", renderer, instansi=inst, item=item, depth=3),
            timed(s, "impact", renderer, instansi=inst, item=item),
            timed(s, "coverage", renderer, instansi=inst, scheme="RAA"),
            timed(s, "coverage", renderer, instansi=inst, scheme="RAB"),
        ]
    eng.dispose()
    slowest = max(opd_views, key=lambda r: r["seconds"])
    integration = others[0]
    return {
        "opd_views": len(opd_views),
        "opd_view_seconds_max": slowest["seconds"],
        "opd_view_slowest": slowest,
        "opd_view_seconds_median": sorted(r["seconds"] for r in opd_views)[len(opd_views) // 2],
        "integration_map_seconds": integration["seconds"],
        "views": others,
        "meets": {
            "opd_view_within_2_s": slowest["seconds"] <= TARGETS["city_opd_view"],
            "integration_map_within_5_s": integration["seconds"] <= TARGETS["city_integration_map"],
        },
        "all_within_time_limit": all(r["within_time_limit"] for r in opd_views + others),
    }


def bench_national(renderer: str) -> dict[str, Any]:
    eng = make_engine(f"sqlite:///{national_db()}")
    with Session(eng) as s:
        # The largest local instansi (the one with most applications) for its big views.
        biggest_id, biggest = s.execute(
            select(Instansi.id, Instansi.code)
            .join(Application, Application.instansi_id == Instansi.id)
            .where(Instansi.kind != "pusat")
            .group_by(Instansi.id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        srikandi = s.execute(
            select(Application.code).where(Application.code == "SRIKANDI")
        ).scalar()
        views = [
            timed(s, "aggregate", renderer),
            timed(s, "integration", renderer, instansi=biggest),
            timed(s, "layers", renderer, instansi=biggest),
            timed(
                s,
                "context",
                renderer,
                instansi=biggest,
                item=busiest_application(s, biggest_id),
                depth=4,
            ),
        ]
        if srikandi:
            views.append(
                timed(s, "impact", renderer, instansi=biggest, item=f"application:{srikandi}")
            )
    eng.dispose()
    aggregate = views[0]
    return {
        "largest_instansi": biggest,
        "aggregate_seconds": aggregate["seconds"],
        "views": views,
        "meets": {"aggregate_within_5_s": aggregate["seconds"] <= TARGETS["national_aggregate"]},
        "all_within_time_limit": all(r["within_time_limit"] for r in views),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="*", default=["city", "national"])
    parser.add_argument("--renderers", nargs="*", default=["system", "wasm"])
    args = parser.parse_args()
    available = render_module.available_renderers()
    report = header("diagrams", targets=TARGETS, time_limit_seconds=TIME_LIMIT)
    report["renderers_available"] = available
    report["system_graphviz"] = shutil.which("dot")
    for renderer in args.renderers:
        if renderer not in available:
            print(f"renderer {renderer} not available here; skipped", file=sys.stderr)
            continue
        # Warm the worker once (process start and module compile): a server pays it once.
        render_module.render("digraph { a }", "svg", renderer=renderer)
        for scale in args.scales:
            fn = bench_city if scale == "city" else bench_national
            report.setdefault(scale, {})[renderer] = fn(renderer)
    write_result("diagrams", report)


if __name__ == "__main__":
    main()
