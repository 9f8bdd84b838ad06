"""Web addresses as evidence: which part of a URL names a system (a vendor's domain, a
government host, a path on it), so that two rows at one address read as one system.
"""

from __future__ import annotations

import re

_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/?#]*@)?([a-z0-9.-]+)")
# Second-level domains of institutions, each of which runs many systems under its name.
INSTITUTIONAL_SUFFIXES = frozenset(("go.id", "ac.id", "sch.id", "mil.id", "desa.id", "polri.go.id"))
# First path segments that name a page of a site, not a system run on it.
_PAGES = "index.php index.html index.htm index home login admin web portal app apps public id en"
_PAGE_SEGMENTS = frozenset(_PAGES.split())


def url_keys(url: str | None, paths: bool = False) -> list[str]:
    """The host of a URL and its parent domains (without ``www``), most specific first;
    public suffixes such as ``go.id`` are left out, and so are the parents of institutional
    hosts (``go.id``, ``ac.id``, ``sch.id``…). With ``paths``, an institutional host's key
    carries the URL's first path segment where that names a system: a city's data portal
    runs "/bdt" and "/rtmy", two systems on one host.

    >>> url_keys("http://dangri.simade.co.id/login")
    ['dangri.simade.co.id', 'simade.co.id']
    >>> url_keys("pelayanan.denpasarkota.go.id/portal")
    ['pelayanan.denpasarkota.go.id']
    >>> url_keys("https://denpasarkota.go.id")
    ['denpasarkota.go.id']
    >>> url_keys("192.168.1.5"), url_keys(None)
    ([], [])
    >>> url_keys("jendela.denpasarkota.go.id/bdt", paths=True)
    ['jendela.denpasarkota.go.id/bdt']
    >>> url_keys("http://jendela.denpasarkota.go.id/index.php", paths=True)
    ['jendela.denpasarkota.go.id']
    """
    if not url:
        return []
    match = _HOST.match(url.strip().lower())
    host = match.group(1) if match else ""
    if not host or "." not in host or host.replace(".", "").isdigit():
        return []
    labels = [label for label in host.split(".") if label]
    if labels and labels[0] == "www":
        labels = labels[1:]
    # Two-level public suffixes (go.id, co.id, ac.id, or.id…) take three labels to name a site.
    minimum = 3 if len(labels) >= 3 and len(labels[-2]) <= 3 else 2
    if ".".join(labels[-2:]) in INSTITUTIONAL_SUFFIXES and len(labels) > minimum:
        # A government body's or a school's domain (kemdikbud.go.id, denpasarkota.go.id)
        # runs many unrelated systems: only the full host names one. A vendor's domain
        # (simade.co.id) is its product, whatever the subdomain.
        host = ".".join(labels)
        if paths and match:
            segment = url.strip().lower()[match.end() :].lstrip(":0123456789").strip("/")
            segment = re.split(r"[/?#]", segment, maxsplit=1)[0]
            if segment and segment not in _PAGE_SEGMENTS:
                return [f"{host}/{segment}"]
        return [host]
    return [".".join(labels[i:]) for i in range(0, len(labels) - minimum + 1)]
