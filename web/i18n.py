"""Page language: Bahasa Indonesia first, English available.

Message ids are the Indonesian texts; ``locale/en/LC_MESSAGES/messages.po`` holds their
English translations (standard gettext catalogue, read with Babel). The language comes
from ``?lang=``, then the ``lang`` cookie, then Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po
from starlette.requests import Request

LANGUAGES = ("id", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
COOKIE = "lang"


@lru_cache
def _catalogue(lang: str) -> dict[str, str]:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        catalogue = read_po(fh, locale=lang)
    return {str(m.id): str(m.string) for m in catalogue if m.id and m.string}


def translator(lang: str) -> Callable[..., str]:
    table = _catalogue(lang) if lang != "id" else {}

    def gettext(message: str, **params: object) -> str:
        text = table.get(message, message)
        return text % params if params else text

    return gettext


def request_language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(COOKIE)
    return asked if asked in LANGUAGES else "id"
