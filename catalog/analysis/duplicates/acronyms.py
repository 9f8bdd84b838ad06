"""Acronyms: whether an application's acronym means what its own name or the catalogue
says ("SIKEL" is Sistem Informasi Kelurahan), and whether it reads off another name
("SIMPEG" off "Sistem Informasi Manajemen Kepegawaian").
"""

from __future__ import annotations

from collections.abc import Callable

from catalog.analysis.duplicates.profiles import Profile, ProfileReader
from catalog.analysis.text import acronym_fits
from catalog.analysis.vocabulary import BOILERPLATE


class AcronymReader(ProfileReader):
    """The acronym layer of :class:`~catalog.analysis.duplicates.matcher.Matcher`."""

    # Built by Matcher._build: (instansi, acronym) → the name words spelling it out, and
    # the caches of the costly readings.
    _spelled_out: dict[tuple[int, str], frozenset[str]]
    _fit_cache: dict[tuple[str, tuple[str, ...]], bool]
    _explained_cache: dict[int, bool]

    def _explained(self, p: Profile) -> bool:
        """Whether an application's own name spells out its acronym ("SIKEL (Sistem
        Informasi Kelurahan)", or "Sistem Informasi Kelurahan" with the acronym SIKEL):
        such an acronym means that, and is not read off another name ("Sistem Informasi
        Keluarga")."""
        if p.expansions:
            return True
        found = self._explained_cache.get(p.index) if p.index >= 0 else None
        if found is None:
            found = self._fits(p, p, own=True) is not None
            if p.index >= 0:
                self._explained_cache[p.index] = found
        return found

    def _readable(self, p: Profile) -> bool:
        """Whether an application's acronym may be read off another name as what it stands
        for: it has one, and neither its own name nor another application of its instansi
        spells it out (the catalogue already says what "SIKEL" stands for: not "Sistem
        Informasi Keluarga")."""
        if not p.acronyms or self._explained(p):
            return False
        inst = p.item.instansi_id
        return not any((inst, a) in self._spelled_out for a in p.acronyms)

    def _agrees(self, a: Profile, b: Profile) -> bool:
        """Whether ``b``'s name may spell out ``a``'s acronym: the acronym means nothing
        yet (:meth:`_readable`), or ``b``'s name shares a word with what the catalogue
        says it means ("SIANTRI (Sistem Informasi Antrian)" read off "Sistem Antrian
        Online", not "SIKEL (Sistem Informasi Kelurahan)" off "Sistem Informasi
        Keluarga")."""
        if self._readable(a):
            return True
        meaning = a.name_words - a.acronyms if self._explained(a) else frozenset()
        inst = a.item.instansi_id
        for acronym in a.acronyms:
            meaning = meaning | self._spelled_out.get((inst, acronym), frozenset())
        return not meaning.isdisjoint(b.name_words)

    def _fits(self, a: Profile, b: Profile, *, own: bool = False) -> str | None:
        """An acronym of ``a`` that reads off one of ``b``'s expansions or its name."""
        if not a.acronyms or (not own and not self._agrees(a, b)):
            return None
        texts = b.expansions or (tuple(self._words(b.item.name)),)
        for acronym in sorted(a.acronyms):
            if len(acronym) < 4:
                continue
            for expansion in texts:
                if len(expansion) < 2:
                    continue
                key = (acronym, expansion)
                fit = self._fit_cache.get(key)
                if fit is None:
                    fit = acronym_fits(acronym, list(expansion), self.stemmer)
                    self._fit_cache[key] = fit
                if fit:
                    return f"{acronym.upper()} = {' '.join(expansion)}"
        return None


def _spells(a: Profile, b: Profile) -> bool:
    """Whether an acronym of one may be spelled out by the other's name (a blocking key
    in common, see :meth:`Matcher._spell_keys`)."""
    return not (
        a.spell_acronym.isdisjoint(b.spell_words) and b.spell_acronym.isdisjoint(a.spell_words)
    )


def _expansions_disagree(
    a: Profile, b: Profile, shared: frozenset[str], stem: Callable[[str], str]
) -> bool:
    """Both spell out the shared acronym, and the spelled-out words have nothing in
    common: the same letters for two different things. Read off the expansions, not the
    names: an owner's name takes its words out of a name ("Perencanaan" of the Badan
    Perencanaan…), not out of what the letters stand for ("SIPD (Sistem Informasi
    Perencanaan Daerah)" and "SIPD (Sistem Informasi Pembangunan Daerah)" of one Bappeda)."""
    if not a.expansions or not b.expansions:
        return False
    mine, theirs = (
        {stem(w) for words in p.expansions for w in words if w not in BOILERPLATE} - shared
        for p in (a, b)
    )
    return bool(mine) and bool(theirs) and not (mine & theirs)
