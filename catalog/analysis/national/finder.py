"""Scores: each local application against the national systems sharing a name word, an
acronym or a rare text word with it, look-alikes and bridges held apart; the best match
of each application at or above the threshold is an overlap.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from catalog.analysis.collector import collector_paused
from catalog.analysis.national.evidence import Overlap
from catalog.analysis.national.profiles import _EMPTY, OverlapProfiles, _Signature
from catalog.analysis.national.reading import _name_strings, _Reader, _texts
from catalog.analysis.national.tuning import (
    _MOBILE,
    APPLICATION,
    CONNECTOR_WORDS,
    DATA_MATCH,
    DATA_MISMATCH,
    FUNCTION_WEIGHT,
    IDENTITY_MIN_IDF,
    NO_TEXT,
    NO_TEXT_ACRONYM,
    OVERLAP_ROLES,
    TEXT_BLOCK_MIN_IDF,
    TEXT_CONFLICT,
    TEXT_FLOOR,
    TEXT_FULL,
    TEXT_ONLY_WORDS,
    TEXT_STRONG,
    THRESHOLD,
)
from catalog.analysis.national_use import records_for
from catalog.analysis.snapshot import Item, Snapshot
from catalog.analysis.text import read_words
from catalog.analysis.vocabulary import CHANNEL_WORDS


@dataclass(frozen=True, slots=True)
class _Match:
    """What comparing a local application's words with one national system gives,
    independent of which application carries those words (cached per distinct set)."""

    national: int
    score: float
    explained: float | None
    matched_name: str | None
    shared_words: frozenset[str]
    shared_text: frozenset[str]
    acronym: str | None


class OverlapFinder(OverlapProfiles):
    """National profiles, the local applications' words, and the scores between them.

    A national catalogue repeats the same names and texts in hundreds of instansi, so
    each distinct set of words is scored once against its candidates (:meth:`matches`).
    The profiles are read by the layer below (:mod:`~catalog.analysis.national.profiles`);
    this class builds them and scores.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        # One pass over the items (a national context holds thousands): the national
        # systems, the local applications and the national data sets.
        nationals: list[Item] = []
        locals_: list[Item] = []
        self._national_sets: list[Item] = []
        scope = snapshot.scope
        # A row that is the national system itself, in use, is reported by
        # national.unlinked_use, not as a local copy of it.
        used = records_for(snapshot)
        for a in snapshot.items.values():
            kind = a.kind
            if kind == APPLICATION:
                if a.retired:
                    continue
                role = a.attrs.get("national_role")
                if role in OVERLAP_ROLES:
                    nationals.append(a)
                elif role in (None, "none") and a.instansi_id in scope and a.id not in used:
                    locals_.append(a)
            elif kind == "dataset" and a.instansi_id not in scope and a.reference_code:
                self._national_sets.append(a)
        self.nationals = nationals
        self.locals = locals_
        names: set[str] = set()
        texts: set[str] = set()
        for app in (*nationals, *locals_):
            names.update(_name_strings(app))
            texts.update(_texts(app))
        self.read = _Reader(names, texts)
        self._places: dict[int, frozenset[str]] = {}
        self._units: dict[int, set[tuple[str, str | None]]] | None = None
        self._unit_cache: dict[tuple[str, str | None, bool], frozenset[str]] = {}
        self.profiles = [self._national(n) for n in nationals]
        self.linked = self._links()
        self.national_data, self.local_data = self._data_codes()
        self._raw_names: dict[tuple[Any, ...], tuple[frozenset[str], frozenset[str]]] = {}
        self._raw_texts: dict[tuple[Any, ...], tuple[frozenset[str], frozenset[str]]] = {}
        # Words as written, place names included: rarity is counted on these (a place
        # name is rare, but it is taken out of a name before any weight is read).
        self.raw = [(a, self._raw(a)) for a in locals_]
        self.idf = self._weights()
        self._top = math.log(len(locals_) + 2)
        self._weights_of: dict[frozenset[str], float] = {}
        self._matches: dict[_Signature, list[_Match]] = {}
        self._name_candidates: dict[tuple[frozenset[str], frozenset[str]], set[int]] = {}
        self._text_candidates: dict[frozenset[str], set[int]] = {}
        self._name_parts: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self._text_parts: dict[tuple[Any, ...], tuple[float | None, frozenset[str]]] = {}
        # A word only one application uses is rare, however small the catalogue.
        rarest = math.log((len(locals_) + 1) / 1.5)
        distinct = min(IDENTITY_MIN_IDF, rarest)
        for p in self.profiles:
            # Only distinctive words name a system ("srikandi", "siasn"; not "data").
            p.identity = frozenset(w for w in p.identity if self.idf.get(w, distinct) >= distinct)
        rare = min(TEXT_BLOCK_MIN_IDF, rarest)
        self.index: dict[str, set[int]] = defaultdict(set)
        for i, p in enumerate(self.profiles):
            for _, ws in p.names:
                for w in ws:
                    self.index["n:" + w].add(i)
            for a in p.acronyms:
                self.index["n:" + a].add(i)
            for w in p.text_words:
                if self.idf.get(w, rare) >= rare:
                    self.index["t:" + w].add(i)
        self._channel_links: set[int] | None = None
        self._by_owner: dict[tuple[int, int | None], list[Item]] | None = None

    def _weight(self, ws: frozenset[str]) -> float:
        found = self._weights_of.get(ws)
        if found is None:
            idf = self.idf
            top = self._top  # a word no local application uses is as rare as can be
            found = self._weights_of[ws] = sum([idf.get(w, top) for w in ws])
        return found

    def _name_part(
        self, name: frozenset[str], acronyms: frozenset[str], i: int
    ) -> tuple[float, str | None, frozenset[str], bool, str | None]:
        """Name value, matched national name, shared words, whether only acronyms are
        shared, the shared acronym: one local name against one national system."""
        key = (name, acronyms, i)
        found = self._name_parts.get(key)
        if found is not None:
            return found
        p = self.profiles[i]
        # The local acronym says nothing the spelled-out name does not, unless it is the
        # national system's own ("SIMPEG (Sistem Informasi Manajemen Kepegawaian)").
        own = (acronyms - p.acronyms - p.name_words) & name
        if own and name - own:
            name = name - own
        best_cover = 0.0
        matched = None
        for label, ws in p.names:
            common = name & ws
            if not common:
                continue
            # How much of one national name the local name covers…
            cover = self._weight(common) / self._weight(ws)
            if cover > best_cover:
                best_cover, matched = cover, label
        shared_words = name & p.name_words
        # … and how much of the local name the national names explain: "Persuratan
        # Elektronik Dinkes" is all SRIKANDI's; "e-Usul Kepegawaian" only partly SIASN's.
        name_value = (
            best_cover * self._weight(shared_words) / self._weight(name) if shared_words else 0.0
        )
        acronym_only = bool(shared_words) and shared_words <= (acronyms | p.acronyms)
        common_acronyms = acronyms & p.acronyms
        found = self._name_parts[key] = (
            name_value,
            matched,
            shared_words,
            acronym_only,
            min(common_acronyms) if common_acronyms else None,
        )
        return found

    def _text_part(
        self, text: frozenset[str], function: frozenset[str], i: int
    ) -> tuple[float | None, frozenset[str]]:
        """How much of the local text the national system explains, and the shared words."""
        if not text:
            return None, _EMPTY
        key = (text, function, i)
        found = self._text_parts.get(key)
        if found is not None:
            return found
        words_ = self.profiles[i].all_words
        shared = text & words_
        explained = self._weight(shared) / self._weight(text)
        if function and FUNCTION_WEIGHT:
            # What the application is *for* weighs more than how it is described: a TPP
            # calculator's description talks of employee performance too.
            purpose = self._weight(function & words_) / self._weight(function)
            explained = (1 - FUNCTION_WEIGHT) * explained + FUNCTION_WEIGHT * purpose
        found = self._text_parts[key] = (explained, shared)
        return found

    def _compare(self, sig: _Signature, i: int) -> _Match | None:
        name, acronyms, text, function = sig
        name_value, matched, shared_words, acronym_only, acronym = self._name_part(
            name, acronyms, i
        )
        explained, shared_text = self._text_part(text, function, i)
        if explained is None:
            # No text: the name alone, and an acronym alone is too little.
            score = name_value * (NO_TEXT_ACRONYM if acronym_only else NO_TEXT)
        else:
            agree = min(1.0, max(TEXT_FLOOR, (explained - TEXT_CONFLICT) / TEXT_FULL))
            score = name_value * agree
            if len(shared_text) >= TEXT_ONLY_WORDS and explained >= TEXT_STRONG:
                score = max(score, explained)
        if score <= 0.0:
            return None
        return _Match(
            national=i,
            score=min(1.0, score),
            explained=explained,
            matched_name=matched,
            shared_words=shared_words,
            shared_text=shared_text,
            acronym=acronym,
        )

    def candidates(self, sig: _Signature) -> set[int]:
        """National systems sharing a name word, an acronym or a rare text word."""
        name, acronyms, text, _ = sig
        index = self.index
        by_name = self._name_candidates.get((name, acronyms))
        if by_name is None:
            by_name = set()
            for w in name | acronyms:
                hit = index.get("n:" + w)
                if hit:
                    by_name |= hit
            self._name_candidates[(name, acronyms)] = by_name
        by_text = self._text_candidates.get(text)
        if by_text is None:
            by_text = set()
            for w in text:
                hit = index.get("t:" + w)
                if hit:
                    by_text |= hit
            self._text_candidates[text] = by_text
        if not by_text:
            return by_name
        return by_name | by_text if by_name else by_text

    def matches(self, sig: _Signature) -> list[_Match]:
        """Every national system these words match (before the data produced is
        weighed)."""
        found = self._matches.get(sig)
        if found is None:
            found = [m for i in sorted(self.candidates(sig)) if (m := self._compare(sig, i))]
            self._matches[sig] = found
        return found

    def _data_factor(self, app: Item, m: _Match) -> tuple[float, frozenset[str]]:
        produced = self.local_data.get(app.id)
        if not produced:
            return 1.0, _EMPTY
        shared = produced & self.national_data.get(self.profiles[m.national].item.key, _EMPTY)
        return (DATA_MATCH if shared else DATA_MISMATCH), shared

    def _bridge(self, app: Item, m: _Match) -> bool:
        """Whether the application is a bridge to the national system rather than a copy:
        its name matches only the system's own name, and it is registered as its
        extension or calls itself a connector ("Bridging SRIKANDI")."""
        p = self.profiles[m.national]
        if not m.shared_words or not m.shared_words <= p.identity:
            return False
        return (app.id, p.item.key) in self.linked or not CONNECTOR_WORDS.isdisjoint(
            read_words(app.name)
        )

    def best(self, app: Item, sig: _Signature | None = None) -> Overlap | None:
        """The national system an application overlaps most, scored (any score)."""
        best: tuple[tuple[float, float], _Match, float, frozenset[str]] | None = None
        for m in self.matches(sig or self.signature(app)):
            if self._bridge(app, m):
                continue
            factor, shared = self._data_factor(app, m)
            score = min(1.0, m.score * factor)
            # Two national systems may share a name ("e-Kinerja"): the text decides.
            rank = (round(score, 6), m.explained or 0.0)
            if best is None or rank > best[0]:
                best = (rank, m, score, shared)
        return self._overlap(app, best[1], best[2], best[3]) if best else None

    def _overlap(self, app: Item, m: _Match, score: float, data: frozenset[str]) -> Overlap:
        national = self.profiles[m.national].item
        code = app.reference_code
        idf = self.idf
        return Overlap(
            local=app,
            national=national,
            score=score,
            matched_name=m.matched_name,
            shared_name_words=tuple(sorted(m.shared_words)),
            acronym=m.acronym,
            shared_text_words=tuple(sorted(m.shared_text, key=lambda w: (-idf.get(w, 0.0), w))),
            text_explained=m.explained,
            reference_code=code if code and code == national.reference_code else None,
            data_codes=tuple(sorted(data)),
        )

    def overlaps(self, threshold: float = THRESHOLD) -> list[Overlap]:
        out: list[Overlap] = []
        ceiling = max(DATA_MATCH, 1.0)
        for app, raw in self.raw:
            # Taking place words out only removes words: no candidate before, none after.
            if not self.candidates(raw):
                continue
            sig = self.signature(app, raw)
            matches = self.matches(sig)
            if not matches or max(m.score for m in matches) * ceiling < threshold:
                continue
            found = self.best(app, sig)
            if found is not None and found.score >= threshold and not self.is_channel(app):
                out.append(found)
        out.sort(key=lambda o: (o.local.instansi_id, o.local.code))
        return out

    def is_channel(self, app: Item) -> bool:
        """Whether the application is a channel of another one (its mobile app): the
        product is judged, not each of its channels."""
        if self._channel_links is None:
            self._channel_links = {
                link.source[1]
                for link in self.snapshot.links
                if link.type == "channel_of" and link.source[0] == APPLICATION
            }
        if app.id in self._channel_links:
            return True
        platform = (app.attrs.get("platform") or "").lower()
        if platform not in _MOBILE and CHANNEL_WORDS.isdisjoint(self.read.tokens(app.name)):
            return False
        core = self.signature(app)[0]
        if not core:
            return False
        if self._by_owner is None:
            self._by_owner = defaultdict(list)
            for other in self.locals:
                self._by_owner[(other.instansi_id, other.owner_id)].append(other)
        for other in self._by_owner[(app.instansi_id, app.owner_id)]:
            if other is app or other.id in self._channel_links:
                continue
            theirs = self.signature(other)[0]
            # One name is the other's plus channel words ("SIPADU" / "SIPADU Mobile"), or
            # spelled out ("SIPADU (Sistem Informasi Pengaduan Terpadu)").
            if (
                theirs
                and (core >= theirs or core <= theirs)
                and (other.attrs.get("platform") or "") not in _MOBILE
            ):
                return True
        return False


def find_overlaps(snapshot: Snapshot, threshold: float = THRESHOLD) -> list[Overlap]:
    """Local applications doing the job of a national Aplikasi Umum or mandatory system,
    each with the national system it matches best.

    >>> from catalog.analysis.snapshot import Place
    >>> srikandi = Item("application", 1, "SRIKANDI", "SRIKANDI", 1,
    ...     description="Aplikasi Umum kearsipan dinamis: naskah dinas, persuratan, disposisi",
    ...     attrs={"national_role": "aplikasi_umum", "acronym": "SRIKANDI",
    ...            "aliases": ["e-Office", "Tata Naskah Dinas Elektronik", "e-Surat"]})
    >>> local = Item("application", 2, "APL-1", "e-Office Kota Mataram", 7,
    ...     description="Surat masuk, surat keluar dan disposisi elektronik")
    >>> other = Item("application", 3, "APL-2", "SIM Retribusi Pasar", 7,
    ...     description="Penagihan retribusi pedagang pasar")
    >>> s = Snapshot.build([srikandi, local, other], places=[
    ...     Place(1, "ANRI", "Arsip Nasional Republik Indonesia", "pusat"),
    ...     Place(7, "52.71", "Kota Mataram", "kota")])
    >>> [(o.local.code, o.national.code) for o in find_overlaps(s)]
    [('APL-1', 'SRIKANDI')]
    """
    with collector_paused():
        return OverlapFinder(snapshot).overlaps(threshold)
