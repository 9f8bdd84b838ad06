"""Names as legacy inventories write them: "ACRONYM (Expansion)", units known only by name,
web addresses.

These are the text rules of the mapping format's ``split``, ``code_from_name`` and
``{URL:host}``; they are pure, so their examples run as tests.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

_ACRONYM = re.compile(r"[\w!&+\-]{2,20}")
_CAPS_ACRONYM = re.compile(r"[A-Z0-9\-]{2,10}(?: [A-Z0-9\-]{1,10}){1,2}")
_PARENTHESIS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$", re.DOTALL)
_HOST = re.compile(r"\w\.\w")
_STOP = {"dan", "di", "ke", "dari", "serta", "untuk", "yang", "&"}


def squash(text: str) -> str:
    """The text with every run of white space (line breaks in a cell too) as one space, so
    that cells and the mapping's own values compare as a person reads them."""
    return re.sub(r"\s+", " ", text).strip()


def _acronym_like(text: str) -> bool:
    return bool(
        (_ACRONYM.fullmatch(text) and re.search(r"[A-Za-z]", text)) or _CAPS_ACRONYM.fullmatch(text)
    )


def split_name(text: str) -> tuple[str, str | None]:
    """Name and acronym of "ACRONYM (Expansion)" or "Name (ACRONYM)"; otherwise the text.

    Only one side may look like an acronym (one word, or up to three upper-case words);
    "Rujukan Online (Dinas Kominfo)" and "Simonev (Narkoba)" stay as written.

    >>> split_name("SIDAB (Sistem Informasi Distribusi Air Bersih)")
    ('Sistem Informasi Distribusi Air Bersih', 'SIDAB')
    >>> split_name("Sistem Informasi Manajemen Gaji (SIMGAJI)")
    ('Sistem Informasi Manajemen Gaji', 'SIMGAJI')
    >>> split_name("SIM HP (Sistem Informasi Manajemen Hasil Pemeriksa)")
    ('Sistem Informasi Manajemen Hasil Pemeriksa', 'SIM HP')
    >>> split_name("Rujukan Online (Dinas Kominfo)")
    ('Rujukan Online (Dinas Kominfo)', None)
    >>> split_name("e-RTLH (ertlh.kota.go.id)")
    ('e-RTLH (ertlh.kota.go.id)', None)
    """
    text = squash(text)
    match = _PARENTHESIS.match(text)
    if not match:
        return text, None
    outside, inside = squash(match.group(1)), squash(match.group(2))
    if not outside or not inside or _HOST.search(inside) or _HOST.search(outside):
        return text, None  # "e-RTLH (ertlh.kota.go.id)": an address is no name
    out_short, in_short = _acronym_like(outside), _acronym_like(inside)
    if out_short and not in_short:
        return inside, outside
    if in_short and not out_short:
        return outside, inside
    return text, None


def unit_code(name: str) -> str:
    """A stable unit code for a unit known only by name: its initials and a short hash of
    the name (case and spacing ignored), so the same name always gives the same code.

    >>> unit_code("Badan Kepegawaian Daerah")
    'BKD-6D40'
    >>> unit_code("  badan  kepegawaian daerah ") == unit_code("Badan Kepegawaian Daerah")
    True
    """
    norm = squash(name).lower()
    initials = "".join(
        w[0] for w in re.findall(r"[0-9A-Za-zÀ-ÿ]+", norm) if w not in _STOP
    ).upper()[:16]
    digest = hashlib.sha1(norm.encode("utf-8")).hexdigest()[:4].upper()
    return f"{initials or 'UNIT'}-{digest}"


def url_host(url: str) -> str:
    """
    >>> url_host("https://www.Sipd.kemendagri.go.id/login")
    'sipd.kemendagri.go.id'
    >>> url_host("litbang.bantenprov.go.id/")
    'litbang.bantenprov.go.id'
    """
    text = url.strip()
    if not text:
        return ""
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    return host.removeprefix("www.")
