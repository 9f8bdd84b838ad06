"""Duplicated applications: the same job built or registered more than once in one instansi.

How it works, in three steps that stay well below quadratic at national scale:

1. **Profiles.** Each application becomes a few sets of features: the words of its name
   (boilerplate, place names, the owner's name at its end and affixes removed; expansions
   of its acronym and its aliases added), its acronyms, the words of its description,
   function and output, and what the catalogue links it to (services it delivers, data
   sets it produces or reads, its reference code and its services' codes, the host of its
   URL). Each feature is weighted by how rare it is in the catalogue (inverse document
   frequency), so "kepegawaian" counts and "data" hardly does.
2. **Candidates.** Within each instansi, an inverted index from features to applications
   proposes the pairs that share something informative; features carried by too many
   applications of the instansi propose nothing. Description words are counted within the
   instansi (catalogue-wide weights are noisy in an instansi of fifty applications), and
   each text proposes pairs by its rarest words that some other text also uses. A lone
   acronym shares no word with the name it stands for ("SIMPEG", "Sistem Informasi
   Manajemen Kepegawaian"): letter keys pair the two (:meth:`Matcher._spell_keys`). Only
   candidate pairs are scored.
3. **Scores and clusters.** A pair's similarity combines the weighted overlaps of each
   feature family; an acronym the other name spells out counts as that name when the
   descriptions agree. Look-alikes are held apart: a shared acronym alone is no evidence,
   and neither are two names that agree while the descriptions or the acronyms'
   expansions say different things (three unrelated "SIMADE"), nor an acronym read as
   something else than the catalogue already spells it ("SIKEL" is Sistem Informasi
   Kelurahan, not Keluarga). Channels of one product (web, Android, iOS:
   a ``channel_of`` relation, or the same owner and the same name plus "Mobile"/"Android")
   are folded into one product first. Pairs above the threshold form clusters; an edge that
   is weak and closes no triangle cannot chain two groups together, nor hang on a group an
   application that looks little like the rest of it.

:func:`find_duplicates` returns the clusters; :func:`candidates_for` ranks the existing
applications that look like a draft being registered; the checks below turn clusters into
findings of ``duplicate.application`` (different units) and ``duplicate.same_unit`` (one
unit twice).
"""

from __future__ import annotations

import gc
import math
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from catalog.analysis.findings import Finding
from catalog.analysis.rules import Context, check, rule
from catalog.analysis.snapshot import Item, NodeKey, Snapshot
from catalog.analysis.text import (
    CHANNEL_WORDS,
    FUNCTION_WORDS,
    PLACE_UNIT_TYPES,
    PlaceWords,
    Stemmer,
    acronym_fits,
    acronym_key,
    content_words,
    informative,
    split_name,
    url_keys,
    words,
)

# -- tuning (on the demo generator's "tune" families only; see bench/analysis_quality.py) --

#: What the model reads off a pair of applications (see :meth:`Matcher.features`):
#: name similarity (an acronym the other name spells out read as that name, see
#: :meth:`Matcher._spelled_name`); name similarity where the texts disagree; text
#: similarity; no text on one side; a shared acronym with nothing else behind it; a shared
#: acronym spelled out differently; an acronym spelled out by the other name; shared
#: services, data sets, hosts and reference codes; the same owner; sibling units (two
#: kelurahan, two puskesmas).
FEATURES = (
    "name",
    "name_text_disagree",
    "text",
    "text_missing",
    "acronym_unsupported",
    "acronym_expansions_differ",
    "acronym_expansion",
    "service",
    "data",
    "host",
    "code",
    "same_owner",
    "sibling_units",
)
_NAME = FEATURES.index("name")
_NAME_TEXT = FEATURES.index("name_text_disagree")
_EXPANSION = FEATURES.index("acronym_expansion")
#: Logistic-regression weights over :data:`FEATURES` (bias last), fit by
#: ``bench/analysis_quality.py --fit`` on the candidate pairs of the demo's *tune*
#: families only (province and national); see that script. To update, paste the line it
#: prints over this assignment and run ``ruff format``: the layout below is ruff's.
COEFFICIENTS = (
    5.477,
    -0.060,
    16.506,
    4.540,
    -2.032,
    -3.997,
    2.086,
    9.081,
    2.117,
    1.957,
    -0.039,
    -1.132,
    4.769,
    -8.593,
)
#: A pair at or above this probability is a duplicate.
THRESHOLD = 0.6
#: The lowest threshold anyone asks for (registration-time candidates): below it, the
#: costly acronym-against-expansion reading is skipped.
THRESHOLD_FLOOR = 0.35
#: A weak bridge (below this) between two groups does not join them (chain guard).
STRONG = 0.8
#: An application hung by one weak edge on a group of this many or more…
LOOSE_GROUP = 3
#: … stays in it only when it is this alike to the group's members on average.
LOOSE_MEAN = 0.3
#: Texts this far apart contradict a name match (look-alikes doing different jobs).
TEXT_CONFLICT = 0.1
#: How much a name contained in the other counts (against 1.0 for equal names)…
CONTAINMENT = 0.8
#: … once the shared words weigh this much (one common word inside a long name is not
#: containment: "Portal Data" is not "Sistem Informasi Data Induk Kependidikan").
CONTAINMENT_MASS = 5.0
#: A feature shared by more applications of one instansi than this proposes no pairs.
MAX_POSTING = {"name": 400, "text": 40, "link": 40}
#: An acronym read off another name ("SIMPEG" in "Sistem Informasi Manajemen Kepegawaian")
#: shares no word with it: such pairs are proposed by letter keys (see
#: :meth:`Matcher._spell_keys`), pairing an acronym's side with a name's side only; a key
#: with more applications than this on either side proposes nothing.
MAX_SPELL_POSTING = 40
#: Shortest acronym that is read off another name (shorter ones fit too many).
MIN_SPELLED = 4
#: An acronym read off the other name counts as a name match only with descriptions at
#: least this alike (the bar :meth:`Matcher._measure` sets for a shared acronym).
SPELLED_TEXT = 0.2
#: A host shared by more applications of an instansi than this (and this share) is the
#: instansi's own domain, not evidence.
HOST_COMMON = 5
HOST_COMMON_SHARE = 0.05
#: A channel's name inside another name of its owner names that product when the shared
#: words carry at least this share of the longer name's weight (see
#: :meth:`Matcher._same_product`).
PRODUCT_SHARE = 0.5
#: Text words this common (over the whole catalogue) propose no draft's candidates…
TEXT_BLOCK_MIN_IDF = 2.5
#: … and of the others, only each text's rarest few do (in an instansi's own pairs too).
TEXT_BLOCK_WORDS = 6
#: Within an instansi, a text word used by more than this share of its applications (or
#: :data:`TEXT_BLOCK_MIN` of them, whichever is more) proposes no pairs.
TEXT_BLOCK_SHARE = 0.1
TEXT_BLOCK_MIN = 5

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


@dataclass(frozen=True, slots=True)
class PairScore:
    """The similarity of two applications and why."""

    a: int
    b: int
    score: float
    name: float
    text: float | None
    shared_words: tuple[str, ...]
    shared_text: tuple[str, ...]
    acronym: str | None
    acronym_expansion: str | None
    shared: dict[str, tuple[str, ...]]
    conflict: str | None = None

    def evidence(self, profiles: list[Profile]) -> dict[str, Any]:
        # In code order, not snapshot order: the evidence (and its hash, which reopens a
        # reviewed finding) must not change when the same catalogue loads differently.
        pair = sorted([profiles[self.a].item.code, profiles[self.b].item.code])
        return {"pair": pair, **self.reasons()}

    def reasons(self) -> dict[str, Any]:
        """What the two applications share, and how similar they are (the evidence of a
        cluster member and of a registration-time candidate)."""
        out: dict[str, Any] = {
            "similarity": round(self.score, 3),
            "name_similarity": round(self.name, 3),
        }
        if self.text is not None:
            out["text_similarity"] = round(self.text, 3)
        if self.shared_words:
            out["shared_name_words"] = list(self.shared_words)
        if self.acronym:
            out["acronym"] = self.acronym.upper()
        if self.acronym_expansion:
            out["acronym_expansion"] = self.acronym_expansion
        if self.shared_text:
            out["shared_description_words"] = list(self.shared_text[:12])
        for family, values in self.shared.items():
            if values:
                out[f"shared_{family}"] = list(values)
        return out


@dataclass
class Cluster:
    """Applications of one instansi doing the same job."""

    members: list[Profile]
    pairs: list[PairScore]
    channels: dict[NodeKey, list[Item]] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(p.score for p in self.pairs) / len(self.pairs) if self.pairs else 0.0

    @property
    def same_unit(self) -> bool:
        return len({m.item.owner_id for m in self.members}) == 1


class Matcher:
    """Profiles, weights and the candidate index of a snapshot's applications.

    Build once per snapshot (:func:`matcher_for` caches it) and ask for duplicate pairs,
    clusters or the candidates of a draft.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        with collector_paused():
            self._build(snapshot)

    def _build(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        # Retired applications (retired, or with the status "dihentikan") do no job any
        # more; inactive ones are kept: still registered, still a copy to clean up.
        apps = [
            i
            for i in snapshot.of_kind(APPLICATION)
            if not i.retired and i.status != "retired" and i.get("national_role") in (None, "none")
        ]
        self.items = apps
        self._links, self._channel_links = _links_of(snapshot, {a.id for a in apps})
        self._channel_targets = {target for _, target in self._channel_links}
        self._fit_cache: dict[tuple[str, tuple[str, ...]], bool] = {}
        self._explained_cache: dict[int, bool] = {}
        # (instansi, acronym) → the name words of the applications that spell it out.
        self._spelled_out: dict[tuple[int, str], frozenset[str]] = {}
        self._word_cache: dict[str, list[str]] = {}
        # Names and descriptions repeat a lot across a national catalogue ("e-Kelurahan"
        # in every kelurahan): each distinct string is read once, in two passes: words
        # first (they are the stemmer's vocabulary), then the stemmed sets.
        self._names: dict[str, _NameInfo] = {}
        self._texts: dict[str, tuple[str, ...]] = {}
        for app in apps:
            for name in self._name_strings(app):
                if name not in self._names:
                    self._names[name] = self._read_name(name)
            for text in (app.description, app.get("function"), app.get("output")):
                if text and text not in self._texts:
                    self._texts[text] = tuple(content_words(text))
        vocabulary: set[str] = set()
        for info in self._names.values():
            vocabulary.update(info[0])
        for found in self._texts.values():
            vocabulary.update(found)
        self.stemmer = Stemmer(vocabulary)
        stems = {w: self.stemmer(w) for w in vocabulary}
        self._name_sets = {k: frozenset([stems[w] for w in v[0]]) for k, v in self._names.items()}
        self._text_sets = {k: frozenset([stems[w] for w in v]) for k, v in self._texts.items()}
        self._place_stems = {
            pid: frozenset(self.stemmer(w) for w in ws)
            for pid, ws in _place_words(
                snapshot, self._words, {a.instansi_id for a in apps} | snapshot.scope
            ).items()
        }
        self.profiles = [self._profile(i, app) for i, app in enumerate(apps)]
        self.idf = self._weights()
        for p in self.profiles:
            self._weigh(p)
        self.by_key = {p.key: p for p in self.profiles}
        for p in self.profiles:
            if p.acronyms and self._explained(p):
                meaning = p.name_words - p.acronyms
                for a in p.acronyms:
                    key = (p.item.instansi_id, a)
                    self._spelled_out[key] = self._spelled_out.get(key, frozenset()) | meaning
        for p in self.profiles:
            if p.spell_acronym and not self._readable(p):
                p.spell_acronym = frozenset()
        self.product_of = self._products()
        self.channels_by_product: dict[int, list[int]] = defaultdict(list)
        for channel, product in sorted(self.product_of.items()):
            self.channels_by_product[product].append(channel)

    # -- profiles -------------------------------------------------------------------------

    def _words(self, text: str) -> list[str]:
        found = self._word_cache.get(text)
        if found is None:
            found = self._word_cache[text] = words(text)
        return found

    @staticmethod
    def _name_strings(app: Item) -> Iterator[str]:
        if app.name:
            yield app.name
        yield from (a for a in app.get("aliases") or () if a)
        if app.get("acronym"):
            yield app.get("acronym")

    def _read_name(self, name: str) -> _NameInfo:
        """Informative words, acronyms and expansions (as words) of one name."""
        parts = split_name(name)
        expansions = tuple(tuple(words(e)) for e in parts.expansions)
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
                    self.stemmer(w) for w in content_words(text)
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
        hosts = url_keys(app.get("url"))
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
            spell_acronym=spell_acronym,
            spell_words=spell_words,
        )

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

    # -- channels -------------------------------------------------------------------------

    def _products(self) -> dict[int, int]:
        """Channel profile index → the index of the product it belongs to."""
        parent = list(range(len(self.profiles)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        index = {p.item.id: p.index for p in self.profiles}
        for source, target in self._channel_links:
            a, b = index.get(source), index.get(target)
            if a is not None and b is not None:
                parent[find(a)] = find(b)
        # Unlinked channels: same owner, and one name is the other's plus a channel word.
        by_owner: dict[tuple[int, int | None], list[Profile]] = defaultdict(list)
        marked = [p for p in self.profiles if p.channel_words or _mobile(p.item)]
        if marked:
            for p in self.profiles:
                by_owner[(p.item.instansi_id, p.item.owner_id)].append(p)
        for c in marked:
            if not (c.name_words | c.acronyms) - CHANNEL_WORDS:
                continue
            for p in by_owner[(c.item.instansi_id, c.item.owner_id)]:
                if p is c or find(p.index) == find(c.index):
                    continue
                if self._same_product(c, p):
                    parent[find(c.index)] = find(p.index)
        roots: dict[int, list[int]] = defaultdict(list)
        for p in self.profiles:
            roots[find(p.index)].append(p.index)
        product: dict[int, int] = {}
        for members in roots.values():
            if len(members) < 2:
                continue
            main = min(members, key=self._product_rank)
            for i in members:
                if i != main:
                    product[i] = main
        return product

    def _same_product(self, a: Profile, b: Profile) -> bool:
        """Whether a name with a channel word names the same product as another name of
        its owner: the same words (channel words aside), or one's words inside the
        other's, either naming its acronym ("SIPADU Android" in "SIPADU - Sistem
        Informasi Pengaduan Terpadu") or carrying most of its weight. One common word is
        not a product: "Web Kecamatan Dajan Peken" is no channel of "SIMPATI (Sistem
        Informasi Pelayanan Terpadu Kecamatan)"."""
        mine = (a.name_words | a.acronyms) - CHANNEL_WORDS
        theirs = (b.name_words | b.acronyms) - CHANNEL_WORDS
        if not mine or not theirs:
            return False
        if mine == theirs:
            return True
        if len(mine) > len(theirs):
            a, b, mine, theirs = b, a, theirs, mine
        if not mine <= theirs:
            return False
        if not mine.isdisjoint(b.acronyms) or not theirs.isdisjoint(a.acronyms):
            return True
        idf = self.idf
        inside = sum([idf.get(w, 0.0) for w in mine])
        whole = sum([idf.get(w, 0.0) for w in theirs])
        return inside >= PRODUCT_SHARE * whole

    def _product_rank(self, i: int) -> tuple[int, int, int]:
        p = self.profiles[i]
        targeted = p.item.id in self._channel_targets
        return (0 if targeted else 1, 1 if (p.channel_words or _mobile(p.item)) else 0, i)

    # -- candidates and scores ------------------------------------------------------------

    def _block_keys(self, p: Profile, text: bool = True) -> Iterator[tuple[str, str]]:
        for w in p.name_words:
            yield "name", w
        for a in p.acronyms:
            yield "name", "acr:" + a
        if text:
            for w in p.rare_text:
                yield "text", w
        for family in ("service", "host"):
            for v in p.links.get(family, ()):
                yield "link", v

    def candidate_pairs(self) -> Iterator[tuple[int, int]]:
        """Pairs of the same instansi that share an informative feature (channels of a
        product excluded), each once."""
        by_instansi: dict[int, list[Profile]] = defaultdict(list)
        for p in self.profiles:
            if p.index not in self.product_of:
                by_instansi[p.item.instansi_id].append(p)
        width = len(self.profiles) + 1
        for group in by_instansi.values():
            postings: dict[tuple[str, str], list[int]] = defaultdict(list)
            spelled: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
            df: dict[str, int] = defaultdict(int)
            for p in group:
                for w in p.text_words:
                    df[w] += 1
            # Text words propose pairs by how many texts of this instansi use them (the
            # catalogue-wide weights of a small instansi are noisy): of those shared by
            # two texts at least and by few enough, each text's rarest few (a prefix
            # filter; a word of one text alone proposes nothing, however rare).
            cap = min(MAX_POSTING["text"], max(TEXT_BLOCK_MIN, int(TEXT_BLOCK_SHARE * len(group))))
            for p in group:
                for key in self._block_keys(p, text=False):
                    postings[key].append(p.index)
                rare = [w for w in p.text_words if 2 <= df[w] <= cap]
                if len(rare) > TEXT_BLOCK_WORDS:
                    rare = sorted(rare, key=lambda w: (df[w], w))[:TEXT_BLOCK_WORDS]
                for w in rare:
                    postings[("text", w)].append(p.index)
                for key in p.spell_acronym:
                    spelled[key][0].append(p.index)
                for key in p.spell_words:
                    spelled[key][1].append(p.index)
            seen: set[int] = set()
            for (kind, _), members in postings.items():
                if len(members) < 2 or len(members) > MAX_POSTING[kind]:
                    continue
                for x, a in enumerate(members):
                    for b in members[x + 1 :]:
                        # Postings list profiles in index order, so a < b.
                        code = a * width + b
                        if code not in seen:
                            seen.add(code)
                            yield a, b
            for short, spelt in spelled.values():
                if not short or not spelt or max(len(short), len(spelt)) > MAX_SPELL_POSTING:
                    continue
                for a in short:
                    for b in spelt:
                        if a == b:
                            continue
                        a_, b_ = (a, b) if a < b else (b, a)
                        code = a_ * width + b_
                        if code not in seen:
                            seen.add(code)
                            yield a_, b_

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

    def _label(self, feature: str) -> str:
        """A linked item's code for the evidence ("s:12" → "LY-0012")."""
        kind, _, value = feature.partition(":")
        if kind in ("s", "d"):
            item = self.snapshot.items.get(("service" if kind == "s" else "dataset", int(value)))
            return item.code if item is not None else value
        return value

    def similarity(self, a: Profile, b: Profile) -> float:
        """How alike two applications are, 0..1 (:meth:`score` adds the evidence)."""
        return self._compare(a, b, THRESHOLD_FLOOR)[0]

    def score(self, a: Profile, b: Profile, *, lenient: bool = False) -> PairScore:
        """How alike two applications are (0..1), with the evidence. ``lenient`` reads an
        acronym off the other name even where a description is missing (see
        :meth:`_spelled_name`): right for a draft being registered, where a person judges
        each candidate, too loose for the clusters."""
        total, name, text, expansion, conflict, link_sims = self._compare(
            a, b, 0.0, lenient=lenient
        )
        idf = self.idf
        shared = {
            family: tuple(sorted(self._label(v) for v in a.links[family] & b.links[family]))
            for family in link_sims
        }
        common_acronyms = a.acronyms & b.acronyms
        return PairScore(
            a=a.index,
            b=b.index,
            score=total,
            name=name,
            text=text,
            shared_words=tuple(sorted(a.name_words & b.name_words)),
            shared_text=tuple(
                sorted(a.text_words & b.text_words, key=lambda w: (-idf.get(w, 0.0), w))
            ),
            acronym=min(common_acronyms) if common_acronyms else None,
            acronym_expansion=expansion,
            shared=shared,
            conflict=conflict,
        )

    def _compare(
        self, a: Profile, b: Profile, threshold: float, *, lenient: bool = False
    ) -> tuple[float, float, float | None, str | None, str | None, dict[str, float]]:
        """Similarity (0..1) and its parts: name, text, the acronym spelled out by the
        other name, the reason the pair looks like a look-alike, the link overlaps."""
        x, name, text, conflict, link_sims, _ = self._measure(a, b)
        total = _probability(x)
        expansion = None
        # Reading an acronym off the other's expansion is the costly part: only when it
        # could lift the pair over the threshold, the name read as spelled out at best.
        if name < 1.0 and not (a.acronyms & b.acronyms) and (a.acronyms or b.acronyms):
            best = max(name, self._spelled_name(a, b, lenient), self._spelled_name(b, a, lenient))
            could = _probability(_with_expansion(x, best, text))
            if could >= threshold and could > total:
                expansion = self._fits(a, b)
                spelled = self._spelled_name(a, b, lenient)
                if not expansion:
                    expansion = self._fits(b, a)
                    spelled = self._spelled_name(b, a, lenient)
                if expansion:
                    name = max(name, spelled)
                    total = _probability(_with_expansion(x, name, text))
        return total, name, text, expansion, conflict, link_sims

    def _spelled_name(self, a: Profile, b: Profile, lenient: bool = False) -> float:
        """The name similarity of ``a`` and ``b`` were ``a``'s acronym written out as
        ``b``'s name: "SIMPEG" against "Sistem Informasi Manajemen Kepegawaian" compares
        as two names of the personnel system. (Whether the acronym really reads off the
        name is :meth:`_fits`' question.)

        Only an acronym the catalogue does not explain (:meth:`_readable`) is read this
        way, and only when the descriptions agree (:data:`SPELLED_TEXT`): a five-letter
        acronym fits many names by chance ("SIAGA" = Sistem Informasi insentif
        keAGAmaan), and the descriptions tell the personnel system from the coincidence.
        ``lenient`` (a draft being registered) also reads it where either has no
        description; descriptions that disagree still forbid it."""
        if not self._readable(a):
            return 0.0
        described = bool(a.text_weight and b.text_weight)
        if not described and not lenient:
            return 0.0
        if described and self._text_similarity(a, b) < SPELLED_TEXT:
            return 0.0
        spelled = b.name_words - b.acronyms
        if not spelled:
            return 0.0
        return self._name_similarity((a.name_words - a.acronyms) | spelled, b.name_words)

    def _text_similarity(self, a: Profile, b: Profile) -> float:
        """Cosine of the weighted text word sets (a short text inside a long one still
        counts); 0 when either has no text."""
        if not (a.text_weight and b.text_weight):
            return 0.0
        shared = a.text_words & b.text_words
        if not shared:
            return 0.0
        idf = self.idf
        return sum([idf.get(w, 0.0) for w in shared]) / math.sqrt(a.text_weight * b.text_weight)

    def _name_similarity(
        self,
        mine: frozenset[str],
        theirs: frozenset[str],
        weights: tuple[float, float] | None = None,
    ) -> float:
        """Weighted Jaccard of two name word sets, lifted when one name is contained in
        the other ("e-Persediaan" in "Sistem Persediaan Barang Pakai Habis")."""
        shared = mine & theirs
        if not shared:
            return 0.0
        idf = self.idf
        if weights is None:
            weights = (sum([idf.get(w, 0.0) for w in mine]), sum([idf.get(w, 0.0) for w in theirs]))
        inter = sum([idf.get(w, 0.0) for w in shared])
        union = weights[0] + weights[1] - inter
        smaller = min(weights)
        contained = inter / smaller * min(1.0, inter / CONTAINMENT_MASS) if smaller else 0.0
        return max(inter / union if union > 0 else 0.0, CONTAINMENT * contained)

    def features(self, a: Profile, b: Profile) -> list[float]:
        """The pair's feature vector (:data:`FEATURES`), as the model weighs it."""
        x, name, text, *_ = self._measure(a, b)
        if not (a.acronyms & b.acronyms):
            if self._fits(a, b):
                x = _with_expansion(x, max(name, self._spelled_name(a, b)), text)
            elif self._fits(b, a):
                x = _with_expansion(x, max(name, self._spelled_name(b, a)), text)
        return x

    def _measure(
        self, a: Profile, b: Profile
    ) -> tuple[list[float], float, float | None, str | None, dict[str, float], frozenset[str]]:
        idf = self.idf
        shared_words = a.name_words & b.name_words
        name = 0.0
        if shared_words:
            name = self._name_similarity(a.name_words, b.name_words, (a.name_weight, b.name_weight))
        text = self._text_similarity(a, b) if a.text_weight and b.text_weight else None
        link_sims: dict[str, float] = {}
        for family, mine in a.links.items():
            theirs = b.links.get(family)
            if not theirs:
                continue
            common = mine & theirs
            if family == "host" and shared_words:
                # demo-style URLs repeat the name ("simpel.kota.go.id"): not a second witness.
                common = frozenset(h for h in common if h[2:].split(".", 1)[0] not in shared_words)
            if common:
                w_common = sum([idf.get(v, 0.0) for v in common])
                w_all = a.link_weight[family] + b.link_weight[family] - w_common
                link_sims[family] = w_common / w_all if w_all > 0 else 0.0

        conflict = None
        acronym_only = bool(shared_words) and not (shared_words - a.acronyms - b.acronyms)
        unsupported = 0.0
        differ = 0.0
        if acronym_only:
            if _expansions_disagree(a, b, shared_words):
                conflict = "acronym_expansions_differ"
                differ = 1.0
            elif not (
                (text is not None and text >= 0.2)
                or "service" in link_sims
                or "host" in link_sims
                or (a.owner_type is not None and a.owner_type == b.owner_type)
            ):
                unsupported = 1.0
        if text is not None and text < TEXT_CONFLICT and "service" not in link_sims:
            conflict = conflict or "descriptions_differ"
        x = [
            name,
            name * (1.0 - text) if text is not None else 0.0,
            text if text is not None else 0.0,
            0.0 if text is not None else 1.0,
            unsupported,
            differ,
            0.0,  # acronym spelled out by the other name: filled in by the caller
            link_sims.get("service", 0.0),
            link_sims.get("data", 0.0),
            link_sims.get("host", 0.0),
            link_sims.get("code", 0.0),
            1.0 if a.item.owner_id == b.item.owner_id else 0.0,
            1.0 if a.owner_type is not None and a.owner_type == b.owner_type else 0.0,
        ]
        return x, name, text, conflict, link_sims, shared_words

    def pairs(self, threshold: float = THRESHOLD) -> list[PairScore]:
        """Scored candidate pairs at or above the threshold."""
        profiles = self.profiles
        compare = self._compare
        out = []
        for a, b in self.candidate_pairs():
            pa, pb = profiles[a], profiles[b]
            if compare(pa, pb, threshold)[0] >= threshold:
                out.append(self.score(pa, pb))
        return out

    def clusters(self, threshold: float = THRESHOLD) -> list[Cluster]:
        """Groups of applications doing the same job, with the chain guard applied."""
        with collector_paused():
            return self._cluster(self.pairs(threshold))

    def _cluster(self, pairs: list[PairScore]) -> list[Cluster]:
        out: list[Cluster] = []
        for edges in _components(pairs):
            for part in _guard_chains(edges):
                part = self._drop_loose_ends(part)
                members = sorted(
                    {e.a for e in part} | {e.b for e in part},
                    key=lambda i: self.profiles[i].item.code,
                )
                out.append(
                    Cluster(
                        members=[self.profiles[i] for i in members],
                        pairs=sorted(part, key=self._pair_order),
                        channels=self._channels_of(members),
                    )
                )
        out.sort(key=lambda c: (c.members[0].item.instansi_id, c.members[0].item.code))
        return out

    def _drop_loose_ends(self, edges: list[PairScore]) -> list[PairScore]:
        """Drop the applications hung on a group of :data:`LOOSE_GROUP` or more by one weak
        edge while looking little like the rest of it (mean similarity to the others below
        :data:`LOOSE_MEAN`): a city's news portal is not one more kecamatan website because
        it resembles one of them. Each such loose end would count as a duplicate of every
        member."""
        degree: dict[int, list[PairScore]] = defaultdict(list)
        for e in edges:
            degree[e.a].append(e)
            degree[e.b].append(e)
        if len(degree) < LOOSE_GROUP + 1:
            return edges
        dropped: set[int] = set()
        for node, own in degree.items():
            if len(own) != 1 or own[0].score >= STRONG:
                continue
            p = self.profiles[node]
            others = [self.profiles[o] for o in degree if o != node]
            mean = sum([self._compare(p, o, 0.0)[0] for o in others]) / len(others)
            if mean < LOOSE_MEAN:
                dropped.add(node)
        if not dropped:
            return edges
        return [e for e in edges if e.a not in dropped and e.b not in dropped]

    def _pair_order(self, e: PairScore) -> tuple[float, list[str]]:
        return (
            -round(e.score, 6),
            sorted([self.profiles[e.a].item.code, self.profiles[e.b].item.code]),
        )

    def _channels_of(self, members: Iterable[int]) -> dict[NodeKey, list[Item]]:
        return {
            self.profiles[m].key: sorted(
                (self.profiles[c].item for c in self.channels_by_product[m]),
                key=lambda item: item.code,
            )
            for m in members
            if m in self.channels_by_product
        }

    # -- registration-time check ----------------------------------------------------------

    def draft_profile(self, fields: Mapping[str, Any], instansi_id: int) -> Profile:
        """A profile for an application not (yet) in the catalogue."""
        attrs = {k: fields.get(k) for k in _DRAFT_ATTRS}
        item = Item(
            APPLICATION,
            int(fields.get("id") or 0),
            str(fields.get("code") or ""),
            str(fields.get("name") or ""),
            instansi_id,
            fields.get("owner_id"),
            reference_code=fields.get("reference_code"),
            description=fields.get("description"),
            attrs=attrs,
        )
        profile = self._profile(-1, item)
        self._weigh(profile)
        if profile.spell_acronym and not self._readable(profile):
            profile.spell_acronym = frozenset()
        return profile

    def candidates_for(
        self, fields: Mapping[str, Any], instansi_id: int, *, limit: int = 5, minimum: float = 0.35
    ) -> list[tuple[Item, PairScore]]:
        """Existing applications of the instansi that look like the draft, best first."""
        draft = self.draft_profile(fields, instansi_id)
        keys = set(self._block_keys(draft))
        exclude = fields.get("id")
        found: list[tuple[Item, PairScore]] = []
        for p in self.profiles:
            if p.item.instansi_id != instansi_id or p.item.id == exclude:
                continue
            if p.index in self.product_of:
                continue
            if keys.isdisjoint(self._block_keys(p)) and not _spells(draft, p):
                continue
            s = self.score(draft, p, lenient=True)
            if s.score >= minimum:
                found.append((p.item, s))
        found.sort(key=lambda x: (-x[1].score, x[0].name))
        return found[:limit]


# -- helpers ------------------------------------------------------------------------------

# The fields of a draft (registration form, API) that the matcher reads besides the name.
_DRAFT_ATTRS = ("acronym", "function", "output", "aliases", "url", "platform")


def _mobile(item: Item) -> bool:
    return (item.get("platform") or "").lower() in ("android", "ios", "mobile")


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
    split: Callable[[str], list[str]] = words,
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


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the matcher allocates hundreds of thousands of
    small sets and tuples next to a national snapshot's 230,000 items, and each automatic
    collection would walk all of them again to find no cycles (+60 % time). Reference
    counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# The name other modules imported before it was public.
_collector_paused = collector_paused


def _probability(x: list[float]) -> float:
    # COEFFICIENTS carries the bias after the weights: zip stops at the last feature.
    z = COEFFICIENTS[-1] + sum([w * v for w, v in zip(COEFFICIENTS[:-1], x, strict=True)])
    return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0


def _with_expansion(x: list[float], name: float, text: float | None) -> list[float]:
    """A copy of a feature vector with an acronym spelled out by the other name, and the
    name similarity that reading gives."""
    out = list(x)
    out[_NAME] = name
    out[_NAME_TEXT] = name * (1.0 - text) if text is not None else 0.0
    out[_EXPANSION] = 1.0
    return out


def _spells(a: Profile, b: Profile) -> bool:
    """Whether an acronym of one may be spelled out by the other's name (a blocking key
    in common, see :meth:`Matcher._spell_keys`)."""
    return not (
        a.spell_acronym.isdisjoint(b.spell_words) and b.spell_acronym.isdisjoint(a.spell_words)
    )


def _expansions_disagree(a: Profile, b: Profile, shared: frozenset[str]) -> bool:
    """Both spell out the shared acronym, and the spelled-out words have nothing in
    common: the same letters for two different things."""
    if not a.expansions or not b.expansions:
        return False
    mine = a.name_words - shared
    theirs = b.name_words - shared
    return bool(mine) and bool(theirs) and not (mine & theirs)


def _guard_chains(edges: list[PairScore]) -> list[list[PairScore]]:
    """Split a component where a single weak edge is all that joins two groups of two or
    more: A~B and C~D joined only by a middling B~C are two clusters, not one.
    A weak edge that hangs one application on a group is kept."""
    nodes = {e.a for e in edges} | {e.b for e in edges}
    if len(nodes) < 4:
        return [edges]
    graph = nx.Graph()
    graph.add_edges_from((e.a, e.b, {"edge": e}) for e in edges)
    weak = []
    for u, v in nx.bridges(graph):
        edge = graph.edges[u, v]["edge"]
        if edge.score >= STRONG:
            continue
        graph.remove_edge(u, v)
        side = nx.node_connected_component(graph, u)
        graph.add_edge(u, v, edge=edge)
        if 2 <= len(side) <= len(nodes) - 2:
            weak.append(edge)
    if not weak:
        return [edges]
    cut = {id(e) for e in weak}
    return _components([e for e in edges if id(e) not in cut])


def _components(edges: list[PairScore]) -> list[list[PairScore]]:
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for e in edges:
        parent[find(e.a)] = find(e.b)
    groups: dict[int, list[PairScore]] = defaultdict(list)
    for e in edges:
        groups[find(e.a)].append(e)
    return list(groups.values())


_CACHE: list[tuple[weakref.ref[Snapshot], Matcher]] = []


def matcher_for(snapshot: Snapshot) -> Matcher:
    """The matcher of a snapshot, built once and shared by the checks of one run."""
    for ref, matcher in _CACHE:
        if ref() is snapshot:
            return matcher
    matcher = Matcher(snapshot)
    _CACHE[:] = [(weakref.ref(snapshot), matcher)]
    return matcher


def find_duplicates(snapshot: Snapshot, threshold: float = THRESHOLD) -> list[Cluster]:
    """Clusters of applications doing the same job within one instansi.

    >>> from catalog.analysis.snapshot import Place, Unit
    >>> apps = [
    ...     Item("application", 1, "A-1", "SIMPEG (Sistem Informasi Manajemen Kepegawaian)", 7,
    ...          owner_id=1, description="Pengelolaan data kepegawaian ASN daerah"),
    ...     Item("application", 2, "A-2", "Sistem Informasi Kepegawaian Dinkes", 7,
    ...          owner_id=2, description="Pengelolaan data pegawai ASN dinas kesehatan"),
    ...     Item("application", 3, "A-3", "SIMPEG", 7, owner_id=3,
    ...          description="Sistem informasi pemantauan gizi balita"),
    ... ]
    >>> s = Snapshot.build(apps, units=[Unit(i, f"U{i}", f"Dinas {i}", 7) for i in (1, 2, 3)],
    ...                    places=[Place(7, "35.78", "Kota Surabaya", "kota")])
    >>> [[m.item.code for m in c.members] for c in find_duplicates(s)]
    [['A-1', 'A-2']]
    """
    return matcher_for(snapshot).clusters(threshold)


def clusters_of(context: Context) -> list[Cluster]:
    """The duplicate clusters of a run's snapshot (at :data:`THRESHOLD`), computed once per
    :class:`~catalog.analysis.rules.Context` and shared by every check and scorecard that
    asks: clustering a national snapshot twice costs seconds."""
    return context.shared("duplicates.clusters", lambda: matcher_for(context.snapshot).clusters())


def candidates_for(
    snapshot: Snapshot,
    fields: Mapping[str, Any],
    instansi_id: int,
    *,
    limit: int = 5,
    minimum: float = 0.35,
) -> list[tuple[Item, PairScore]]:
    """Existing applications of an instansi that look like a draft application (the
    registration-time check), best first, with the evidence of each.

    ``fields`` are the draft's fields as a form or the API has them: ``name``,
    ``acronym``, ``description``, ``function``, ``output``, ``aliases``, ``url``,
    ``reference_code``, ``owner_id`` and, when editing, ``id``.

    >>> from catalog.analysis.snapshot import Place
    >>> s = Snapshot.build(
    ...     [Item("application", 1, "A-1", "Sistem Antrian Online", 7, owner_id=1,
    ...           description="Pengambilan nomor antrean layanan")],
    ...     places=[Place(7, "51.71", "Kota Denpasar", "kota")],
    ... )
    >>> [(i.code, p.shared_words) for i, p in candidates_for(s, {"name": "e-Antrian"}, 7)]
    [('A-1', ('antrian',))]
    """
    return matcher_for(snapshot).candidates_for(fields, instansi_id, limit=limit, minimum=minimum)


# -- rules --------------------------------------------------------------------------------

DUPLICATE = rule(
    "duplicate.application",
    "medium",
    "Aplikasi berbeda unit untuk pekerjaan yang sama",
    "Applications of different units doing the same job",
    why=(
        "Perpres 95/2018 menuntut aplikasi dibangun sekali dan dipakai bersama (Pasal 35–36, "
        "keterpaduan SPBE); aplikasi ganda antar-OPD memboroskan anggaran, memecah data "
        "yang sama ke beberapa basis data dan melemahkan nilai indikator 15 evaluasi SPBE."
    ),
    why_en=(
        "Perpres 95/2018 wants an application built once and shared (Articles 35–36, SPBE "
        "integration); the same job built by several units wastes budget, splits one body "
        "of data over several databases and weakens SPBE evaluation indicator 15."
    ),
    clear=(
        "Tim Koordinasi SPBE menilai klaster ini: pilih satu aplikasi sebagai aplikasi "
        "bersama dan rencanakan migrasi unit lain, atau tandai 'bukan duplikat' / 'aplikasi "
        "bersama' dengan alasannya."
    ),
    clear_en=(
        "The SPBE coordination team reviews the cluster: choose one application to share "
        "and plan the other units' migration, or mark it 'not a duplicate' / 'shared "
        "application' with a reason."
    ),
)
SAME_UNIT = rule(
    "duplicate.same_unit",
    "low",
    "Satu unit mencatat pekerjaan yang sama dua kali",
    "One unit registered the same job twice",
    why=(
        "Inventaris aplikasi adalah bukti Arsitektur SPBE (indikator 11) dan Manajemen Aset "
        "TIK (indikator 24); satu sistem yang tercatat dua kali, atau dua sistem satu unit "
        "untuk pekerjaan yang sama, mengaburkan inventaris dan biaya."
    ),
    why_en=(
        "The application inventory evidences the SPBE architecture (indicator 11) and ICT "
        "asset management (indicator 24); one system registered twice, or two systems of one "
        "unit for the same job, blurs the inventory and its cost."
    ),
    clear=(
        "Unit pemilik menggabungkan catatan yang sama (hentikan yang berlebih), atau "
        "menjelaskan perbedaan kedua aplikasi dalam uraiannya."
    ),
    clear_en=(
        "The owning unit merges the records (retire the extra one), or explains in the "
        "descriptions how the two applications differ."
    ),
)


def _cluster_evidence(cluster: Cluster, matcher: Matcher, context: Context) -> dict[str, Any]:
    profiles = matcher.profiles
    members = []
    for m in cluster.members:
        entry: dict[str, Any] = {
            "code": m.item.code,
            "name": m.item.name,
            "owner": context.snapshot.unit_code(m.item.owner_id),
        }
        if m.acronyms:
            entry["acronyms"] = sorted(a.upper() for a in m.acronyms)
        channels = cluster.channels.get(m.key)
        if channels:
            entry["channels"] = [{"code": c.code, "name": c.name} for c in channels]
        members.append(entry)
    return {
        "members": members,
        "pairs": [p.evidence(profiles) for p in cluster.pairs[:20]],
        "pair_count": len(cluster.pairs),
    }


def _names(cluster: Cluster, limit: int = 4) -> str:
    names = [f"{m.item.name} ({m.item.code})" for m in cluster.members[:limit]]
    more = len(cluster.members) - limit
    return "; ".join(names) + (f" +{more}" if more > 0 else "")


@check(DUPLICATE.id, SAME_UNIT.id)
def check_duplicates(context: Context) -> Iterator[Finding]:
    matcher = matcher_for(context.snapshot)
    for cluster in clusters_of(context):
        rule_ = SAME_UNIT if cluster.same_unit else DUPLICATE
        n = len(cluster.members)
        units = len({m.item.owner_id for m in cluster.members})
        if cluster.same_unit:
            message = (
                f"{n} aplikasi satu unit tampak mengerjakan pekerjaan yang sama: {_names(cluster)}."
            )
            message_en = (
                f"{n} applications of one unit appear to do the same job: {_names(cluster)}."
            )
        else:
            message = (
                f"{n} aplikasi di {units} unit tampak mengerjakan pekerjaan yang sama: "
                f"{_names(cluster)}."
            )
            message_en = (
                f"{n} applications in {units} units appear to do the same job: {_names(cluster)}."
            )
        yield rule_.finding(
            context.subjects(m.item for m in cluster.members),
            message,
            message_en,
            evidence=_cluster_evidence(cluster, matcher, context),
            score=cluster.score,
        )


__all__ = [
    "DUPLICATE",
    "SAME_UNIT",
    "Cluster",
    "Matcher",
    "PairScore",
    "Profile",
    "candidates_for",
    "clusters_of",
    "collector_paused",
    "find_duplicates",
    "matcher_for",
]
