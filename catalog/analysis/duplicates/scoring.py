"""Scores: how alike two applications are (the pair model over name, text and link
overlaps, an acronym read off the other name, look-alikes held apart), with the evidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from catalog.analysis.duplicates.acronyms import AcronymReader, _expansions_disagree
from catalog.analysis.duplicates.model import (
    CONTAINMENT,
    CONTAINMENT_MASS,
    FEATURES,
    LINK_WITNESS,
    SPELLED_TEXT,
    TEMPLATE_FRAME,
    TEMPLATE_SLOT,
    TEXT_CONFLICT,
    THRESHOLD_FLOOR,
    TOLD_SHARE,
    VETO_CAP,
    VILLAGE_JOB_SCORE,
    _probability,
    _with_expansion,
)
from catalog.analysis.duplicates.profiles import Profile
from catalog.analysis.vocabulary import BOILERPLATE, TECHNOLOGY_WORDS

_UNSUPPORTED = FEATURES.index("acronym_unsupported")


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
    # The shared capability the names say ("sms", "gateway"; "website" for two units'
    # websites): why two differently described applications are one job.
    capability: tuple[str, ...] = ()
    # A draft named exactly as an existing application (registration-time check only).
    same_name: bool = False
    # The kinds of village unit both say they administer ("kelurahan"): one job stated.
    villages: tuple[str, ...] = ()

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
        if self.same_name:
            out["same_name"] = True
        if self.text is not None:
            out["text_similarity"] = round(self.text, 3)
        if self.shared_words:
            out["shared_name_words"] = list(self.shared_words)
        if self.acronym:
            out["acronym"] = self.acronym.upper()
        if self.acronym_expansion:
            out["acronym_expansion"] = self.acronym_expansion
        if self.capability:
            out["shared_capability"] = list(self.capability)
        if self.villages:
            out["shared_village_administration"] = list(self.villages)
        if self.shared_text:
            out["shared_description_words"] = list(self.shared_text[:12])
        for family, values in self.shared.items():
            if values:
                out[f"shared_{family}"] = list(values)
        return out


class PairScorer(AcronymReader):
    """The scoring layer of :class:`~catalog.analysis.duplicates.matcher.Matcher`."""

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
            capability=self._capability(a, b),
            villages=tuple(sorted(a.villages & b.villages)),
        )

    def _capability(self, a: Profile, b: Profile) -> tuple[str, ...]:
        """The capability two names share, as the evidence names it."""
        found = (a.name_words - a.acronyms) & (b.name_words - b.acronyms) & self.capabilities
        if found:
            return tuple(sorted(found))
        return ("website",) if a.site and b.site and not (a.name_words & b.name_words) else ()

    def _compare(
        self, a: Profile, b: Profile, threshold: float, *, lenient: bool = False
    ) -> tuple[float, float, float | None, str | None, str | None, dict[str, float]]:
        """Similarity (0..1) and its parts: name, text, the acronym spelled out by the
        other name, the reason the pair looks like a look-alike, the link overlaps."""
        x, name, text, conflict, link_sims, _ = self._measure(a, b)
        expansion = None
        if a.acronyms & b.acronyms and name < 1.0:
            expansion = self._told(a, b)
            if expansion:
                x, name = self._read_as(x, 1.0, text), 1.0
        total = _probability(x)
        # Reading an acronym off the other's expansion is the costly part: only when it
        # could lift the pair over the threshold, the name read as spelled out at best.
        # (Only a reading that the descriptions allow, see _spelled_name, counts at all:
        # an undescribed "SIMPEG" is no cluster member on its letters alone.)
        if name < 1.0 and not (a.acronyms & b.acronyms) and (a.acronyms or b.acronyms):
            readings = [(self._spelled_name(a, b, lenient), a, b)]
            readings.append((self._spelled_name(b, a, lenient), b, a))
            best = max(spelled for spelled, _, _ in readings)
            could = _probability(self._read_as(x, best, text)) if best > 0 else 0.0
            if could >= threshold and could > total:
                for spelled, mine, theirs in readings:
                    expansion = self._fits(mine, theirs) if spelled > 0 else None
                    if expansion:
                        name = max(name, spelled)
                        total = _probability(self._read_as(x, name, text))
                        break
        if conflict == "template_objects_differ" and name == 0.0:
            # Formulaic descriptions differ in the one word that matters; with nothing
            # else in common (no name, no link) they do not make a duplicate.
            total = min(total, VETO_CAP)
        elif x[_UNSUPPORTED] and not expansion and not self._witnessed(link_sims):
            # The names share a bare acronym and nothing else says it is one job (no text,
            # service, host or data in common): "SIMADE" names three unrelated systems in
            # Denpasar. The model alone would let the name carry such a pair whenever a
            # description is missing.
            total = min(total, VETO_CAP)
        elif a.villages & b.villages:
            # Both say they run the administration of the same kind of village unit: one
            # job, though a brand ("e-Sewaka Dharma") and a vendor's acronyms share no
            # word, and a city-wide description shares few with a kelurahan's one line.
            total = max(total, VILLAGE_JOB_SCORE)
        return total, name, text, expansion, conflict, link_sims

    @staticmethod
    def _witnessed(link_sims: dict[str, float]) -> bool:
        """Whether the catalogue links two applications to the same things enough to say
        they do one job: a shared service or host, or data sets mostly in common (one
        data set among many, as every personnel system reads the staff list, is not).
        A shared reference code never is: it names a kind of application."""
        return any(
            family != "code" and (family != "data" or similarity >= LINK_WITNESS)
            for family, similarity in link_sims.items()
        )

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
        if a.acronyms & b.acronyms:
            return self._read_as(x, 1.0, text) if name < 1.0 and self._told(a, b) else x
        for mine, theirs in ((a, b), (b, a)):
            spelled = self._spelled_name(mine, theirs)
            if spelled > 0 and self._fits(mine, theirs):
                return self._read_as(x, max(name, spelled), text)
        return x

    def _told(self, a: Profile, b: Profile) -> str | None:
        """A shared acronym that one name spells out and the other, the bare acronym,
        describes in the same words: "SIPADU" described as "meneruskan pengaduan
        masyarakat" next to "SIPADU (Sistem Informasi Pengaduan Terpadu)". The
        expansion's words, else None (an undescribed "SIMADE" confirms nothing). The
        description must say most of what the expansion weighs: "SIMADE" taking down
        "pendataan kelompok tani" shares only the common "data" with "Sistem Informasi
        Manajemen Data Kelurahan", which is not telling the kelurahan system."""
        idf = self.idf
        for bare, full in ((a, b), (b, a)):
            if bare.expansions or not full.expansions or not bare.text_words:
                continue
            if bare.name_words - bare.acronyms:
                continue  # not the acronym alone
            for words in full.expansions:
                told = {self.stemmer(w) for w in words if w not in BOILERPLATE}
                said = sum([idf.get(w, 0.0) for w in told & bare.text_words])
                if said and said >= TOLD_SHARE * sum([idf.get(w, 0.0) for w in told]):
                    return " ".join(words)
        return None

    def _read_as(self, x: list[float], name: float, text: float | None) -> list[float]:
        """The features with an acronym read as the other's name (similarity ``name``).
        Where that makes the names the same words, they are as the same name written
        twice (``name_same`` 1): the acronym's letters read off those words one by one,
        which a name sharing a common word ("Data") does not."""
        return _with_expansion(x, name, text, 1.0 if name >= 1.0 else 0.0)

    def _measure(
        self, a: Profile, b: Profile
    ) -> tuple[list[float], float, float | None, str | None, dict[str, float], frozenset[str]]:
        idf = self.idf
        shared_words = a.name_words & b.name_words
        name = 0.0
        if shared_words and not shared_words <= TECHNOLOGY_WORDS:
            name = self._name_similarity(a.name_words, b.name_words, (a.name_weight, b.name_weight))
        # What the names say the application does, read without their acronyms: "Sistem
        # Antrian Terpadu (PATEN)" and "Antrian Online (Akuwaras)" are both queueing
        # systems; the acronym names the product or the unit, not the job.
        plain = same = capability = 0.0
        if name:
            mine, theirs = a.name_words - a.acronyms, b.name_words - b.acronyms
            if a.acronyms or b.acronyms:
                if not (mine & theirs) <= TECHNOLOGY_WORDS:
                    plain = self._name_similarity(mine, theirs)
            else:
                plain = name
            # The same words, not one word inside a longer name ("Lapor" in "Sistem
            # Informasi Pelaporan Elektronik"): three "SMS Gateway" of three units. How
            # much that says grows with the words' weight ("Data" alone says little).
            if plain and mine == theirs:
                same = min(1.0, sum([idf.get(w, 0.0) for w in mine]) / CONTAINMENT_MASS)
            if mine & theirs & self.capabilities:
                capability = 1.0
        elif a.site and b.site:
            capability = 1.0  # two units' websites
        text = self._text_similarity(a, b) if a.text_weight and b.text_weight else None
        link_sims: dict[str, float] = {}
        for family, mine in a.links.items():
            theirs = b.links.get(family)
            if not theirs:
                continue
            common = mine & theirs
            if common:
                w_common = sum([idf.get(v, 0.0) for v in common])
                w_all = a.link_weight[family] + b.link_weight[family] - w_common
                link_sims[family] = w_common / w_all if w_all > 0 else 0.0

        conflict = None
        acronym_only = bool(shared_words) and not (shared_words - a.acronyms - b.acronyms)
        unsupported = 0.0
        differ = 0.0
        if acronym_only:
            if _expansions_disagree(a, b, shared_words, self.stemmer):
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
        elif text is not None and not shared_words and not link_sims and self._template(a, b):
            conflict = conflict or "template_objects_differ"
        x = [
            name,
            plain,
            same,
            name * (1.0 - text) if text is not None else 0.0,
            capability,
            text if text is not None else 0.0,
            text * text if text is not None else 0.0,
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

    def _template(self, a: Profile, b: Profile) -> bool:
        """One sentence with a different object each: "Mengolah, mencatat, dan menyimpan
        data keuangan OPD" and "… data keuangan desa", "Mengelola data wajib pajak parkir"
        and "… wajib pajak reklame". The descriptions start with the same words and end in
        a few words of their own (two wordings of one job differ all along)."""
        texts = [self._texts.get(p.item.description or "") for p in (a, b)]
        if not texts[0] or not texts[1]:
            return False
        mine, theirs = ([self.stemmer(w) for w in t] for t in texts)
        frame = 0
        for x, y in zip(mine, theirs, strict=False):
            if x != y:
                break
            frame += 1
        rest = (len(mine) - frame, len(theirs) - frame)
        return frame >= TEMPLATE_FRAME and all(0 < n <= TEMPLATE_SLOT for n in rest)
