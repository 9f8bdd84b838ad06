"""Rendering templates with what every page needs (language, labels, navigation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from catalog import __version__
from catalog.access import Principal
from catalog.enums import IntegrationStatus, label
from catalog.errors import CatalogError
from catalog.kinds import KINDS
from web.auth import SESSION_USER, csrf_token, identify
from web.i18n import request_language, translator
from web.labels import FIELD_LABELS

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
TEMPLATES.env.globals["KINDS"] = KINDS
TEMPLATES.env.globals["version"] = __version__


def _url_with(request: Request, **changes: Any) -> str:
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return f"{request.url.path}?{query}" if query else request.url.path


FLASH = "flash"


def flash(request: Request, message: str) -> None:
    """Remember a message id to show once on the next page (after a redirect)."""
    request.session[FLASH] = message


def viewer(request: Request) -> Principal | None:
    """Who is signed in, for the page header. Pages that did not ask who is there
    (reference lists, error pages) still show the right header: identify once, and only
    when the cookie names a user. The principal, not the user row: a failed write rolls
    the request's session back, and an error page must not reload a row through it."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        has_cookie = "session" in request.scope and request.session.get(SESSION_USER) is not None
        if not has_cookie and "authorization" not in request.headers:
            return None
        try:
            with Session(request.app.state.engine, expire_on_commit=False) as session:
                principal = identify(request, session)[1]
        except CatalogError:
            return None  # e.g. a bad API token: the error page itself must still render
    return principal if principal.is_authenticated else None


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    json_url: str | None = None,
) -> HTMLResponse:
    lang = request_language(request)
    gettext = translator(lang)

    def field_label(name: str) -> str:
        return gettext(FIELD_LABELS.get(name, name))

    def enum_label(value: Any, enum: Any = None) -> str:
        return label(value, enum, lang) if value is not None else ""

    principal = viewer(request)
    has_session = "session" in request.scope
    ctx: dict[str, Any] = {
        "_": gettext,
        "viewer": principal,
        "principal": principal,
        # A function, so that only pages with a form put a token into the session.
        "csrf": lambda: csrf_token(request),
        "flash": gettext(request.session.pop(FLASH))
        if has_session and FLASH in request.session
        else None,
        "lang": lang,
        "field_label": field_label,
        "enum_label": enum_label,
        "url_with": lambda **kw: _url_with(request, **kw),
        "json_url": json_url,
        "kind_label": lambda k: gettext(KINDS[k].label),
        "integration_status": lambda v: label(v, IntegrationStatus, lang),
    }
    ctx.update(context or {})
    return TEMPLATES.TemplateResponse(request, template, ctx, status_code=status_code)
