"""Candidates: within each instansi, an inverted index from informative features to
applications proposes the pairs worth scoring (blocking), so that scoring stays well
below quadratic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from catalog.analysis.duplicates.model import (
    MAX_POSTING,
    MAX_SPELL_POSTING,
    TEXT_BLOCK_MIN,
    TEXT_BLOCK_SHARE,
    TEXT_BLOCK_WORDS,
)
from catalog.analysis.duplicates.products import ProductFinder
from catalog.analysis.duplicates.profiles import Profile


class CandidateIndex(ProductFinder):
    """The blocking layer of :class:`~catalog.analysis.duplicates.matcher.Matcher`."""

    def _block_keys(self, p: Profile, text: bool = True) -> Iterator[tuple[str, str]]:
        for w in p.name_words:
            yield "name", w
        for a in p.acronyms:
            yield "name", "acr:" + a
        if p.site:
            yield "name", "site:"
        for kind in p.villages:
            yield "name", "village:" + kind
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
