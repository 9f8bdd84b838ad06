"""The matcher of a snapshot (built once, shared by the checks of a run), the duplicate
clusters of a snapshot, and the registration-time check: the existing applications that
look like a draft.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from catalog.analysis.collector import collector_paused
from catalog.analysis.duplicates.acronyms import _spells
from catalog.analysis.duplicates.clustering import Cluster, Clusterer
from catalog.analysis.duplicates.model import THRESHOLD
from catalog.analysis.duplicates.profiles import (
    APPLICATION,
    Profile,
    _links_of,
    _NameInfo,
    _place_words,
)
from catalog.analysis.duplicates.scoring import PairScore
from catalog.analysis.national_use import records_for
from catalog.analysis.snapshot import Item, Snapshot, per_snapshot
from catalog.analysis.text import Stemmer, read_content_words
from catalog.analysis.vocabulary import CAPABILITY_WORDS, PLACE_UNIT_TYPES, SITE_WORDS

# The fields of a draft (registration form, API) that the matcher reads besides the name.
_DRAFT_ATTRS = ("acronym", "function", "output", "aliases", "url", "platform")


class Matcher(Clusterer):
    """Profiles, weights and the candidate index of a snapshot's applications.

    Build once per snapshot (:func:`matcher_for` caches it) and ask for duplicate pairs,
    clusters or the candidates of a draft. Its methods come in layers, one module each
    (profiles, acronyms, scoring, products, candidates, clustering), each using only the
    ones below it; this last one builds them and judges a draft being registered.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        with collector_paused():
            self._build(snapshot)

    def _build(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        # Retired applications (retired, or with the status "dihentikan") do no job any
        # more; inactive ones are kept: still registered, still a copy to clean up. Rows
        # that record a national system in use are not local builds (national_use).
        used = records_for(snapshot)
        apps = [
            i
            for i in snapshot.of_kind(APPLICATION)
            if not i.retired
            and i.status != "retired"
            and i.get("national_role") in (None, "none")
            and i.id not in used
        ]
        self.items = apps
        self._links, self._channel_links = _links_of(snapshot, {a.id for a in apps})
        self._channel_targets = {target for _, target in self._channel_links}
        self._fit_cache: dict[tuple[str, tuple[str, ...]], bool] = {}
        self._explained_cache: dict[int, bool] = {}
        # (instansi, acronym) → the name words of the applications that spell it out.
        self._spelled_out: dict[tuple[int, str], frozenset[str]] = {}
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
                    self._texts[text] = tuple(read_content_words(text))
        vocabulary: set[str] = set()
        for info in self._names.values():
            vocabulary.update(info[0])
        for found in self._texts.values():
            vocabulary.update(found)
        self.stemmer = Stemmer(vocabulary)
        stems = {w: self.stemmer(w) for w in vocabulary}
        self.capabilities = frozenset(self.stemmer(w) for w in CAPABILITY_WORDS)
        self.unit_types = frozenset(self.stemmer(w) for w in PLACE_UNIT_TYPES)
        self.site_words = frozenset(self.stemmer(w) for w in SITE_WORDS)
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
        """Existing applications of the instansi that look like the draft, best first.
        One registered under the very same name comes first whatever its score: a name
        made only of generic words and the unit's ("Sistem Informasi Diskominfo") says
        nothing to the model, but the person typing it should see it is taken."""
        draft = self.draft_profile(fields, instansi_id)
        keys = set(self._block_keys(draft))
        exclude = fields.get("id")
        name = self._words(draft.item.name)
        found: list[tuple[Item, PairScore]] = []
        for p in self.profiles:
            if p.item.instansi_id != instansi_id or p.item.id == exclude:
                continue
            if p.index in self.product_of:
                continue
            same = self._words(p.item.name) == name
            if not same and keys.isdisjoint(self._block_keys(p)) and not _spells(draft, p):
                continue
            s = self.score(draft, p, lenient=True)
            if same:
                found.append((p.item, replace(s, same_name=True)))
            elif s.score >= minimum:
                found.append((p.item, s))
        found.sort(key=lambda x: (not x[1].same_name, -x[1].score, x[0].name))
        return found[:limit]


@per_snapshot
def matcher_for(snapshot: Snapshot) -> Matcher:
    """The matcher of a snapshot, built once and shared by the checks of one run."""
    return Matcher(snapshot)


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
