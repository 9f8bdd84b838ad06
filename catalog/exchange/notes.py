"""Free-text integration notes ("sudah terintegrasi dengan SIAK") → proposed integrations.

Legacy inventories record integration only as prose. This matcher reads such a note and
names the catalogue applications it mentions, and nothing more clever than that, so that
every proposal can be explained in one sentence:

1. The note is cut into sentences (at ``.``, ``;``, ``!``, ``?`` followed by a space, and at
   line breaks), then into *clauses*, one per integration word (``integrasi``,
   ``terintegrasi``, ``diintegrasikan``, common misspellings such as ``terntegrasi``, and
   ``terhubung``/``terkoneksi``/``sinkronisasi``/``bridging``).
2. A clause whose integration word is negated (``belum``, ``tidak``, ``bukan``, ``tanpa``
   within three words before it, or right after it) says there is *no* integration and
   is skipped.
3. In the words after the integration word (up to the next one), the names and acronyms of
   known applications are looked up as whole words, ignoring case and punctuation
   (``e-Kinerja`` = ``e kinerja``). The longest name wins; when the same words name an
   application of the national catalogue and a row of the file, the national one wins.
   Names made only of generic words (``aplikasi``, ``sistem``, ``data``, ``web``…) and
   one-word names shorter than three letters are never looked up.
4. A clause that mentions nothing known, or whose words name several applications equally
   well, becomes a notice for a person to read; it never becomes an integration.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

_WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]+")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n+")
NEGATIONS = frozenset({"belum", "blm", "tidak", "tdk", "bukan", "tanpa", "noada"})
CUE_WORDS = frozenset(
    {
        "terhubung",
        "dihubungkan",
        "terkoneksi",
        "interkoneksi",
        "sinkron",
        "sinkronisasi",
        "tersinkronisasi",
        "bridging",
    }
)
# Words that make no name on their own: "Sistem Informasi", "Aplikasi Online", "Web".
GENERIC = frozenset(
    {
        "aplikasi",
        "app",
        "apps",
        "sistem",
        "system",
        "informasi",
        "info",
        "data",
        "database",
        "web",
        "website",
        "situs",
        "portal",
        "online",
        "daring",
        "mobile",
        "android",
        "ios",
        "e",
        "elektronik",
        "notifikasi",
        "layanan",
        "pelayanan",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "kota",
        "kabupaten",
        "provinsi",
        "pemerintah",
        "dinas",
        "badan",
    }
)


def words(text: str) -> list[str]:
    """Lower-case words, punctuation dropped.

    >>> words("e-Kinerja (BKN)!")
    ['e', 'kinerja', 'bkn']
    """
    return [w.lower() for w in _WORD.findall(text)]


def is_cue(word: str) -> bool:
    """An integration word, forgiving the usual typing slips.

    >>> [is_cue(w) for w in ("terintegrasi", "terntegrasi", "terintegarsi", "integrasi", "data")]
    [True, True, True, True, False]
    """
    return word.startswith("integ") or "tegras" in word or "tegars" in word or word in CUE_WORDS


def sentences(text: str) -> list[str]:
    """
    >>> sentences("Sudah terintegrasi dengan SIAK. Versi 1.0 di go.id;lalu\\nbaris baru")
    ['Sudah terintegrasi dengan SIAK.', 'Versi 1.0 di go.id;lalu', 'baris baru']
    """
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


@dataclass(frozen=True)
class Target:
    """An application a note may name."""

    ref: str  # what an exchange row writes: a local code, or INSTANSI/CODE
    label: str  # shown in names, descriptions and notices
    national: bool = False


@dataclass
class Clause:
    """What one clause of a note says."""

    sentence: str
    targets: list[Target] = field(default_factory=list)  # clear matches
    ambiguous: list[list[Target]] = field(default_factory=list)  # equally good candidates

    @property
    def unmatched(self) -> bool:
        return not self.targets


class Matcher:
    """Known application names, looked up as whole words.

    >>> m = Matcher()
    >>> siak = Target("KEMENDAGRI/SIAK", "SIAK Terpusat", national=True)
    >>> local = Target("APL-7", "Pusat Data Kota")
    >>> m.add(siak, "SIAK Terpusat", "SIAK")
    >>> m.add(local, "Pusat Data Kota", "Pusat Data")
    >>> [c.targets for c in m.read("Sudah terintegrasi dengan SIAK dan pusat data.")]
    [[Target(ref='KEMENDAGRI/SIAK', label='SIAK Terpusat', national=True), \
Target(ref='APL-7', label='Pusat Data Kota', national=False)]]
    >>> m.read("Belum terintegrasi dengan SIAK.")
    []
    >>> [c.unmatched for c in m.read("Terintegrasi dengan Data Center Diskominfo")]
    [True]
    """

    def __init__(self) -> None:
        self.names: dict[tuple[str, ...], set[Target]] = defaultdict(set)
        self.longest = 1

    def add(self, target: Target, *phrases: str | None) -> None:
        for phrase in phrases:
            key = tuple(words(phrase or ""))
            if not key or all(w in GENERIC for w in key):
                continue
            if len(key) == 1 and (len(key[0]) < 3 or key[0].isdigit()):
                continue
            self.names[key].add(target)
            self.longest = max(self.longest, len(key))

    def mentions(self, tokens: list[str], exclude: Iterable[Target] = ()) -> Clause:
        """The applications named in a run of words (longest names first)."""
        skip = set(exclude)
        spans: list[tuple[int, int, set[Target]]] = []
        for start in range(len(tokens)):
            for length in range(min(self.longest, len(tokens) - start), 0, -1):
                found = self.names.get(tuple(tokens[start : start + length]))
                if found:
                    spans.append((start, start + length, found - skip))
        spans.sort(key=lambda s: (s[0] - s[1], s[0]))
        taken: set[int] = set()
        chosen = []
        for start, end, found in spans:
            if not taken & set(range(start, end)):
                taken |= set(range(start, end))
                chosen.append((start, found))
        clause = Clause("")
        for _start, found in sorted(chosen, key=lambda c: c[0]):
            national = {t for t in found if t.national}
            best = national or found
            if len(best) == 1:
                target = next(iter(best))
                if target not in clause.targets:
                    clause.targets.append(target)
            elif best:
                clause.ambiguous.append(sorted(best, key=lambda t: t.ref))
        return clause

    def read(self, text: str, exclude: Iterable[Target] = ()) -> list[Clause]:
        """Every affirmative integration clause of a note, with what it names."""
        out: list[Clause] = []
        for sentence in sentences(text):
            tokens = words(sentence)
            cues = [i for i, w in enumerate(tokens) if is_cue(w)]
            for n, at in enumerate(cues):
                before = tokens[max(0, at - 3) : at]
                after = tokens[at + 1 : at + 2]
                if NEGATIONS & set(before + after):
                    continue
                end = cues[n + 1] if n + 1 < len(cues) else len(tokens)
                clause = self.mentions(tokens[at + 1 : end], exclude)
                clause.sentence = sentence
                out.append(clause)
        return out
