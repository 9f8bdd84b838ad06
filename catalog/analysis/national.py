"""Aplikasi Umum overlap: local applications doing the job of a national system.

Perpres 95/2018 Pasal 37 obliges Instansi Pusat and Pemerintah Daerah to use the Aplikasi
Umum and bars them from building their own application for the same job (one may be kept
only after aligning its process, a cost-benefit study and the minister's consideration).
Mandatory national systems (SIPD, SIASN, SPSE…) bind regions through their own
regulations. The national catalogue is part of every snapshot as context
(:mod:`catalog.analysis.snapshot`): its applications with ``national_role``
``aplikasi_umum`` or ``mandatory`` are what local applications are compared with. Sector
systems (``sector``: SIAK, Dapodik, SATUSEHAT…) are systems regions must *feed*, so a
local application in their field is expected, not an overlap.

How it works, linear in the number of local applications:

1. **National profiles.** Each national system gives several *names*: its name, acronym
   and every alias the catalogue records for it ("e-Office", "Tata Naskah Dinas
   Elektronik", "TNDE" for SRIKANDI), each reduced to its informative, stemmed words
   (:mod:`catalog.analysis.text`); its acronyms; and the words of its description,
   function and output. An inverted index maps words and acronyms to the few dozen
   national systems.
2. **Local profiles.** The same reading of each local application (name, aliases,
   acronym; description, function, output), with the instansi's place and unit names
   removed. Distinct strings are read once (a national catalogue repeats them a lot).
3. **Scores.** Only the national systems sharing a name word, an acronym or a rare text
   word with the local application are scored (each distinct set of words once): the
   best name match (how much of one national name the local name covers, times how much
   of the local name the national names explain), scaled by how much of the local text
   the national system's text explains (its *function* weighing most: what an
   application is for), and by whether the data it produces is of the national system's
   kinds (RAD codes). A text explained well enough is evidence on its own. Look-alikes
   are held apart: a name that matches on an acronym alone needs the text to agree, and
   a text that describes another job vetoes a name match ("SIPD" for a development data
   bank is not SIPD; "SKP Online" for research permits is not e-Kinerja). Each local
   application is reported with its best national system, the text deciding between two
   that share a name (e-Kinerja BKN and e-SAKIP).

A local application that names only the national system itself and is registered as its
extension (a ``channel_of`` / ``part_of`` relation), or calls itself a bridge or
connector ("Bridging SRIKANDI"), is not an overlap. An integration with the national
system is no evidence either way: a local SIMPEG that synchronises with SIASN still keeps
the personnel records itself, and an attendance system that reads SIASN is no copy.
Channels of one product (the mobile app of a local e-office) are judged with the product.

Words are compared by stem, against the words the snapshot itself uses (as
:class:`~catalog.analysis.text.Stemmer`), and verb and noun forms of one base word are
one word even when nobody writes the base ("mengelola" / "pengelolaan", "menerima" /
"penerimaan"): a local text says with verbs what the national one says with nouns.

Tuned on the ``tune`` families of the demo generator's planted truth only
(``bench/analysis_quality.py``), measured per instansi as the product runs. Most of what
it reports that the truth does not is the demo's arsip family ("SIKD – Sistem Informasi
Kearsipan Dinamis", "pengelolaan arsip dinamis"): the truth calls it no overlap, but
kearsipan dinamis is exactly SRIKANDI's mandate (KepmenPANRB 679/2020), so the matcher
reports it. A TPP calculator is a supporting application, not an e-Kinerja copy (the
national data no longer lists "e-TPP" as an e-Kinerja name).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from catalog.analysis.duplicates import _collector_paused
from catalog.analysis.findings import Finding
from catalog.analysis.rules import Context, check, rule
from catalog.analysis.snapshot import Item, NodeKey, Snapshot
from catalog.analysis.text import (
    CHANNEL_WORDS,
    SUFFIXES,
    PlaceWords,
    _stem_options,
    acronym_key,
    content_words,
    informative,
    split_name,
    words,
)

APPLICATION = "application"
#: National roles a local application must not duplicate.
OVERLAP_ROLES = ("aplikasi_umum", "mandatory")

# -- tuning (on the demo generator's "tune" families only; see bench/analysis_quality.py) --

#: A pair at or above this score is an overlap.
THRESHOLD = 0.5
#: How far the local text must agree with the national system's: a text of which less
#: than TEXT_CONFLICT is explained by the national text describes another job (the name
#: match keeps only TEXT_FLOOR of its weight); agreement is full at
#: TEXT_CONFLICT + TEXT_FULL.
TEXT_CONFLICT = 0.35
TEXT_FULL = 0.3
TEXT_FLOOR = 0.2
#: Without any text, a name match keeps this much (an acronym alone, much less).
NO_TEXT = 1.0
NO_TEXT_ACRONYM = 0.4
#: A text this well explained, in at least this many words, is evidence on its own (the
#: name may say nothing: "SIPADU").
TEXT_STRONG = 0.8
TEXT_ONLY_WORDS = 3
#: How much the function text alone counts in the text agreement (the rest: description,
#: function and output together).
FUNCTION_WEIGHT = 0.7
#: Producing data of the national system's kinds (RAD codes of the data sets it is
#: authoritative for) supports a match; producing only other kinds weakens it.
DATA_MATCH = 1.0
DATA_MISMATCH = 0.6
#: Text words this common among local applications propose no candidates.
TEXT_BLOCK_MIN_IDF = 3.0

#: A word of a national system's own name this rare among local applications names it.
IDENTITY_MIN_IDF = 4.0
#: Words that make an application a bridge to the system it names, not a copy of it.
CONNECTOR_WORDS = frozenset(
    (
        "bridging", "bridge", "konektor", "connector", "integrasi", "integration",
        "sinkronisasi", "sync", "sinkron", "penghubung", "interkoneksi", "gateway",
        "adapter", "plugin", "api",
    )
)  # fmt: skip
_EXTENSION_LINKS = frozenset(("channel_of", "part_of"))
_MOBILE = frozenset(("android", "ios", "mobile"))

PASAL_37 = (
    "Perpres 95/2018 Pasal 37: Instansi Pusat dan Pemerintah Daerah wajib menggunakan "
    "Aplikasi Umum; pembangunan aplikasi khusus yang sama dilarang kecuali setelah "
    "penyesuaian proses bisnis, kajian biaya-manfaat dan pertimbangan Menteri PANRB."
)
PASAL_37_EN = (
    "Perpres 95/2018 Article 37: central and regional governments must use the Aplikasi "
    "Umum; building a special application for the same job is barred unless the process is "
    "aligned, a cost-benefit study is made and the minister (PANRB) has given consideration."
)


@dataclass(slots=True)
class NationalProfile:
    item: Item
    names: list[tuple[str, frozenset[str]]]  # (the name as written, its words)
    identity: frozenset[str]  # words of its own name and acronym ("siasn", "srikandi")
    acronyms: frozenset[str]
    text_words: frozenset[str]
    name_words: frozenset[str]
    all_words: frozenset[str]  # text and name words: what can explain a local text


@dataclass(frozen=True, slots=True)
class Overlap:
    """A local application doing the job of a national system, and why we think so."""

    local: Item
    national: Item
    score: float
    matched_name: str | None = None
    shared_name_words: tuple[str, ...] = ()
    acronym: str | None = None
    shared_text_words: tuple[str, ...] = ()
    text_explained: float | None = None
    reference_code: str | None = None
    data_codes: tuple[str, ...] = ()

    def evidence(self) -> dict[str, Any]:
        national = self.national
        out: dict[str, Any] = {
            "national": {
                "code": national.code,
                "name": national.name,
                "role": national.get("national_role"),
            },
        }
        # The score is the finding's own (Finding.score), not evidence: it moves with the
        # weights of the whole catalogue, and a reviewed finding should come back only
        # when *its* evidence changes.
        if self.matched_name:
            out["matched_name"] = self.matched_name
        if self.shared_name_words:
            out["shared_name_words"] = list(self.shared_name_words)
        if self.acronym:
            out["acronym"] = self.acronym.upper()
        if self.shared_text_words:
            out["shared_description_words"] = list(self.shared_text_words[:12])
        if self.text_explained is not None:
            out["text_explained"] = round(self.text_explained, 2)
        if self.reference_code:
            out["reference_code"] = self.reference_code
        if self.data_codes:
            out["shared_data_codes"] = list(self.data_codes)
        if self.local.retired or self.local.status != "active":
            out["local_status"] = "retired" if self.local.retired else self.local.status
        # The legal reason: Pasal 37 for an Aplikasi Umum; for a mandatory system, the
        # regulation that makes it mandatory when the catalogue records one (Pasal 37
        # otherwise). Pasal 37 is always given as the general SPBE rule.
        regulation = (national.get("legal_basis") or "").strip()
        if national.get("national_role") != "aplikasi_umum" and regulation:
            out["legal_basis"] = regulation
            out["legal_basis_en"] = (
                f"The regulation that makes {national.name} mandatory: {regulation}"
            )
        else:
            out["legal_basis"], out["legal_basis_en"] = PASAL_37, PASAL_37_EN
        if regulation:
            out["national_regulation"] = regulation
        out["spbe_rule"], out["spbe_rule_en"] = PASAL_37, PASAL_37_EN
        return out


# Reading a string into words is a pure function of the string, and a national run reads
# the same names and texts (the national systems', "SIPADU", "Dinas Kesehatan"…) in
# hundreds of per-instansi snapshots: read once per process. Only stemming depends on the
# snapshot (its vocabulary), so it stays per snapshot.
_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_CACHE_SIZE)
def _words(text: str) -> list[str]:
    return words(text)


@lru_cache(maxsize=_CACHE_SIZE)
def _name_tokens(name: str) -> tuple[list[str], Any]:
    return informative(_words(name)), split_name(name)


@lru_cache(maxsize=_CACHE_SIZE)
def _text_tokens(text: str) -> list[str]:
    return content_words(text)


@lru_cache(maxsize=_CACHE_SIZE)
def _unit_tokens(name: str, short: str | None, own: bool) -> frozenset[str]:
    """Place words of one unit (or, ``own``, of the instansi's own name), unstemmed."""
    if own:
        # An instansi's own name ("Kota Surabaya") is read as PlaceWords reads it.
        return PlaceWords.build(name, (), _words).words
    return PlaceWords.build("", [(name, short)], _words).words


#: meN- / peN- drop the first consonant of a base word starting k, s, p or t before a
#: vowel ("mengelola", "pengelolaan": kelola; "menerima", "penerimaan": terima).
_NASAL = (("meng", "k"), ("peng", "k"), ("meny", "s"), ("peny", "s"), ("mem", "p"),
          ("pem", "p"), ("men", "t"), ("pen", "t"))  # fmt: skip
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=_CACHE_SIZE)
def _options(word: str) -> tuple[str, ...]:
    """The base words a word may come from: affix stripping (as
    :class:`~catalog.analysis.text.Stemmer` strips), and the base a nasal prefix hides."""
    found = list(_stem_options(word))
    if len(word) >= 6 and word[0] in "mp":
        bases = [word] + [word[: -len(s)] for s in SUFFIXES if word.endswith(s)]
        for base in bases:
            for prefix, first in _NASAL:
                rest = base[len(prefix) :]
                if base.startswith(prefix) and rest[:1] in _VOWELS and len(rest) >= 3:
                    found.append(first + rest)
    return tuple(dict.fromkeys(o for o in found if o != word))


class _Stem:
    """The stem of a word among the words a snapshot uses: the shortest base word the
    snapshot writes (as :class:`~catalog.analysis.text.Stemmer`), else the base word
    most of its words share.

    A base word nobody writes still joins the words formed from it: "menerima",
    "penerimaan" and "diterima" are one word, "mengelola" and "pengelolaan" another
    (what an application does is written with verbs in one text and nouns in the
    other).

    >>> stem = _Stem({"menerima", "penerimaan", "diterima", "pegawai", "kepegawaian"})
    >>> [stem("menerima"), stem("penerimaan"), stem("diterima"), stem("kepegawaian")]
    ['terima', 'terima', 'terima', 'pegawai']
    >>> stem = _Stem({"mengelola", "kelola"})
    >>> stem("mengelola")
    'kelola'
    """

    def __init__(self, vocabulary: set[str]) -> None:
        self.vocabulary = vocabulary
        support: Counter[str] = Counter()
        for w in vocabulary:
            options = _options(w)
            if options:  # most words are too short to carry an affix
                support.update(options)
        self.support = {o: n for o, n in support.items() if n >= 2 and o not in vocabulary}
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = self._stem(word)
        return found

    def _stem(self, word: str) -> str:
        options = _options(word)
        if not options:
            return word
        vocab = self.vocabulary
        best = word
        for option in options:
            # The shortest base word written wins; on a tie, the one without a prefix left
            # (affix stripping proposes those first).
            if len(option) < len(best) and option in vocab:
                best = option
        if best is not word:
            return best
        support = self.support
        rank: tuple[int, int] | None = None
        for option in options:
            n = support.get(option)
            # Else the base word most words share; on a tie, the shortest.
            if n is not None and (rank is None or (n, -len(option)) > rank):
                best, rank = option, (n, -len(option))
        return best


class _Reader:
    """Words of names and texts, each distinct string read once, stemmed against the
    vocabulary of the strings read."""

    def __init__(self, names: set[str], texts: set[str]) -> None:
        # The cached lists are shared: never changed in place.
        self.name_tokens = {n: _name_tokens(n) for n in names}
        self.text_tokens = {t: _text_tokens(t) for t in texts}
        vocabulary: set[str] = set()
        for tokens, _ in self.name_tokens.values():
            vocabulary.update(tokens)
        for tokens in self.text_tokens.values():
            vocabulary.update(tokens)
        self.stem = _Stem(vocabulary)
        self._names: dict[str, frozenset[str]] = {}
        self._texts: dict[str, frozenset[str]] = {}

    def name(self, text: str) -> frozenset[str]:
        found = self._names.get(text)
        if found is None:
            tokens, parts = self.name_tokens.get(text) or (informative(_words(text)), None)
            stems = {self.stem(w) for w in tokens}
            # "SIMPEG (Sistem …)": the acronym is a word of the name too.
            if parts is not None:
                stems.update(parts.acronyms)
            found = self._names[text] = frozenset(stems)
        return found

    def tokens(self, text: str) -> list[str]:
        """All words of a name (boilerplate included: "Mobile", "Android")."""
        return _words(text)

    def acronyms(self, text: str) -> tuple[str, ...]:
        entry = self.name_tokens.get(text)
        return (entry[1] if entry else _name_tokens(text)[1]).acronyms

    def text(self, text: str) -> frozenset[str]:
        found = self._texts.get(text)
        if found is None:
            tokens = self.text_tokens.get(text)
            if tokens is None:
                tokens = _text_tokens(text)
            found = self._texts[text] = frozenset(self.stem(w) for w in tokens)
        return found


def _name_strings(app: Item) -> Iterator[str]:
    attrs = app.attrs
    if app.name:
        yield app.name
    for alias in attrs.get("aliases") or ():
        if alias:
            yield alias
    acronym = attrs.get("acronym")
    if acronym:
        yield acronym


def _texts(app: Item) -> Iterator[str]:
    attrs = app.attrs
    for text in (app.description, attrs.get("function"), attrs.get("output")):
        if text:
            yield text


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


# Name words, acronyms, text words, function words: what a score depends on (with the
# data produced).
_Signature = tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]
_EMPTY: frozenset[str] = frozenset()


class OverlapFinder:
    """National profiles, the local applications' words, and the scores between them.

    A national catalogue repeats the same names and texts in hundreds of instansi, so
    each distinct set of words is scored once against its candidates (:meth:`matches`).
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        # One pass over the items (a national context holds thousands): the national
        # systems, the local applications and the national data sets.
        nationals: list[Item] = []
        locals_: list[Item] = []
        self._national_sets: list[Item] = []
        scope = snapshot.scope
        for a in snapshot.items.values():
            kind = a.kind
            if kind == APPLICATION:
                if a.retired:
                    continue
                role = a.attrs.get("national_role")
                if role in OVERLAP_ROLES:
                    nationals.append(a)
                elif role in (None, "none") and a.instansi_id in scope:
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

    # -- profiles -------------------------------------------------------------------------

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

    # -- scores ---------------------------------------------------------------------------

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
            _words(app.name)
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
    with _collector_paused():
        return OverlapFinder(snapshot).overlaps(threshold)


# -- rule -------------------------------------------------------------------------------

OVERLAP = rule(
    "national.overlap",
    "medium",
    "Aplikasi lokal mengerjakan tugas Aplikasi Umum / sistem nasional wajib",
    "Local application doing the job of an Aplikasi Umum / mandatory national system",
    why=(
        "Perpres 95/2018 Pasal 37 mewajibkan Instansi Pusat dan Pemerintah Daerah "
        "menggunakan Aplikasi Umum dan melarang membangun aplikasi sejenis tanpa penyesuaian "
        "proses bisnis, kajian biaya-manfaat dan pertimbangan Menteri PANRB; sistem nasional "
        "wajib (SIPD, SIASN, SPSE…) diwajibkan oleh regulasinya sendiri. Aplikasi lokal "
        "pengganti memboroskan anggaran dan memecah data nasional."
    ),
    why_en=(
        "Perpres 95/2018 Article 37 obliges central and regional governments to use the "
        "Aplikasi Umum and bars building a similar application without aligning the process, "
        "a cost-benefit study and the PANRB minister's consideration; mandatory national "
        "systems (SIPD, SIASN, SPSE…) are imposed by their own regulations. A local "
        "replacement wastes budget and splits national data."
    ),
    clear=(
        "Gunakan sistem nasional dan rencanakan penghentian aplikasi lokal, atau jadikan "
        "aplikasi lokal pendukung yang terintegrasi dengan sistem nasional (catat integrasinya) "
        "dan tandai temuan dengan alasan serta bukti kajian / pertimbangan Menteri. Bila item "
        "ini adalah pencatatan sistem nasional itu sendiri, hubungkan sebagai kanalnya "
        "(relasi channel_of)."
    ),
    clear_en=(
        "Use the national system and plan to retire the local application, or make the local "
        "application a supporting tool integrated with the national system (record the "
        "integration) and mark the finding with the reason and the study / minister's "
        "consideration as evidence. If the item records the national system itself, link it "
        "as its channel (a channel_of relation)."
    ),
)


def overlaps_of(context: Context) -> list[Overlap]:
    """The overlaps of a run's snapshot, found once and shared (the check, scorecards)."""
    cache = vars(context)
    if "_national_overlaps" not in cache:
        cache["_national_overlaps"] = find_overlaps(context.snapshot)
    return cache["_national_overlaps"]


@check(OVERLAP.id)
def check_overlaps(context: Context) -> Iterator[Finding]:
    for o in overlaps_of(context):
        national = o.national
        umum = national.get("national_role") == "aplikasi_umum"
        kind = "Aplikasi Umum" if umum else "sistem nasional wajib"
        kind_en = "Aplikasi Umum" if umum else "mandatory national system"
        message = (
            f"{o.local.name} ({o.local.code}) tampak mengerjakan tugas {kind} "
            f"{national.name} ({national.code})."
        )
        message_en = (
            f"{o.local.name} ({o.local.code}) appears to do the job of the {kind_en} "
            f"{national.name} ({national.code})."
        )
        yield OVERLAP.finding(
            [context.subject(o.local), context.subject(national)],
            message,
            message_en,
            evidence=o.evidence(),
            score=o.score,
            severity="high" if umum else "medium",
        )


__all__ = ["OVERLAP", "Overlap", "OverlapFinder", "find_overlaps", "overlaps_of"]
