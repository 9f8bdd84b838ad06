"""Profiles: what the duplicate matcher reads off each application (the words of its
names and texts, its acronyms, what the catalogue links it to) and how much each feature
weighs (its rarity in the catalogue).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from catalog.analysis.addresses import url_keys
from catalog.analysis.duplicates.model import (
    HOST_COMMON,
    HOST_COMMON_SHARE,
    MIN_SPELLED,
    TEXT_BLOCK_MIN_IDF,
    TEXT_BLOCK_WORDS,
)
from catalog.analysis.duplicates.villages import stated_villages
from catalog.analysis.snapshot import Item, NodeKey, Snapshot, Unit
from catalog.analysis.text import (
    PlaceWords,
    Stemmer,
    acronym_key,
    informative,
    read_content_words,
    read_name,
    read_words,
)
from catalog.analysis.vocabulary import (
    CHANNEL_WORDS,
    FUNCTION_WORDS,
    PLACE_UNIT_TYPES,
    SITE_WORDS,
)

APPLICATION = "application"

# What one name string says: its informative words, its acronyms, the words of each
# expansion of an acronym.
_NameInfo = tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]


@dataclass(slots=True)
class Profile:
    """What the matcher knows about one application."""

    item: Item
    index: int
    name_words: frozenset[str]
    acronyms: frozenset[str]
    expansions: tuple[tuple[str, ...], ...]
    text_words: frozenset[str]
    links: dict[str, frozenset[str]]
    owner_type: str | None
    channel_words: bool
    # The name says only "the website of" its unit (see SITE_WORDS): "Website Dinkes",
    # "Web Kecamatan Sumerta".
    site: bool = False
    # The kinds of village unit ("desa", "kelurahan") whose administration it says it
    # runs (see villages.stated_villages).
    villages: frozenset[str] = frozenset()
    name_weight: float = 0.0
    text_weight: float = 0.0
    link_weight: dict[str, float] = field(default_factory=dict)
    rare_text: tuple[str, ...] = ()
    # Letter keys proposing acronym ↔ spelled-out name pairs: those of its acronyms, and
    # those of its name's words (see Matcher._spell_keys).
    spell_acronym: frozenset[str] = frozenset()
    spell_words: frozenset[str] = frozenset()

    @property
    def key(self) -> NodeKey:
        return self.item.key


class ProfileReader:
    """The first layer of :class:`~catalog.analysis.duplicates.matcher.Matcher`: reading
    names and texts into profiles, and weighing their features. The state it reads is
    built by ``Matcher._build``; the layers above add acronyms, scores, products,
    candidates and clusters, each using only the ones below it."""

    snapshot: Snapshot
    stemmer: Stemmer
    profiles: list[Profile]
    idf: dict[str, float]
    capabilities: frozenset[str]  # CAPABILITY_WORDS, stemmed
    unit_types: frozenset[str]  # PLACE_UNIT_TYPES, stemmed
    site_words: frozenset[str]  # SITE_WORDS, stemmed
    # Each distinct name and text read once (see Matcher._build).
    _names: dict[str, _NameInfo]
    _texts: dict[str, tuple[str, ...]]
    _name_sets: dict[str, frozenset[str]]
    _text_sets: dict[str, frozenset[str]]
    _place_stems: dict[int, frozenset[str]]
    _links: dict[int, dict[str, frozenset[str]]]

    @staticmethod
    def _words(text: str) -> list[str]:
        return read_words(text)

    @staticmethod
    def _name_strings(app: Item) -> Iterator[str]:
        if app.name:
            yield app.name
        yield from (a for a in app.get("aliases") or () if a)
        if app.get("acronym"):
            yield app.get("acronym")

    def _read_name(self, name: str) -> _NameInfo:
        """Informative words, acronyms and expansions (as words) of one name."""
        parts = read_name(name)
        expansions = tuple(tuple(read_words(e)) for e in parts.expansions)
        return tuple(informative(self._words(name))), parts.acronyms, expansions

    def _profile(self, index: int, app: Item) -> Profile:
        name_words: frozenset[str] = frozenset()
        acronyms: set[str] = set()
        expansions: list[tuple[str, ...]] = []
        for name in self._name_strings(app):
            if name not in self._names:  # a draft's name, seen for the first time
                self._names[name] = info = self._read_name(name)
                self._name_sets[name] = frozenset(self.stemmer(w) for w in info[0])
            _, found_acronyms, found_expansions = self._names[name]
            acronyms.update(found_acronyms)
            expansions.extend(found_expansions)
            name_words = name_words | self._name_sets[name]
        given = app.get("acronym")
        if given:
            key = acronym_key(given)
            if key:
                acronyms.add(key)
        text_words: frozenset[str] = frozenset()
        for text in (app.description, app.get("function"), app.get("output")):
            if not text:
                continue
            found = self._text_sets.get(text)
            if found is None:
                found = self._text_sets[text] = frozenset(
                    self.stemmer(w) for w in read_content_words(text)
                )
            text_words = text_words | found
        place = self._place_stems.get(app.instansi_id)
        if place:
            if not place.isdisjoint(name_words):
                name_words = name_words - place
            if not place.isdisjoint(text_words):
                text_words = text_words - place
        unit = self.snapshot.units.get(app.owner_id) if app.owner_id is not None else None
        owner_type = None
        if unit is not None:
            first = self._words(unit.name)[:1]
            if first and first[0] in PLACE_UNIT_TYPES:
                owner_type = first[0]
            if app.name and len(name_words) > 1:
                name_words = self._without_owner(app.name, name_words, unit.name, unit.short_name)
        links = dict(self._links.get(app.id, {}))
        hosts = [self._host_key(key, place) for key in url_keys(app.get("url"), paths=True)]
        if hosts:
            links["host"] = frozenset(["h:" + h for h in hosts])
        if app.reference_code:
            links["code"] = links.get("code", frozenset()) | {"c:" + app.reference_code}
        spell_acronym, spell_words = self._spell_keys(app, name_words, acronyms, expansions)
        return Profile(
            item=app,
            index=index,
            name_words=name_words,
            acronyms=frozenset(acronyms),
            expansions=tuple(dict.fromkeys(expansions)),
            text_words=text_words,
            links=links,
            owner_type=owner_type,
            channel_words=not CHANNEL_WORDS.isdisjoint(self._words(app.name)),
            site=self._site(app.name, name_words, unit),
            villages=stated_villages(
                self._name_strings(app), (app.description, app.get("function"))
            ),
            spell_acronym=spell_acronym,
            spell_words=spell_words,
        )

    def _site(self, name: str, name_words: frozenset[str], unit: Unit | None) -> bool:
        """Whether a name says only "the website of" a unit: website words (news, official,
        CMS: "Portal Berita Sabang"), and of the rest only unit types ("Web Kecamatan
        Sumerta": the proper name is a place word) or the owner's own name ("Website
        Diskominfo" of Diskominfo)."""
        if SITE_WORDS.isdisjoint(self._words(name)):
            return False
        rest = name_words - self.unit_types - self.site_words
        if rest and unit is not None:
            own = self._words(unit.name) + self._words(unit.short_name or "")
            rest = rest - {self.stemmer(w) for w in own}
        return not rest

    def _host_key(self, key: str, place: frozenset[str] | None) -> str:
        """A host with the path segment that names its system, unless the segment names a
        unit ("hadir.surabaya.go.id/dinkes": the city's attendance system, the Dinkes
        instance of it)."""
        host, _, segment = key.partition("/")
        if segment and place and self.stemmer(segment) in place:
            return host
        return key

    def _without_owner(
        self, name: str, name_words: frozenset[str], unit: str, short: str | None
    ) -> frozenset[str]:
        """A name's words without the owner's name it ends with: "Aplikasi SPPD Biro Umum"
        of the Biro Umum is the SPPD application, as "Aplikasi SPPD Dinkes" is. Only a
        trailing run of the owner's words goes, and never the name's first informative
        word ("Sistem Informasi Kepegawaian" of the Badan Kepegawaian keeps it)."""
        own = set(self._words(unit))
        if short:
            own.update(self._words(short))
        tokens = self._names[name][0]
        end = len(tokens)
        while end > 1 and tokens[end - 1] in own:
            end -= 1
        if end == len(tokens):
            return name_words
        kept = {self.stemmer(w) for w in tokens[:end]}
        dropped = {self.stemmer(w) for w in tokens[end:]} - kept
        return name_words - dropped if not dropped.isdisjoint(name_words) else name_words

    def _spell_keys(
        self,
        app: Item,
        name_words: frozenset[str],
        acronyms: set[str],
        expansions: list[tuple[str, ...]],
    ) -> tuple[frozenset[str], frozenset[str]]:
        """Letter keys that an acronym and a name spelling it out have in common.

        An acronym is made of letter runs taken from the start of the words it stands
        for (:func:`~catalog.analysis.text.acronym_fits`): a run of three letters is the
        start of an informative word ("SIMPEG": "peg" of *pegawai*), and an acronym of
        initials only is the initials of the name ("TNDE": Tata Naskah Dinas
        Elektronik). So an acronym offers its letter triples and its letters, a name the
        first three letters of its informative words (and of their stems) and its
        initials.
        """
        spell_acronym: set[str] = set()
        for acronym in acronyms:
            forms = [acronym]
            if acronym.startswith("e") and len(acronym) > MIN_SPELLED:
                forms.append(acronym[1:])  # e-SAKIP: the "e" stands for no word
            for form in forms:
                if len(form) < MIN_SPELLED or not form.isalpha():
                    continue
                spell_acronym.add("i:" + form)
                spell_acronym.update("t:" + form[i : i + 3] for i in range(len(form) - 2))
        spell_words: set[str] = set()
        raw: list[str] = []
        texts: list[tuple[str, ...]] = list(expansions)
        for name in self._name_strings(app):
            raw.extend(self._names[name][0])
            texts.append(tuple(self._words(name)))
        for w in (*raw, *name_words):
            if len(w) >= 3 and w not in acronyms and w.isalpha():
                spell_words.add("t:" + w[:3])
        for text in texts:
            initials = "".join(w[0] for w in text if w not in FUNCTION_WORDS and w.isalpha())
            if MIN_SPELLED <= len(initials) <= 14:
                spell_words.add("i:" + initials)
        return frozenset(spell_acronym), frozenset(spell_words)

    def _weights(self) -> dict[str, float]:
        """Inverse document frequencies. Words are weighed against the whole catalogue
        (a language-wide rarity); what an application is linked to (services, data
        sets, hosts, codes) against its own instansi, where those live."""
        df: dict[str, int] = defaultdict(int)
        local: dict[tuple[int, str], int] = defaultdict(int)
        size: dict[int, int] = defaultdict(int)
        for p in self.profiles:
            for w in p.name_words | p.text_words:
                df[w] += 1
            inst = p.item.instansi_id
            size[inst] += 1
            for values in p.links.values():
                for v in values:
                    local[(inst, v)] += 1
        n = max(len(self.profiles), 1)
        idf = {k: math.log((n + 1) / (c + 0.5)) for k, c in df.items()}
        # The instansi's own web domain is on most of its URLs: not evidence of anything.
        common = {
            key
            for key, c in local.items()
            if key[1].startswith("h:") and c > max(HOST_COMMON, HOST_COMMON_SHARE * size[key[0]])
        }
        if common:
            for p in self.profiles:
                hosts = p.links.get("host")
                if hosts:
                    kept = frozenset(h for h in hosts if (p.item.instansi_id, h) not in common)
                    if kept:
                        p.links["host"] = kept
                    else:
                        del p.links["host"]
        for (inst, v), c in local.items():
            # Features are per instansi (ids), except hosts and codes, which may repeat
            # across instansi: keep the highest weight any instansi gives them.
            weight = math.log((size[inst] + 1) / (c + 0.5))
            if weight > idf.get(v, -1.0):
                idf[v] = weight
        return idf

    def _weigh(self, p: Profile) -> None:
        idf = self.idf
        p.name_weight = sum([idf.get(w, 0.0) for w in p.name_words])
        p.text_weight = sum([idf.get(w, 0.0) for w in p.text_words])
        p.link_weight = {f: sum([idf.get(v, 0.0) for v in vs]) for f, vs in p.links.items()}
        # Only a text's rarest words propose pairs (a prefix filter): two texts about the
        # same job share those, while common words would pair half the instansi.
        rare = [w for w in p.text_words if idf.get(w, 0.0) >= TEXT_BLOCK_MIN_IDF]
        if len(rare) > TEXT_BLOCK_WORDS:
            rare = sorted(rare, key=lambda w: (-idf.get(w, 0.0), w))[:TEXT_BLOCK_WORDS]
        p.rare_text = tuple(rare)


_LINK_TYPES = frozenset(("delivered_by", "produces", "reads", "channel_of"))


def _links_of(
    snapshot: Snapshot, app_ids: set[int]
) -> tuple[dict[int, dict[str, frozenset[str]]], list[tuple[int, int]]]:
    """Per application id, the services, data sets and codes it is linked to; and the
    ``channel_of`` relations as (channel id, product id)."""
    services: dict[int, set[str]] = defaultdict(set)
    data: dict[int, set[str]] = defaultdict(set)
    codes: dict[int, set[str]] = defaultdict(set)
    channels: list[tuple[int, int]] = []
    items = snapshot.items
    for link in snapshot.links:
        if link.type not in _LINK_TYPES:
            continue
        if link.type == "delivered_by" and link.target[0] == APPLICATION:
            app = link.target[1]
            if app in app_ids:
                # Features carry their family in a prefix ("s:12" is service 12).
                services[app].add(f"s:{link.source[1]}")
                service = items.get(link.source)
                if service is not None and service.reference_code:
                    codes[app].add("c:" + service.reference_code)
        elif link.type in ("produces", "reads") and link.source[0] == APPLICATION:
            if link.source[1] in app_ids:
                data[link.source[1]].add(f"d:{link.target[1]}")
        elif link.type == "channel_of" and link.source[0] == APPLICATION:
            channels.append((link.source[1], link.target[1]))
    out: dict[int, dict[str, frozenset[str]]] = defaultdict(dict)
    for app, values in services.items():
        out[app]["service"] = frozenset(values)
    for app, values in data.items():
        out[app]["data"] = frozenset(values)
    for app, values in codes.items():
        out[app]["code"] = frozenset(values)
    return out, channels


def _place_words(
    snapshot: Snapshot,
    split: Callable[[str], list[str]] = read_words,
    wanted: Iterable[int] | None = None,
) -> dict[int, frozenset[str]]:
    """The place words of each instansi (of ``wanted`` only: a snapshot knows every
    instansi of the country, and reading all of them for each one analysed would make a
    national run quadratic)."""
    places = (
        snapshot.places
        if wanted is None
        else {pid: snapshot.places[pid] for pid in wanted if pid in snapshot.places}
    )
    unit_names: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for unit in snapshot.units.values():
        if unit.instansi_id in places:
            unit_names[unit.instansi_id].append((unit.name, unit.short_name))
    return {
        pid: PlaceWords.build(place.name, unit_names.get(pid, ()), split).words
        for pid, place in places.items()
    }
