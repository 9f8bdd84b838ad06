"""The administration of desa and kelurahan: a job that names and descriptions state
rather than share words for. A kelurahan's "SIMADE (Sistem Informasi Kelurahan Sumerta)"
and the city's "e-Sewaka Dharma", described as running "administrasi Desa/Kelurahan"
across the city, do one job (primer §4, Denpasar).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from catalog.analysis.text import read_name, read_words
from catalog.analysis.vocabulary import (
    BOILERPLATE,
    FUNCTION_WORDS,
    VILLAGE_JOB_PHRASES,
    VILLAGE_KINDS,
    VILLAGE_PROGRAMMES,
)


def stated_villages(names: Iterable[str], texts: Iterable[str | None]) -> frozenset[str]:
    """The kinds of village unit (desa, kelurahan) an application says it administers:
    in a name that is only "(Sistem Informasi / e-) Kelurahan" and the village's proper
    name, or in a description that names the job ("… administrasi Desa/Kelurahan …",
    "Sistem Informasi Administrasi Desa dan Kelurahan").

    >>> sorted(stated_villages(["SIMADE (Sistem Informasi Kelurahan Sumerta)"], []))
    ['kelurahan']
    >>> sorted(stated_villages(["e-Sewaka Dharma"], ["Manajemen administrasi Desa/Kelurahan"]))
    ['desa', 'kelurahan']
    >>> sorted(stated_villages(["Sistem Informasi Desa Wisata"], []))
    []
    """
    found: frozenset[str] = frozenset()
    for name in names:
        found |= _in_name(name)
    for text in texts:
        if text:
            found |= _in_text(text)
    return found


# Each distinct name and text once per process (they repeat across a national run's
# instansi, see text.read_words).
@lru_cache(maxsize=1 << 16)
def _in_name(name: str) -> frozenset[str]:
    found: set[str] = set()
    for written in (name, *read_name(name).expansions):
        ws = read_words(written)
        first = next((i for i, w in enumerate(ws) if w in VILLAGE_KINDS), None)
        if first is not None and all(w in BOILERPLATE for w in ws[:first]):
            found.update(_kinds(ws[first:]))
    return frozenset(found)


@lru_cache(maxsize=1 << 16)
def _in_text(text: str) -> frozenset[str]:
    found: set[str] = set()
    ws = read_words(text)
    for phrase in VILLAGE_JOB_PHRASES:
        n = len(phrase)
        for i in range(len(ws) - n):
            if tuple(ws[i : i + n]) == phrase:
                found.update(_kinds(ws[i + n : i + n + 4]))
    return frozenset(found)


def _kinds(ws: list[str]) -> set[str]:
    """The kinds of village unit the words start with: "desa", "desa dan kelurahan"
    (each kind named), nothing for a programme ("desa wisata")."""
    found: set[str] = set()
    for i, w in enumerate(ws):
        kind = VILLAGE_KINDS.get(w)
        if kind is not None:
            if i + 1 < len(ws) and ws[i + 1] in VILLAGE_PROGRAMMES:
                return set()
            found.add(kind)
        elif w not in FUNCTION_WORDS:
            break
    return found


__all__ = ["stated_villages"]
