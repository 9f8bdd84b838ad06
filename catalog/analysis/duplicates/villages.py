"""The administration of desa and kelurahan: a job that names and descriptions state
rather than share words for. A kelurahan's "SIMADE (Sistem Informasi Kelurahan Sumerta)"
and the city's "e-Sewaka Dharma", described as running "administrasi Desa/Kelurahan"
across the city, do one job (primer §4, Denpasar).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from catalog.analysis.text import split_name
from catalog.analysis.vocabulary import (
    BOILERPLATE,
    FUNCTION_WORDS,
    VILLAGE_JOB_PHRASES,
    VILLAGE_KINDS,
    VILLAGE_PROGRAMMES,
)


def stated_villages(
    names: Iterable[str], texts: Iterable[str | None], words: Callable[[str], list[str]]
) -> frozenset[str]:
    """The kinds of village unit (desa, kelurahan) an application says it administers:
    in a name that is only "(Sistem Informasi / e-) Kelurahan" and the village's proper
    name, or in a description that names the job ("… administrasi Desa/Kelurahan …",
    "Sistem Informasi Administrasi Desa dan Kelurahan"). ``words`` reads a string into
    lower-case words (the matcher's cached reader).

    >>> from catalog.analysis.text import words
    >>> sorted(stated_villages(["SIMADE (Sistem Informasi Kelurahan Sumerta)"], [], words))
    ['kelurahan']
    >>> text = "Manajemen data administrasi Desa/Kelurahan"
    >>> sorted(stated_villages(["e-Sewaka Dharma"], [text], words))
    ['desa', 'kelurahan']
    >>> sorted(stated_villages(["Sistem Informasi Desa Wisata"], [], words))
    []
    """
    found: set[str] = set()
    for name in names:
        for written in (name, *split_name(name).expansions):
            ws = words(written)
            first = next((i for i, w in enumerate(ws) if w in VILLAGE_KINDS), None)
            if first is not None and all(w in BOILERPLATE for w in ws[:first]):
                found.update(_kinds(ws[first:]))
    for text in texts:
        ws = words(text or "")
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
