"""Normalising Indonesian government application names and descriptions for matching.

Real inventories name one job in many ways: "SIMPEG", "SIMPEG (Sistem Informasi Manajemen
Kepegawaian)", "e-Pegawai Kota Denpasar", "Sistem Informasi Kepegawaian Daerah". What they
share is hidden under boilerplate ("Sistem Informasi", "Aplikasi", "e-", "Online", the
place name), acronyms that may or may not carry their expansion, and Indonesian affixes
(*kepegawaian* / *pegawai*, *pelayanan* / *layanan*). The functions here strip all of that
down to the words that say what an application does, so that
:mod:`catalog.analysis.duplicates` and :mod:`catalog.analysis.national` can compare them.

Everything is pure and cheap; anything specific to one catalogue (place and unit names,
the vocabulary the stemmer checks against) is passed in, never hard-coded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from catalog.analysis.vocabulary import (
    BOILERPLATE,
    FUNCTION_WORDS,
    PLACE_UNIT_TYPES,
    PREFIXES,
    STOPWORDS,
    SUB_UNIT_WORDS,
    SUFFIXES,
)

_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[^\W_]+")  # a word as written, capitals kept
_MARKS = re.compile(r"[\u0300-\u036f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ODD = re.compile(r"[^a-z0-9()\[\]/:\-–—\s.]")
_PAREN = re.compile(r"^(?P<outer>[^()\[\]]*?)\s*[(\[](?P<inner>[^()\[\]]+)[)\]]\s*(?P<rest>.*)$")
_DASH = re.compile(r"^(?P<left>[^-–—:/]+?)\s[-–—:/]\s+(?P<right>.+)$")


def fold(text: str | None) -> str:
    """Lower case, accents and odd characters folded to ASCII.

    >>> fold("Denpasar’s  Integrated  Café")
    'denpasar s  integrated  cafe'
    """
    if not text:
        return ""
    if text.isascii():
        return _ODD.sub(" ", text.lower())
    # Accents go (café → cafe); other non-ASCII characters (curly quotes, mojibake)
    # become spaces so that they still separate words.
    decomposed = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return _ODD.sub(" ", _NON_ASCII.sub(" ", decomposed).lower())


def words(text: str | None) -> list[str]:
    """Lower-case ASCII words, in order. ``e-`` prefixes become the word ``e``.

    >>> words("e-Kinerja (Aplikasi Kinerja) v2.0")
    ['e', 'kinerja', 'aplikasi', 'kinerja', 'v2', '0']
    """
    return _WORD.findall(fold(text))


def informative(tokens: Iterable[str], extra_stop: frozenset[str] = frozenset()) -> list[str]:
    """Tokens of a name without boilerplate, place words and numbers.

    >>> informative(words("Sistem Informasi Kepegawaian Kota Denpasar"), frozenset({"denpasar"}))
    ['kepegawaian']
    """
    return [
        t
        for t in tokens
        if len(t) > 1 and not t.isdigit() and t not in BOILERPLATE and t not in extra_stop
    ]


def content_words(text: str | None, extra_stop: frozenset[str] = frozenset()) -> list[str]:
    """Meaningful words of a description or function text.

    >>> content_words("Aplikasi untuk pelayanan surat keterangan di kelurahan")
    ['pelayanan', 'surat', 'keterangan', 'kelurahan']
    """
    return [
        t
        for t in words(text)
        if len(t) > 2 and not t.isdigit() and t not in STOPWORDS and t not in extra_stop
    ]


#: Words of application names and descriptions that mean the same job, mapped to one of
#: them: synonyms (presensi, kehadiran: absensi) and the standard and common spellings
#: (antrean: antrian; perijinan: perizinan). Only words that name the same thing in every
#: government context belong here.
SYNONYMS = {
    "presensi": "absensi",
    "kehadiran": "absensi",
    "absen": "absensi",
    "antrean": "antrian",
    "antri": "antrian",
    "aduan": "pengaduan",
    "keluhan": "pengaduan",
    "ijin": "izin",
    "perijinan": "perizinan",
}


class Stemmer:
    """A light Indonesian stemmer that only accepts a stem the catalogue itself uses.

    Affix stripping alone turns *pemantauan* into *antau* and *perencanaan* into
    *encana*; checking each candidate against the vocabulary of the catalogue being
    analysed (as dictionary-based Indonesian stemmers do) keeps the real base word.

    >>> s = Stemmer({"pegawai", "layanan", "rencana", "izin", "surat"})
    >>> [s("kepegawaian"), s("pelayanan"), s("perencanaan"), s("perizinan"), s("kinerja")]
    ['pegawai', 'layanan', 'rencana', 'izin', 'kinerja']
    """

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(vocabulary)
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        found = self._cache.get(word)
        if found is None:
            # Synonyms and spelling variants meet on one word before and after stemming
            # (presensi and absensi, antrean and antrian, aduan and pengaduan).
            base = self._stem(SYNONYMS.get(word, word))
            found = self._cache[word] = SYNONYMS.get(base, base)
        return found

    def _stem(self, word: str) -> str:
        vocab = self.vocabulary
        best = word
        for option in _stem_options(word):
            # The shortest base word wins; on a tie, the one without a prefix left.
            if len(option) < len(best) and option in vocab:
                best = option
        return best


@lru_cache(maxsize=200_000)
def _stem_options(word: str) -> tuple[str, ...]:
    """The base words affix stripping proposes for a word, in order of preference. Shared
    by every :class:`Stemmer`: a national run builds one stemmer per instansi over
    mostly the same words, and only the vocabulary check differs between them."""
    if len(word) < 6 or word.isdigit():
        return ()
    bases = [word] + [word[: -len(s)] for s in SUFFIXES if word.endswith(s)]
    return tuple(
        option
        for base in bases
        for option in [base] + [base[len(p) :] for p in PREFIXES if base.startswith(p)]
        if option != word and len(option) >= 4
    )


def acronym_key(text: str | None) -> str:
    """An acronym as a comparable key: lower case, letters and digits only.

    >>> acronym_key("SP4N-LAPOR!"), acronym_key("SIM HP")
    ('sp4nlapor', 'simhp')
    """
    return "".join(_WORD.findall(fold(text)))


def _looks_like_acronym(part: str) -> bool:
    tokens = words(part)
    if not tokens or len(tokens) > 2:
        return False
    raw = part.strip()
    letters = [c for c in raw if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    joined = "".join(tokens)
    # SIMPEG, SiCantik, e-SAKIP, SIM HP: short, one or two words, mostly capitals or one
    # run-together word.
    return 2 <= len(joined) <= 14 and (upper >= max(2, len(letters) // 2) or len(tokens) == 1)


def _among_boilerplate(text: str) -> str | None:
    """The acronym of a name that is one acronym among boilerplate ("SKP Online", "PPDB
    Daring", "e-SKP"): its letters are all the name says, as a lone acronym's are.

    >>> _among_boilerplate("SKP Online"), _among_boilerplate("SMS Gateway")
    ('skp', None)
    >>> _among_boilerplate("e-Kinerja")
    """
    kept = [t for t in _TOKEN.findall(text) if fold(t) not in BOILERPLATE]
    if len(kept) != 1:
        return None
    capitals = sum(1 for c in kept[0] if c.isupper())
    return acronym_key(kept[0]) if capitals >= max(2, (len(kept[0]) + 1) // 2) else None


@dataclass(frozen=True)
class NameParts:
    """What a name says: its acronyms and their expansions, and the full text."""

    text: str
    acronyms: tuple[str, ...] = ()
    expansions: tuple[str, ...] = ()


def split_name(name: str | None) -> NameParts:
    """Acronym and expansion of names written "ACR (Expansion)", "Expansion (ACR)",
    "ACR - Expansion" or a lone acronym.

    >>> parts = split_name("SIMPEG (Sistem Informasi Manajemen Kepegawaian)")
    >>> parts.acronyms, parts.expansions
    (('simpeg',), ('Sistem Informasi Manajemen Kepegawaian',))
    >>> split_name("Tata Naskah Dinas Elektronik (TNDE)").acronyms
    ('tnde',)
    >>> split_name("SIKEL - Sistem Informasi Kelurahan").expansions
    ('Sistem Informasi Kelurahan',)
    >>> split_name("Absensi Online").acronyms
    ()
    >>> split_name("TEPRA").acronyms
    ('tepra',)
    """
    text = (name or "").strip()
    acronyms: list[str] = []
    expansions: list[str] = []
    parts: tuple[str, str] | None = None
    match = _PAREN.match(text) if ("(" in text or "[" in text) else None
    if match and match.group("outer").strip():
        parts = (match.group("outer") + " " + match.group("rest"), match.group("inner"))
    elif any(c in text for c in "-–—:/"):
        dash = _DASH.match(text)
        if dash:
            parts = (dash.group("left"), dash.group("right"))
    if parts:
        left, right = (p.strip() for p in parts)
        if _looks_like_acronym(left) and len(words(right)) >= 2:
            acronyms.append(acronym_key(left))
            expansions.append(right)
        elif _looks_like_acronym(right) and len(words(left)) >= 2:
            acronyms.append(acronym_key(right))
            expansions.append(left)
        else:
            expansions.append(right)
    elif len(words(text)) == 1 and _looks_like_acronym(text):
        acronyms.append(acronym_key(text))
    elif lone := _among_boilerplate(text):
        acronyms.append(lone)
    return NameParts(text, tuple(a for a in acronyms if a), tuple(expansions))


# Reading a string into words is a pure function of the string, and a national run reads
# the same names and texts ("e-Kelurahan", "Dinas Kesehatan", the national systems') in
# hundreds of per-instansi snapshots, with the duplicate matcher and the overlap finder
# alike: read once per process. The results are shared: never change them in place.
_READ_CACHE = 1 << 16


@lru_cache(maxsize=_READ_CACHE)
def read_words(text: str) -> list[str]:
    """:func:`words`, cached per process."""
    return words(text)


@lru_cache(maxsize=_READ_CACHE)
def read_content_words(text: str) -> list[str]:
    """:func:`content_words`, cached per process."""
    return content_words(text)


@lru_cache(maxsize=_READ_CACHE)
def read_name(name: str) -> NameParts:
    """:func:`split_name`, cached per process."""
    return split_name(name)


def acronym_fits(acronym: str, expansion_words: list[str], stem: Stemmer | None = None) -> bool:
    """Whether an acronym can be read off an expansion: each letter run comes from the
    start of a word (or of its stem), in order; boilerplate words ("sistem", "dan") may
    be skipped, informative ones may not.

    >>> acronym_fits("simpeg", words("Sistem Informasi Manajemen Pegawai"))
    True
    >>> acronym_fits("simpeg", words("Sistem Informasi Manajemen Keuangan"))
    False
    >>> acronym_fits("sikel", words("Sistem Informasi Kelurahan"))
    True
    """
    acr = acronym[1:] if acronym.startswith("e") and len(acronym) > 4 else acronym
    if len(acr) < 3 or not expansion_words:
        return False
    forms: list[tuple[str, ...]] = []
    must: list[bool] = []
    for w in expansion_words:
        if w.isdigit():
            continue
        # Function words ("dan", "untuk") lend no letters; informative words must.
        forms.append(() if w in FUNCTION_WORDS else tuple({w, stem(w) if stem else w}))
        must.append(w not in BOILERPLATE)
    n, m = len(forms), len(acr)
    # reach[j] = acronym positions that can be reached having used the first j words.
    reach: list[set[int]] = [set() for _ in range(n + 1)]
    reach[0].add(0)
    for j in range(n):
        for i in reach[j]:
            if not must[j]:
                reach[j + 1].add(i)
            for form in forms[j]:
                k = 0
                while i + k < m and k < len(form) and form[k] == acr[i + k]:
                    k += 1
                    reach[j + 1].add(i + k)
    return m in reach[n]


@dataclass
class PlaceWords:
    """Words that name places or units in one instansi: its own name, its kelurahan,
    kecamatan, puskesmas and hospitals, and the abbreviations units go by ("Dinkes",
    "BKPSDM"). Noise in an application name: "Aplikasi SPPD Dinkes" is the SPPD
    application, whoever owns it.

    >>> pw = PlaceWords.build(
    ...     "Pemerintah Kota Denpasar",
    ...     [("Kelurahan Dangin Puri", None), ("Dinas Kesehatan", "Dinkes"),
    ...      ("Perusahaan Daerah Pasar", "PD Pasar")],
    ... )
    >>> sorted(pw.words)
    ['dangin', 'denpasar', 'dinkes', 'pd', 'puri']
    >>> sorted(PlaceWords.build("Kota X", [("Bidang Pengelolaan Barang", "Bid. Aset")]).words)
    []
    """

    words: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls,
        instansi_name: str,
        units: Iterable[tuple[str, str | None]],
        split: Callable[[str], list[str]] | None = None,
    ) -> PlaceWords:
        split = split or words
        found = set(informative(split(instansi_name)))
        named = [(split(name), split(short) if short else []) for name, short in units]
        spelled = {t for tokens, _ in named for t in tokens}
        for tokens, short in named:
            for i, token in enumerate(tokens):
                if token in PLACE_UNIT_TYPES:
                    found.update(t for t in tokens[i + 1 :] if t not in PLACE_UNIT_TYPES)
                    break
            # Only the made-up parts of a short name ("PD Pasar" keeps "pasar"; "Bid.
            # Aset" keeps "aset", a word the Badan Pengelolaan Keuangan dan Aset Daerah
            # spells out), and none of a bidang's or bagian's: "Bid. SD", "Bid.
            # PBB-BPHTB" name the sub-unit's subject, which applications are about.
            if short and short[0] not in SUB_UNIT_WORDS:
                found.update(t for t in short if t not in spelled)
        return cls(frozenset(t for t in found if t not in BOILERPLATE and len(t) > 1))


__all__ = [
    "NameParts",
    "PlaceWords",
    "Stemmer",
    "acronym_fits",
    "acronym_key",
    "content_words",
    "fold",
    "informative",
    "read_content_words",
    "read_name",
    "read_words",
    "split_name",
    "words",
]
