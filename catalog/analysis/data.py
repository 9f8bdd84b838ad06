"""Data duplication: the same data subject produced by several units of one instansi.

Satu Data Indonesia (Perpres 39/2019) wants one authoritative producer per datum (*data
induk*) and data collected once (*once-only*). When two units each keep "Data Pegawai
Non-ASN", the instansi has two versions of the truth. ``data.duplicate`` groups an
instansi's live data sets that describe the same subject and are produced by more than one
unit.

How two data sets are judged the same subject:

1. **Name.** Lower-cased words without boilerplate (:data:`BOILERPLATE`: "data",
   "daftar", "rekapitulasi", "tahun"…, small words, years) and without the name of the
   unit that produces or owns it, nor the instansi's place name: "Data Pegawai Non-ASN
   Satpol PP" of the Satpol PP and "Daftar Pegawai Non-ASN" of the BKPSDM both become
   {pegawai, non, asn}. Equal word sets match; otherwise word sets with a Jaccard
   similarity of at least :data:`SIMILAR` match (found through prefix filtering on the
   rarest words, so the work grows with the number of data sets, not its square).
2. **Reference code.** When both carry a RAD code, the codes must share their level-2
   (urusan) node: "Statistik Sektoral" of the health office (RAD.04.01) is not the same
   subject as that of the education office (RAD.06.01), even through an uncoded third
   "Statistik Sektoral" (which then appears in both groups).
3. **Producers.** A group is reported only if its data sets have at least two different
   producing units (``producer_id``, else the owner; a data set with neither counts for
   none). A unit's yearly series ("… Tahun
   2023", "… Tahun 2024") is one data set per year, not a duplicate. Kelurahan and
   puskesmas count as units of their own: eight puskesmas each keeping their own visit
   register is the duplication the once-only principle targets.

This module keeps its own small normaliser: application names need acronym handling
(:mod:`catalog.analysis.text`); data set names do not.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from catalog.analysis.findings import Finding
from catalog.analysis.rules import Context, check, rule
from catalog.analysis.snapshot import Item, Snapshot

# Words that say nothing about the data subject.
BOILERPLATE = frozenset(
    [
        # what a data set is called rather than what it is about
        *("data", "daftar", "rekapitulasi", "rekap", "tahun", "tahunan", "informasi"),
        *("dokumen", "database", "basis", "kumpulan", "himpunan", "set", "dataset"),
        # small words
        *("dan", "di", "ke", "dari", "yang", "untuk", "per", "menurut", "serta", "atau"),
        *("pada", "oleh", "dengan", "dalam", "atas"),
        # government and place words
        *("kota", "kabupaten", "kab", "provinsi", "prov", "pemerintah", "pemda", "pemkot"),
        *("pemkab", "pemprov"),
    ]
)
SIMILAR = 0.8  # Jaccard similarity of two word sets that names the same subject
_WORD = re.compile(r"[a-z0-9]+")
_YEAR = re.compile(r"^(19|20)\d\d$")

DUPLICATE = rule(
    "data.duplicate",
    "medium",
    "Data yang sama diproduksi beberapa unit",
    "The same data produced by several units",
    why="Satu Data Indonesia (Perpres 39/2019) menetapkan satu produsen data untuk setiap "
    "data (data induk) dan pengumpulan sekali (once-only); data yang sama dikelola beberapa "
    "unit menimbulkan beda angka, biaya ganda dan beban isian bagi masyarakat.",
    why_en="Satu Data Indonesia (Perpres 39/2019) gives every datum one producer (master "
    "data) and collects it once; the same data kept by several units gives diverging "
    "figures, double cost and a double burden on citizens.",
    clear="Tetapkan satu unit produsen dan satu aplikasi berwenang; unit lain membaca data "
    "itu melalui SPL, lalu pensiunkan salinannya.",
    clear_en="Name one producing unit and one authoritative application; the others read "
    "the data through the SPL; then retire the copies.",
)


def words(text: str | None) -> list[str]:
    """Lower-case words of a text, punctuation dropped.

    >>> words("Data Pegawai Non-ASN (2023)")
    ['data', 'pegawai', 'non', 'asn', '2023']
    """
    return _WORD.findall(text.lower()) if text else []


def _spaced(tokens: Iterable[str]) -> str:
    """Words as one string with a space at both ends, so that a phrase is removed with a
    plain substring replacement (fast at national scale) and never matches inside a word."""
    return " " + " ".join(tokens) + " "


def strip_phrase(text: str, phrase: str) -> str:
    """A :func:`_spaced` text with every occurrence of a :func:`_spaced` phrase removed.

    >>> strip_phrase(" data pegawai satpol pp ", " satpol pp ")
    ' data pegawai '
    """
    if len(phrase) <= 2:
        return text
    while phrase in text:
        text = text.replace(phrase, " ")
    return text


def subject_words(name: str, phrases: Iterable[str] = ()) -> frozenset[str]:
    """The words of a data set name that say what the data is about, without the given
    phrases (unit and place names, as words or :func:`_spaced` strings).

    >>> sorted(subject_words("Data Pegawai Non-ASN Satpol PP", ["Satpol PP"]))
    ['asn', 'non', 'pegawai']
    >>> sorted(subject_words("Profil Kesehatan Daerah Tahun 2024"))
    ['daerah', 'kesehatan', 'profil']
    """
    text = _spaced(words(name))
    spaced = (p if p.startswith(" ") else _spaced(words(p)) for p in phrases)
    # Longest phrases first: "dinas kesehatan kota x" before "dinas kesehatan".
    for phrase in sorted(spaced, key=len, reverse=True):
        text = strip_phrase(text, phrase)
    return _informative(text)


@lru_cache(maxsize=65536)
def _informative(text: str) -> frozenset[str]:
    return frozenset(t for t in text.split() if t not in BOILERPLATE and not _YEAR.match(t))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """
    >>> jaccard(frozenset("abc"), frozenset("abd"))
    0.5
    """
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _urusan(code: str | None) -> str | None:
    """The level-2 RAD node of a code (``RAD.09.06.03`` → ``RAD.09.06``)."""
    if not code:
        return None
    parts = code.split(".")
    return ".".join(parts[:3]) if len(parts) >= 3 else None


@dataclass
class _Entry:
    item: Item
    words: frozenset[str]
    urusan: str | None
    producer: int | None


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _Names:
    """Unit and place names as :func:`_spaced` phrases, computed on first use."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.units: dict[int, tuple[str, ...]] = {}
        self.places: dict[int, tuple[str, ...]] = {}
        self.names: dict[str, str] = {}

    def name(self, name: str) -> str:
        found = self.names.get(name)
        if found is None:
            found = self.names[name] = _spaced(words(name))
        return found

    def unit(self, unit_id: int) -> tuple[str, ...]:
        found = self.units.get(unit_id)
        if found is None:
            unit = self.snapshot.units.get(unit_id)
            runs = [unit.name, unit.short_name] if unit else []
            found = self.units[unit_id] = tuple(self.name(r) for r in runs if r)
        return found

    def place(self, place_id: int) -> tuple[str, ...]:
        found = self.places.get(place_id)
        if found is None:
            place = self.snapshot.places.get(place_id)
            full = words(place.name) if place else []
            bare = [w for w in full if w not in ("kota", "kabupaten", "provinsi")]
            found = self.places[place_id] = tuple(_spaced(r) for r in (full, bare) if r)
        return found


@dataclass(frozen=True)
class Member:
    item: Item
    similarity: float  # best similarity to another member, 0..1
    words: frozenset[str]  # the subject words of its name


def duplicate_groups(source: Context | Snapshot) -> list[list[Member]]:
    """Groups of live data sets in scope naming the same subject with two or more
    producing units, each member with its best similarity to another member; ordered by
    instansi and first code.

    >>> from catalog.analysis.snapshot import Unit
    >>> s = Snapshot.build(
    ...     [Item("dataset", 1, "DS-1", "Data Pegawai Non-ASN", 9, owner_id=1),
    ...      Item("dataset", 2, "DS-2", "Daftar Pegawai Non-ASN Satpol PP", 9, owner_id=2),
    ...      Item("dataset", 3, "DS-3", "Data Pegawai ASN", 9, owner_id=2)],
    ...     units=[Unit(1, "01", "Badan Kepegawaian Daerah", 9),
    ...            Unit(2, "02", "Satuan Polisi Pamong Praja", 9, short_name="Satpol PP")],
    ... )
    >>> [[m.item.code for m in g] for g in duplicate_groups(s)]
    [['DS-1', 'DS-2']]
    """
    ctx = source if isinstance(source, Context) else Context(source)
    names = _Names(ctx.snapshot)
    by_instansi: dict[int, list[_Entry]] = defaultdict(list)
    urusan: dict[str | None, str | None] = {}
    for item in ctx.live_by_kind.get("dataset", ()):
        owner = item.owner_id
        producer = item.attrs.get("producer_id") or owner
        text = names.name(item.name)
        phrases = [p for p in names.place(item.instansi_id) if p in text]
        if producer is not None:
            phrases += [p for p in names.unit(producer) if p in text]
        if owner is not None and owner != producer:
            phrases += [p for p in names.unit(owner) if p in text]
        if phrases:
            for phrase in sorted(phrases, key=len, reverse=True):
                text = strip_phrase(text, phrase)
        found = _informative(text)
        if found:
            code = item.reference_code
            if code not in urusan:
                urusan[code] = _urusan(code)
            by_instansi[item.instansi_id].append(_Entry(item, found, urusan[code], producer))
    groups: list[list[Member]] = []
    for instansi_id in sorted(by_instansi):
        groups += _groups_of(by_instansi[instansi_id])
    return groups


def _compatible(a: _Entry, b: _Entry) -> bool:
    return a.urusan is None or b.urusan is None or a.urusan == b.urusan


def _groups_of(entries: list[_Entry]) -> list[list[Member]]:
    """Groups within one instansi (see :func:`duplicate_groups`)."""
    # Distinct word sets first: most data sets share theirs with nobody.
    by_words: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, entry in enumerate(entries):
        by_words[entry.words].append(i)
    uf = _UnionFind()
    best: dict[int, float] = {}

    def join(i: int, j: int, similarity: float) -> None:
        uf.union(i, j)
        best[i] = max(best.get(i, 0.0), similarity)
        best[j] = max(best.get(j, 0.0), similarity)

    for members in by_words.values():
        for pos, i in enumerate(members[:-1]):
            for j in members[pos + 1 :]:
                if _compatible(entries[i], entries[j]):
                    join(i, j, 1.0)
    # Near matches through prefix filtering: two word sets with Jaccard ≥ SIMILAR share at
    # least one word among the |x| - ceil(SIMILAR·|x|) + 1 rarest words of each. Sets that
    # short can only be that similar by being equal (|x| < 1 / (1 - SIMILAR)) are done.
    shortest = math.ceil(1 / (1 - SIMILAR) - 1e-9)
    keys = [ws for ws in by_words if len(ws) >= shortest]
    frequency = Counter(w for ws in keys for w in ws)
    rank = {w: (n, w) for w, n in frequency.items()}
    index: dict[str, list[int]] = defaultdict(list)
    for k, ws in enumerate(keys):
        ordered = sorted(ws, key=rank.__getitem__)
        prefix = len(ordered) - math.ceil(SIMILAR * len(ordered)) + 1
        candidates: set[int] = set()
        for w in ordered[:prefix]:
            candidates.update(index[w])
            index[w].append(k)
        for other in candidates:
            similarity = jaccard(ws, keys[other])
            if similarity < SIMILAR:
                continue
            for i in by_words[ws]:
                for j in by_words[keys[other]]:
                    if _compatible(entries[i], entries[j]):
                        join(i, j, similarity)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in best:
        clusters[uf.find(i)].append(i)
    out = []
    for component in clusters.values():
        for members in _by_urusan(component, entries):
            # A data set with no producer (nor owner) is no second producer: only a gap
            # in the record (coverage.dataset_without_producer).
            if len({entries[i].producer for i in members} - {None}) < 2:
                continue
            ordered = sorted(members, key=lambda i: entries[i].item.code)
            out.append([Member(entries[i].item, best[i], entries[i].words) for i in ordered])
    out.sort(key=lambda g: [m.item.code for m in g])
    return out


def _by_urusan(members: list[int], entries: list[_Entry]) -> list[list[int]]:
    """A group split by urusan: uncoded data sets match coded ones of any urusan, so
    "Statistik Sektoral" of the health office (RAD.04.01) and of the education office
    (RAD.06.01) could be chained through an uncoded third; each urusan is a group of its
    own, with the uncoded members in each (it cannot be told which they duplicate)."""
    coded: dict[str, list[int]] = defaultdict(list)
    uncoded: list[int] = []
    for i in members:
        urusan = entries[i].urusan
        if urusan is None:
            uncoded.append(i)
        else:
            coded[urusan].append(i)
    if len(coded) < 2:
        return [members]
    return [coded[u] + uncoded for u in sorted(coded)]


@check("data.duplicate")
def duplicate(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    producing: dict[int, list[int]] = defaultdict(list)
    for link in ctx.links_by_type.get("produces", ()):
        producing[link.target[1]].append(link.source[1])
    for group in duplicate_groups(ctx):
        items = [m.item for m in group]
        units = {}
        members = []
        for member in group:
            item = member.item
            producer = item.attrs.get("producer_id") or item.owner_id
            unit = snapshot.units.get(producer) if producer is not None else None
            if unit is not None:
                units[unit.id] = unit
            apps = sorted(
                {
                    snapshot.items[("application", a)].code
                    for a in producing.get(item.id, ())
                    if ("application", a) in snapshot.items
                }
            )
            members.append(
                {
                    "code": item.code,
                    "name": item.name,
                    "producer": unit.code if unit else None,
                    "reference_code": item.reference_code,
                    "applications": apps,
                    "similarity": round(member.similarity, 3),
                }
            )
        shared = sorted(frozenset.intersection(*(m.words for m in group)))
        master = any(i.attrs.get("is_master") or i.attrs.get("is_reference") for i in items)
        names = ", ".join(f"{u.name}" for u in sorted(units.values(), key=lambda u: u.code))
        score = sum(m.similarity for m in group) / len(group)
        yield DUPLICATE.finding(
            ctx.subjects(items),
            f"{len(items)} set data tentang '{' '.join(shared)}' diproduksi oleh "
            f"{len(units)} unit: {names}.",
            f"{len(items)} data sets about '{' '.join(shared)}' are produced by "
            f"{len(units)} units: {names}.",
            evidence={"subject": shared, "members": members, "master_data": master},
            score=score,
            severity="high" if master else None,
        )


__all__ = [
    "BOILERPLATE",
    "SIMILAR",
    "Member",
    "duplicate_groups",
    "jaccard",
    "subject_words",
    "words",
]
