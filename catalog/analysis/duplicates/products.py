"""Products: channels of one product (web, Android, iOS: a ``channel_of`` relation, or
the same owner and the same name plus "Mobile"/"Android") folded into it before any
pair is proposed.
"""

from __future__ import annotations

from collections import defaultdict

from catalog.analysis.duplicates.model import PRODUCT_SHARE, TEXT_CONFLICT
from catalog.analysis.duplicates.profiles import Profile
from catalog.analysis.duplicates.scoring import PairScorer
from catalog.analysis.snapshot import Item
from catalog.analysis.vocabulary import CHANNEL_WORDS


class ProductFinder(PairScorer):
    """The channel layer of :class:`~catalog.analysis.duplicates.matcher.Matcher`."""

    # Built by Matcher._build: the ``channel_of`` relations (channel id, product id) and
    # their targets; then channel profile index → product profile index.
    _channel_links: list[tuple[int, int]]
    _channel_targets: set[int]
    product_of: dict[int, int]

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
            if not (c.name_words | c.acronyms) - CHANNEL_WORDS and not (
                c.item.name and set(self._names[c.item.name][0]) - CHANNEL_WORDS
            ):
                continue  # only channel words: "Mobile App" names no product
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
        Informasi Pengaduan Terpadu") or carrying most of its weight, where the texts do
        not disagree. One common word is not a product: "Web Kecamatan Dajan Peken" is no
        channel of "SIMPATI (Sistem Informasi Pelayanan Terpadu Kecamatan)"."""
        mine = (a.name_words | a.acronyms) - CHANNEL_WORDS
        theirs = (b.name_words | b.acronyms) - CHANNEL_WORDS
        if not mine or not theirs:
            # Nothing left once place and unit words are gone ("Samsat Online" of the UPTD
            # Samsat): the names as written, channel words aside, must then be equal.
            written = [
                frozenset(self._names[p.item.name][0]) - CHANNEL_WORDS if p.item.name else None
                for p in (a, b)
            ]
            return bool(written[0]) and written[0] == written[1]
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
        if inside < PRODUCT_SHARE * whole:
            return False
        # Words inside another name are a product's only if the texts do not say two jobs:
        # "Website e-Sewaka Dharma" (village administration) is no channel of "Graha Sewaka
        # Dharma" (room booking), though the city's motto names both.
        if a.text_weight and b.text_weight:
            return self._text_similarity(a, b) >= TEXT_CONFLICT
        return True

    def _product_rank(self, i: int) -> tuple[int, int, int]:
        p = self.profiles[i]
        targeted = p.item.id in self._channel_targets
        return (0 if targeted else 1, 1 if (p.channel_words or _mobile(p.item)) else 0, i)


def _mobile(item: Item) -> bool:
    return (item.get("platform") or "").lower() in ("android", "ios", "mobile")
