"""One place that turns errors into answers: JSON under /api, an HTML page elsewhere."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalog.errors import CatalogError, InvalidInput, NotFound
from catalog.validation import problems_from_validation_error


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path.endswith(".json")


def render_error(request: Request, exc: CatalogError) -> Response:
    if wants_json(request):
        return JSONResponse(exc.to_dict(), status_code=exc.status)
    from web.pages.render import render

    return render(request, "error.html", {"error": exc}, status_code=exc.status)


def install(app: FastAPI) -> None:
    @app.exception_handler(CatalogError)
    async def catalog_error(request: Request, exc: CatalogError) -> Response:
        return render_error(request, exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return render_error(
            request, InvalidInput.from_problems(problems_from_validation_error(list(exc.errors())))
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return render_error(
                request,
                NotFound(
                    f"Alamat {request.url.path} tidak ditemukan.",
                    f"Nothing at {request.url.path}.",
                    field="path",
                    value=request.url.path,
                ),
            )
        error = CatalogError(str(exc.detail), str(exc.detail), code=f"http_{exc.status_code}")
        error.status = exc.status_code
        return render_error(request, error)
