"""The FastAPI application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware

from catalog import __version__, migrate
from catalog.db import check_connection, make_engine
from catalog.settings import Settings, get_settings
from web import errors
from web.api import router as api_router
from web.auth import WORKER, request_id
from web.i18n import COOKIE, LANGUAGES
from web.pages import router as pages_router

STATIC_DIR = Path(__file__).parent / "static"

DESCRIPTION = """
API baca Katalog SPBE: aplikasi, data, layanan, proses bisnis, infrastruktur, keamanan dan
integrasi pemerintah, diklasifikasikan menurut Referensi Arsitektur SPBE (Perpres 132/2022).

Read API of Katalog SPBE. Every list takes `instansi`, `opd`, `reference`, `status`, `q`
(full-text, prefix match), `page` and `per_page`; errors answer with a message in Indonesian
(`message`) and English (`message_en`) and name each field at fault.
"""


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Everything loaded so far (modules, routes, templates) lives as long as the
        # process: out of the cyclic collector's sight, a full collection during a large
        # answer (an impact of 20,000 items) no longer walks it all again.
        gc.collect()
        gc.freeze()
        yield
        if owns_engine:
            app.state.engine.dispose()

    owns_engine = engine is None
    if engine is None:
        engine = make_engine(settings=settings)
        check_connection(engine)
        # A server never migrates a database it did not create: `katalog serve` and
        # `katalog db upgrade` do that before workers start.
        migrate.require_current(engine)

    app = FastAPI(
        title="Katalog SPBE",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.settings = settings
    errors.install(app)
    app.include_router(api_router, prefix="/api/v1")
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.middleware("http")
    async def remember_language(request: Request, call_next: object) -> Response:
        response: Response = await call_next(request)  # type: ignore[operator]
        asked = request.query_params.get("lang")
        if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
            response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax")
        response.headers["X-Request-ID"] = request_id(request)
        # Which server process answered: useful when several workers share the load.
        response.headers["X-Katalog-Worker"] = WORKER
        return response

    # Added last so that it runs first: every handler below sees request.session.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret(),
        session_cookie="katalog_session",
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    return app
