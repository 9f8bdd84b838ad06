"""katalog demo: realistic synthetic inventories with planted truth."""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from catalog.cli.common import console, engine, fail, progress
from catalog.errors import CatalogError

if TYPE_CHECKING:
    from sqlalchemy import Engine


class Scale(StrEnum):
    CITY = "city"
    PROVINCE = "province"
    NATIONAL = "national"


def run_demo(eng: Engine, scale: Scale, seed_value: int, truth: Path | None) -> None:
    from sqlmodel import Session

    from catalog.demo import generate
    from catalog.services.context import Actor

    started = time.perf_counter()
    with Session(eng) as s, progress() as bar:
        task = bar.add_task(f"Membuat inventaris demo ({scale})", total=None)

        def tick(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what)

        result = generate(
            s, Actor(name="demo", source="demo"), scale=scale.value, seed=seed_value, progress=tick
        )
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{n} {k}" for k, n in sorted(result.counts.items()))
    console.print(
        f"Inventaris demo '{scale}' (seed {seed_value}) selesai dalam {elapsed:.1f} s: {counts}"
    )
    if truth is not None:
        truth.parent.mkdir(parents=True, exist_ok=True)
        truth.write_text(json.dumps(result.truth, ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(f"Kebenaran tertanam ditulis ke {truth} / planted truth written")


def demo(
    scale: Scale = typer.Option(
        Scale.CITY,
        "--scale",
        help="city ≈ 1 kota; province ≈ 20 instansi; national ≈ 600 instansi.",
    ),
    seed_value: int = typer.Option(1, "--seed", help="Benih acak: benih sama, isi sama."),
    truth: Path = typer.Option(
        None,
        "--truth",
        help="Tulis kebenaran tertanam (duplikat, celah integrasi) ke berkas JSON ini. / "
        "Write the planted truth (duplicates, integration gaps) to this JSON file.",
    ),
) -> None:
    """Isi katalog dengan inventaris demo yang realistis: OPD, aplikasi, data, layanan,
    proses, infrastruktur, keamanan, integrasi; dengan duplikat dan celah integrasi yang
    sengaja ditanam. / Fill the catalogue with a realistic demo inventory with planted
    duplicates and integration gaps. Deterministic for a given seed."""
    from sqlmodel import Session

    from catalog import migrate
    from catalog.services.context import system_actor
    from catalog.services.seed import seed

    try:
        eng = engine(require_schema=False)
        if migrate.is_empty(eng):
            migrate.upgrade(eng)
            with Session(eng) as s:
                seed(s, system_actor())
        else:
            migrate.require_current(eng)
        run_demo(eng, scale, seed_value, truth)
    except CatalogError as exc:
        fail(exc)
