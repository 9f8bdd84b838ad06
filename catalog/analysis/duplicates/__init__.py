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
   Kelurahan, not Keluarga). Some jobs are told by what the names say rather than by
   shared words: a capability (three units' "SMS Gateway"), a unit's website, and the
   administration of desa or kelurahan (a kelurahan's "Sistem Informasi Kelurahan X"
   next to a city-wide brand whose description says it runs every kelurahan's
   administration). Channels of one product (web, Android, iOS:
   a ``channel_of`` relation, or the same owner and the same name plus "Mobile"/"Android")
   are folded into one product first. Pairs above the threshold form clusters; an edge that
   is weak and closes no triangle cannot chain two groups together, nor hang on a group an
   application that looks little like the rest of it.

:func:`find_duplicates` returns the clusters; :func:`candidates_for` ranks the existing
applications that look like a draft being registered; the checks turn clusters into
findings of ``duplicate.application`` (different units) and ``duplicate.same_unit`` (one
unit twice).

One module per concept, each using only those listed before it:

- :mod:`~.model`: the pair model (:data:`FEATURES`, :data:`COEFFICIENTS`) and the
  thresholds and other tuning constants;
- :mod:`~.collector`: the garbage collector paused while the matcher allocates;
- :mod:`~.villages`: the administration of desa and kelurahan, as names and
  descriptions state it;
- :mod:`~.profiles`, :mod:`~.acronyms`, :mod:`~.scoring`, :mod:`~.products`,
  :mod:`~.candidates`, :mod:`~.clustering`: the layers of :class:`Matcher`, one step each
  (profiles and weights; what an acronym means; pair scores; channels folded into their
  product; candidate pairs; clusters and the chain guard);
- :mod:`~.matcher`: :class:`Matcher` itself (it builds the layers and judges a draft),
  :func:`matcher_for`, :func:`find_duplicates`, :func:`candidates_for`;
- :mod:`~.checks`: the rules and their check.

This package exports every name other code imports from it.
"""

from catalog.analysis.collector import collector_paused
from catalog.analysis.duplicates.checks import (
    DUPLICATE,
    SAME_UNIT,
    check_duplicates,
    clusters_of,
)
from catalog.analysis.duplicates.clustering import Cluster
from catalog.analysis.duplicates.clustering import _components as _components
from catalog.analysis.duplicates.clustering import _guard_chains as _guard_chains
from catalog.analysis.duplicates.matcher import (
    Matcher,
    candidates_for,
    find_duplicates,
    matcher_for,
)
from catalog.analysis.duplicates.model import (
    COEFFICIENTS,
    CONTAINMENT,
    CONTAINMENT_MASS,
    FEATURES,
    HOST_COMMON,
    HOST_COMMON_SHARE,
    LOOSE_GROUP,
    LOOSE_MEAN,
    MAX_POSTING,
    MAX_SPELL_POSTING,
    MIN_SPELLED,
    PRODUCT_SHARE,
    SPELLED_TEXT,
    STRONG,
    TEMPLATE_FRAME,
    TEMPLATE_SLOT,
    TEXT_BLOCK_MIN,
    TEXT_BLOCK_MIN_IDF,
    TEXT_BLOCK_SHARE,
    TEXT_BLOCK_WORDS,
    TEXT_CONFLICT,
    THRESHOLD,
    THRESHOLD_FLOOR,
    TOLD_SHARE,
    VETO_CAP,
)
from catalog.analysis.duplicates.model import _probability as _probability
from catalog.analysis.duplicates.profiles import APPLICATION, Profile
from catalog.analysis.duplicates.scoring import PairScore

__all__ = [
    "APPLICATION",
    "COEFFICIENTS",
    "CONTAINMENT",
    "CONTAINMENT_MASS",
    "DUPLICATE",
    "FEATURES",
    "HOST_COMMON",
    "HOST_COMMON_SHARE",
    "LOOSE_GROUP",
    "LOOSE_MEAN",
    "MAX_POSTING",
    "MAX_SPELL_POSTING",
    "MIN_SPELLED",
    "PRODUCT_SHARE",
    "SAME_UNIT",
    "SPELLED_TEXT",
    "STRONG",
    "TEMPLATE_FRAME",
    "TEMPLATE_SLOT",
    "TEXT_BLOCK_MIN",
    "TEXT_BLOCK_MIN_IDF",
    "TEXT_BLOCK_SHARE",
    "TEXT_BLOCK_WORDS",
    "TEXT_CONFLICT",
    "THRESHOLD",
    "THRESHOLD_FLOOR",
    "TOLD_SHARE",
    "VETO_CAP",
    "Cluster",
    "Matcher",
    "PairScore",
    "Profile",
    "candidates_for",
    "check_duplicates",
    "clusters_of",
    "collector_paused",
    "find_duplicates",
    "matcher_for",
]
