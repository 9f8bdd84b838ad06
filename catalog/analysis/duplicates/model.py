"""The pair model of the duplicate matcher: what it reads off a pair of applications
(:data:`FEATURES`), how it weighs them (:data:`COEFFICIENTS`, a logistic regression), and
the thresholds and other tuning constants of every step.
"""

from __future__ import annotations

import math

# -- tuning (on the demo generator's "tune" families only; see bench/analysis_quality.py) --

#: What the model reads off a pair of applications (see :meth:`Matcher.features`):
#: name similarity (an acronym the other name spells out read as that name, see
#: :meth:`Matcher._spelled_name`); the same without the names' acronyms; the same name
#: words without them (weighted by rarity); name similarity where the texts disagree; a
#: shared capability named (an SMS gateway, a queue: see ``CAPABILITY_WORDS``; or two
#: units' websites); text similarity and its square (the odds rise steeply between
#: half-alike and alike texts, more than one straight line can say); no text on one
#: side; a shared acronym with nothing else behind it; a shared acronym spelled out
#: differently; an acronym spelled out by the other name; shared services, data sets,
#: hosts and reference codes; the same owner; sibling units (two kelurahan, two
#: puskesmas).
FEATURES = (
    "name",
    "name_plain",
    "name_same",
    "name_text_disagree",
    "capability",
    "text",
    "text_squared",
    "text_missing",
    "acronym_unsupported",
    "acronym_expansions_differ",
    "acronym_expansion",
    "service",
    "data",
    "host",
    "code",
    "same_owner",
    "sibling_units",
)
_NAME = FEATURES.index("name")
_PLAIN = FEATURES.index("name_plain")
_SAME = FEATURES.index("name_same")
_NAME_TEXT = FEATURES.index("name_text_disagree")
_EXPANSION = FEATURES.index("acronym_expansion")
_UNSUPPORTED = FEATURES.index("acronym_unsupported")
#: Logistic-regression weights over :data:`FEATURES` (bias last), fit by
#: ``bench/analysis_quality.py --fit`` on the candidate pairs of the demo's *tune*
#: families only (province and national); see that script. To update, paste the line it
#: prints over this assignment and run ``ruff format``: the layout below is ruff's.
COEFFICIENTS = (
    4.660,
    -1.037,
    2.859,
    1.424,
    6.118,
    11.124,
    8.471,
    4.377,
    -1.040,
    -0.713,
    0.838,
    7.233,
    2.382,
    6.903,
    0.526,
    -1.495,
    3.222,
    -7.797,
)
#: A pair at or above this probability is a duplicate. On the tune families, F1 is flat
#: from 0.45 to 0.6 (``bench/analysis_quality.py --sweep``: national 0.958 to 0.955, the
#: precision 0.98 throughout); lower, the real Denpasar inventory gains wrong pairs
#: (a school's website and its e-learning system) for no right one (bench/denpasar-review.md).
THRESHOLD = 0.6
#: The lowest threshold anyone asks for (registration-time candidates): below it, the
#: costly acronym-against-expansion reading is skipped.
THRESHOLD_FLOOR = 0.35
#: A weak bridge (below this) between two groups does not join them (chain guard).
STRONG = 0.8
#: An application hung by one weak edge on a group of this many or more…
LOOSE_GROUP = 3
#: … stays in it only when it is this alike to the group's members on average.
LOOSE_MEAN = 0.3
#: Two groups joined by one application (a hinge) alike to both stay apart when they are
#: this little alike to each other on average (see ``Clusterer._split_hinges``).
HINGE_APART = 0.1
#: Texts this far apart contradict a name match (look-alikes doing different jobs).
TEXT_CONFLICT = 0.1
#: Descriptions that share their first words (the frame) and end in at most
#: :data:`TEMPLATE_SLOT` words of their own (the object), with nothing else in common, are
#: one template filled in for two jobs: scored at most :data:`VETO_CAP`.
TEMPLATE_FRAME = 3
TEMPLATE_SLOT = 2
#: Data sets this much in common (weighted Jaccard) witness one job behind a bare shared
#: acronym; fewer are one common data set among many.
LINK_WITNESS = 0.5
#: A bare acronym's description tells the other name's expansion when it says at least this
#: share of the expansion's word weight (see :meth:`PairScorer._told`).
TOLD_SHARE = 0.5
#: The score of two applications that both say they administer the same kind of village
#: unit (desa, kelurahan; see ``Profile.villages``), at least: a duplicate. On the tune
#: families every such candidate pair is one (528 of 528 at national scale), but they
#: are told by their names too, so the model cannot learn what the statement alone is
#: worth.
VILLAGE_JOB_SCORE = THRESHOLD
#: The score of a pair vetoed whatever the model says: a template filled in for two jobs,
#: or a bare shared acronym with nothing else in common.
VETO_CAP = 0.3
#: How much a name contained in the other counts (against 1.0 for equal names)…
CONTAINMENT = 0.8
#: … once the shared words weigh this much (one common word inside a long name is not
#: containment: "Portal Data" is not "Sistem Informasi Data Induk Kependidikan").
CONTAINMENT_MASS = 5.0
#: A feature shared by more applications of one instansi than this proposes no pairs.
MAX_POSTING = {"name": 400, "text": 40, "link": 40}
#: An acronym read off another name ("SIMPEG" in "Sistem Informasi Manajemen Kepegawaian")
#: shares no word with it: such pairs are proposed by letter keys (see
#: :meth:`Matcher._spell_keys`), pairing an acronym's side with a name's side only; a key
#: with more applications than this on either side proposes nothing.
MAX_SPELL_POSTING = 40
#: Shortest acronym that is read off another name (shorter ones fit too many).
MIN_SPELLED = 4
#: An acronym read off the other name counts as a name match only with descriptions at
#: least this alike (the bar :meth:`Matcher._measure` sets for a shared acronym).
SPELLED_TEXT = 0.2
#: A host shared by more applications of an instansi than this (and this share) is the
#: instansi's own domain, not evidence.
HOST_COMMON = 5
HOST_COMMON_SHARE = 0.05
#: A channel's name inside another name of its owner names that product when the shared
#: words carry at least this share of the longer name's weight (see
#: :meth:`Matcher._same_product`).
PRODUCT_SHARE = 0.5
#: Text words this common (over the whole catalogue) propose no draft's candidates…
TEXT_BLOCK_MIN_IDF = 2.5
#: … and of the others, only each text's rarest few do (in an instansi's own pairs too).
TEXT_BLOCK_WORDS = 6
#: Within an instansi, a text word used by more than this share of its applications (or
#: :data:`TEXT_BLOCK_MIN` of them, whichever is more) proposes no pairs.
TEXT_BLOCK_SHARE = 0.1
TEXT_BLOCK_MIN = 5


def _probability(x: list[float]) -> float:
    # COEFFICIENTS carries the bias after the weights: zip stops at the last feature.
    z = COEFFICIENTS[-1] + sum([w * v for w, v in zip(COEFFICIENTS[:-1], x, strict=True)])
    return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0


def _with_expansion(
    x: list[float], name: float, text: float | None, same: float = 0.0
) -> list[float]:
    """A copy of a feature vector with an acronym spelled out by the other name, the name
    similarity that reading gives, and (``same``) how much the two names' words weigh
    when the reading makes them the same words ("SIMPEG" and "Sistem Informasi
    Manajemen Kepegawaian")."""
    out = list(x)
    out[_NAME] = name
    out[_PLAIN] = max(out[_PLAIN], name)  # the acronym read as the words it stands for
    out[_SAME] = max(out[_SAME], same)
    out[_NAME_TEXT] = name * (1.0 - text) if text is not None else 0.0
    out[_EXPANSION] = 1.0
    out[_UNSUPPORTED] = 0.0  # the letters read as words: not a bare acronym any more
    return out
