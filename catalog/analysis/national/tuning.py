"""What the overlap finder compares and how strictly: the national roles it guards, and
the thresholds and weights it was tuned with.
"""

APPLICATION = "application"
#: National roles a local application must not duplicate.
OVERLAP_ROLES = ("aplikasi_umum", "mandatory")

# -- tuning (on the demo generator's "tune" families only; see bench/analysis_quality.py) --

#: A pair at or above this score is an overlap.
THRESHOLD = 0.5
#: How far the local text must agree with the national system's: a text of which less
#: than TEXT_CONFLICT is explained by the national text describes another job (the name
#: match keeps only TEXT_FLOOR of its weight); agreement is full at
#: TEXT_CONFLICT + TEXT_FULL.
TEXT_CONFLICT = 0.35
TEXT_FULL = 0.3
TEXT_FLOOR = 0.2
#: Without any text, a name match keeps this much (an acronym alone, much less).
NO_TEXT = 1.0
NO_TEXT_ACRONYM = 0.4
#: A text this well explained, in at least this many words, is evidence on its own (the
#: name may say nothing: "SIPADU").
TEXT_STRONG = 0.8
TEXT_ONLY_WORDS = 3
#: How much the function text alone counts in the text agreement (the rest: description,
#: function and output together).
FUNCTION_WEIGHT = 0.7
#: Producing data of the national system's kinds (RAD codes of the data sets it is
#: authoritative for) supports a match; producing only other kinds weakens it.
DATA_MATCH = 1.0
DATA_MISMATCH = 0.6
#: Text words this common among local applications propose no candidates.
TEXT_BLOCK_MIN_IDF = 3.0

#: A word of a national system's own name this rare among local applications names it.
IDENTITY_MIN_IDF = 4.0
#: Words that make an application a bridge to the system it names, not a copy of it.
CONNECTOR_WORDS = frozenset(
    (
        "bridging", "bridge", "konektor", "connector", "integrasi", "integration",
        "sinkronisasi", "sync", "sinkron", "penghubung", "interkoneksi", "gateway",
        "adapter", "plugin", "api",
    )
)  # fmt: skip
_EXTENSION_LINKS = frozenset(("channel_of", "part_of"))
_MOBILE = frozenset(("android", "ios", "mobile"))
