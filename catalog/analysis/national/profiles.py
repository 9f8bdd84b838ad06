"""Profiles: the words of each national system (its names, acronyms and texts) and of
each local application (its signature, with the instansi's place words taken out), the
rarity of words among local applications, extension links and the kinds of data each
side keeps.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from catalog.analysis.national.reading import _name_strings, _Reader, _texts, _unit_tokens
from catalog.analysis.national.tuning import _EXTENSION_LINKS, APPLICATION
from catalog.analysis.snapshot import Item, NodeKey, Snapshot
from catalog.analysis.text import acronym_key

# Name words, acronyms, text words, function words: what a score depends on (with the
# data produced).
_Signature = tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]
_EMPTY: frozenset[str] = frozenset()


@dataclass(slots=True)
class NationalProfile:
    item: Item
    names: list[tuple[str, frozenset[str]]]  # (the name as written, its words)
    identity: frozenset[str]  # words of its own name and acronym ("siasn", "srikandi")
    acronyms: frozenset[str]
    text_words: frozenset[str]
    name_words: frozenset[str]
    all_words: frozenset[str]  # text and name words: what can explain a local text


class OverlapProfiles:
    """The first layer of :class:`~catalog.analysis.national.finder.OverlapFinder`: the
    words of national systems and local applications, and their weights. The state it
    reads is built by ``OverlapFinder.__init__``."""

    snapshot: Snapshot
    read: _Reader
    profiles: list[NationalProfile]
    idf: dict[str, float]
    # (local application, its words before place words are taken out)
    raw: list[tuple[Item, _Signature]]
    _national_sets: list[Item]
    # Caches: place words per instansi, unit names per instansi, words per unit name, and
    # the words of each distinct way of writing a name or a text.
    _places: dict[int, frozenset[str]]
    _units: dict[int, set[tuple[str, str | None]]] | None
    _unit_cache: dict[tuple[str, str | None, bool], frozenset[str]]
    _raw_names: dict[tuple[Any, ...], tuple[frozenset[str], frozenset[str]]]
    _raw_texts: dict[tuple[Any, ...], tuple[frozenset[str], frozenset[str]]]

    def place_words(self, instansi_id: int) -> frozenset[str]:
        """Stemmed words naming the instansi's place and its units ("Surabaya",
        "Dinkes", kelurahan names): noise in an application's name or text.

        The words of :class:`~catalog.analysis.text.PlaceWords`, read unit by unit: a
        national catalogue repeats unit names ("Dinas Kesehatan" / "Dinkes") in every
        instansi, and each distinct one is read once."""
        found = self._places.get(instansi_id)
        if found is None:
            if self._units is None:
                self._units = defaultdict(set)
                for unit in self.snapshot.units.values():
                    self._units[unit.instansi_id].add((unit.name, unit.short_name))
            place = self.snapshot.places.get(instansi_id)
            ws: set[str] = set(self._unit_words(place.name, None, own=True)) if place else set()
            for name, short in self._units.get(instansi_id, ()):
                ws.update(self._unit_words(name, short))
            found = self._places[instansi_id] = frozenset(ws)
        return found

    def _unit_words(self, name: str, short: str | None, own: bool = False) -> frozenset[str]:
        key = (name, short, own)
        found = self._unit_cache.get(key)
        if found is None:
            stem = self.read.stem
            found = self._unit_cache[key] = frozenset(
                [stem(w) for w in _unit_tokens(name, short, own)]
            )
        return found

    def _national(self, app: Item) -> NationalProfile:
        read = self.read
        names = []
        acronyms: set[str] = set()
        for name in _name_strings(app):
            ws = read.name(name)
            if ws:
                names.append((name, ws))
            acronyms.update(read.acronyms(name))
        own = acronym_key(app.attrs.get("acronym"))
        if own:
            acronyms.add(own)
        identity = read.name(app.name) | ({own} if own else _EMPTY)
        text = frozenset().union(*(read.text(t) for t in _texts(app)))
        name_words = frozenset().union(*(ws for _, ws in names)) if names else _EMPTY
        return NationalProfile(
            item=app,
            names=names,
            identity=identity,
            acronyms=frozenset(a for a in acronyms if a),
            text_words=text,
            name_words=name_words,
            all_words=text | name_words,
        )

    def _raw(self, app: Item) -> _Signature:
        """Name words, acronyms, text words and function words of an application, before
        its place's words are taken out (shared by every application written the same
        way)."""
        attrs = app.attrs
        aliases = attrs.get("aliases")
        given = attrs.get("acronym")
        key = (app.name, tuple(aliases), given) if aliases else (app.name, given)
        names = self._raw_names.get(key)
        if names is None:
            read = self.read
            name: frozenset[str] = _EMPTY
            acronyms: set[str] = set()
            for n in _name_strings(app):
                name = name | read.name(n)
                acronyms.update(read.acronyms(n))
            own = acronym_key(given)
            if own:
                acronyms.add(own)
                name = name | {own}
            names = self._raw_names[key] = (name, frozenset(acronyms))
        function = attrs.get("function")
        key = (app.description, function, attrs.get("output"))
        texts = self._raw_texts.get(key)
        if texts is None:
            texts = self._raw_texts[key] = (
                frozenset().union(*(self.read.text(t) for t in key if t)),
                self.read.text(function) if function else _EMPTY,
            )
        return names[0], names[1], texts[0], texts[1]

    def signature(self, app: Item, raw: _Signature | None = None) -> _Signature:
        name, acronyms, text, function = raw or self._raw(app)
        place = self.place_words(app.instansi_id)
        if not place.isdisjoint(name):
            name = name - place
        if not place.isdisjoint(text):
            text = text - place
        if not place.isdisjoint(function):
            function = function - place
        return (name, acronyms, text, function)

    def _weights(self) -> dict[str, float]:
        """Rarity of each word among local applications (a word counts once per
        application, in its name or its text)."""
        df: dict[str, int] = defaultdict(int)
        # Applications written the same way share their word sets: count each pair once.
        pairs = Counter((raw[0], raw[2]) for _, raw in self.raw)
        for (name, text), count in pairs.items():
            for w in name | text if text else name:
                df[w] += count
        n = max(len(self.raw), 1)
        return {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}

    def _links(self) -> set[tuple[int, NodeKey]]:
        """(local application id, national key) pairs linked by an extension relation
        (a channel or a part of the national system). An integration is no such link: a
        local SIMPEG that syncs with SIASN still keeps the personnel records itself."""
        national = {p.item.key for p in self.profiles}
        out: set[tuple[int, NodeKey]] = set()
        for link in self.snapshot.links:
            if link.type not in _EXTENSION_LINKS:
                continue
            if link.target in national and link.source[0] == APPLICATION:
                out.add((link.source[1], link.target))
            elif link.source in national and link.target[0] == APPLICATION:
                out.add((link.target[1], link.source))
        return out

    def _data_codes(self) -> tuple[dict[NodeKey, frozenset[str]], dict[int, frozenset[str]]]:
        """Reference (RAD) codes of the data sets each national system is authoritative
        for, and of those each local application produces: a local application keeping
        the national system's kind of data is doing its job."""
        national_ids = {p.item.id for p in self.profiles}
        nat: dict[NodeKey, set[str]] = defaultdict(set)
        local: dict[int, set[str]] = defaultdict(set)
        items = self.snapshot.items
        for item in self._national_sets:
            owner = item.attrs.get("authoritative_application_id")
            if owner in national_ids:
                nat[(APPLICATION, owner)].add(item.reference_code)
        for link in self.snapshot.links:
            if link.type == "produces" and link.source[0] == APPLICATION:
                data = items.get(link.target)
                if data is not None and data.reference_code:
                    local[link.source[1]].add(data.reference_code)
        return (
            {k: frozenset(v) for k, v in nat.items()},
            {k: frozenset(v) for k, v in local.items()},
        )
