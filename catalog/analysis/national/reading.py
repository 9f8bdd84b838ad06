"""Reading names and texts into words, each distinct string once per process, and the
stem of a word among the words a snapshot uses (verb and noun forms of one base word are
one word).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from catalog.analysis.snapshot import Item
from catalog.analysis.text import (
    PlaceWords,
    _stem_options,
    informative,
    read_content_words,
    read_name,
    read_words,
)
from catalog.analysis.vocabulary import SUFFIXES

# Strings are read once per process (see text.read_words); only stemming depends on the
# snapshot (its vocabulary), so it stays per snapshot.
_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_CACHE_SIZE)
def _name_tokens(name: str) -> tuple[list[str], Any]:
    return informative(read_words(name)), read_name(name)


@lru_cache(maxsize=_CACHE_SIZE)
def _unit_tokens(name: str, short: str | None, own: bool) -> frozenset[str]:
    """Place words of one unit (or, ``own``, of the instansi's own name), unstemmed."""
    if own:
        # An instansi's own name ("Kota Surabaya") is read as PlaceWords reads it.
        return PlaceWords.build(name, (), read_words).words
    return PlaceWords.build("", [(name, short)], read_words).words


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
        self.text_tokens = {t: read_content_words(t) for t in texts}
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
            tokens, parts = self.name_tokens.get(text) or (informative(read_words(text)), None)
            stems = {self.stem(w) for w in tokens}
            # "SIMPEG (Sistem …)": the acronym is a word of the name too.
            if parts is not None:
                stems.update(parts.acronyms)
            found = self._names[text] = frozenset(stems)
        return found

    def tokens(self, text: str) -> list[str]:
        """All words of a name (boilerplate included: "Mobile", "Android")."""
        return read_words(text)

    def acronyms(self, text: str) -> tuple[str, ...]:
        entry = self.name_tokens.get(text)
        return (entry[1] if entry else _name_tokens(text)[1]).acronyms

    def text(self, text: str) -> frozenset[str]:
        found = self._texts.get(text)
        if found is None:
            tokens = self.text_tokens.get(text)
            if tokens is None:
                tokens = read_content_words(text)
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
