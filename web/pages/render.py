"""Rendering templates with what every page needs (language, labels, navigation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from catalog import __version__
from catalog.enums import IntegrationStatus, label
from catalog.kinds import KINDS
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

    ctx: dict[str, Any] = {
        "_": gettext,
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
