"""katalog serve: the web pages and the JSON API."""

from __future__ import annotations

import typer

from catalog.cli.common import console, engine, fail
from catalog.cli.demo import Scale, run_demo
from catalog.errors import CatalogError


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Alamat yang didengarkan."),
    port: int = typer.Option(8000, "--port", help="Port HTTP."),
    workers: int = typer.Option(1, "--workers", min=1, help="Jumlah proses pekerja."),
    demo: bool = typer.Option(
        False,
        "--demo",
        help="Bila katalog belum berisi instansi daerah, isi dulu dengan inventaris demo. / "
        "Fill an empty catalogue with the demo inventory first.",
    ),
    scale: Scale = typer.Option(Scale.CITY, "--scale", help="Skala demo untuk --demo."),
    demo_seed: int = typer.Option(1, "--seed", help="Benih acak demo untuk --demo."),
    reload: bool = typer.Option(False, "--reload", help="Untuk pengembang: muat ulang kode."),
) -> None:
    """Jalankan halaman web dan API JSON (/api/v1, dokumentasi di /docs). Basis data kosong
    dibuat dan diisi data awal secara otomatis. / Serve the web pages and the JSON API;
    an empty database is created and seeded automatically."""
    import uvicorn
    from sqlmodel import Session

    from catalog import migrate
    from catalog.queries.scope import local_instansi_ids
    from catalog.services.context import system_actor
    from catalog.services.seed import seed
    from catalog.settings import get_settings

    try:
        eng = engine(require_schema=False)
        if migrate.is_empty(eng):
            console.print("Basis data kosong: membuat skema… / empty database: creating schema")
            migrate.upgrade(eng)
            with Session(eng) as s:
                seed(s, system_actor())
        else:
            migrate.require_current(eng)
        if demo:
            with Session(eng) as s:
                has_local = bool(local_instansi_ids(s, limit=1))
            if not has_local:
                run_demo(eng, scale, demo_seed, truth=None)
        eng.dispose()
        # Create the cookie secret now, once, before worker processes race to it.
        get_settings().secret()
    except CatalogError as exc:
        fail(exc)
        return
    console.print(f"Katalog SPBE berjalan di http://{host}:{port}  (API: /api/v1, docs: /docs)")
    uvicorn.run(
        "web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
        log_level="info",
    )
