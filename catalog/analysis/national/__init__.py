"""Aplikasi Umum overlap: local applications doing the job of a national system.

Perpres 95/2018 Pasal 37 obliges Instansi Pusat and Pemerintah Daerah to use the Aplikasi
Umum and bars them from building their own application for the same job (one may be kept
only after aligning its process, a cost-benefit study and the minister's consideration).
Mandatory national systems (SIPD, SIASN, SPSE…) bind regions through their own
regulations. The national catalogue is part of every snapshot as context
(:mod:`catalog.analysis.snapshot`): its applications with ``national_role``
``aplikasi_umum`` or ``mandatory`` are what local applications are compared with. Sector
systems (``sector``: SIAK, Dapodik, SATUSEHAT…) are systems regions must *feed*, so a
local application in their field is expected, not an overlap.

How it works, linear in the number of local applications:

1. **National profiles.** Each national system gives several *names*: its name, acronym
   and every alias the catalogue records for it ("e-Office", "Tata Naskah Dinas
   Elektronik", "TNDE" for SRIKANDI), each reduced to its informative, stemmed words
   (:mod:`catalog.analysis.text`); its acronyms; and the words of its description,
   function and output. An inverted index maps words and acronyms to the few dozen
   national systems.
2. **Local profiles.** The same reading of each local application (name, aliases,
   acronym; description, function, output), with the instansi's place and unit names
   removed. Distinct strings are read once (a national catalogue repeats them a lot).
3. **Scores.** Only the national systems sharing a name word, an acronym or a rare text
   word with the local application are scored (each distinct set of words once): the
   best name match (how much of one national name the local name covers, times how much
   of the local name the national names explain), scaled by how much of the local text
   the national system's text explains (its *function* weighing most: what an
   application is for), and by whether the data it produces is of the national system's
   kinds (RAD codes). A text explained well enough is evidence on its own. Look-alikes
   are held apart: a name that matches on an acronym alone needs the text to agree, and
   a text that describes another job vetoes a name match ("SIPD" for a development data
   bank is not SIPD; "SKP Online" for research permits is not e-Kinerja). Each local
   application is reported with its best national system, the text deciding between two
   that share a name (e-Kinerja BKN and e-SAKIP).

A local application that names only the national system itself and is registered as its
extension (a ``channel_of`` / ``part_of`` relation), or calls itself a bridge or
connector ("Bridging SRIKANDI"), is not an overlap. An integration with the national
system is no evidence either way: a local SIMPEG that synchronises with SIASN still keeps
the personnel records itself, and an attendance system that reads SIASN is no copy.
Channels of one product (the mobile app of a local e-office) are judged with the product.

Words are compared by stem, against the words the snapshot itself uses (as
:class:`~catalog.analysis.text.Stemmer`), and verb and noun forms of one base word are
one word even when nobody writes the base ("mengelola" / "pengelolaan", "menerima" /
"penerimaan"): a local text says with verbs what the national one says with nouns.

Tuned on the ``tune`` families of the demo generator's planted truth only
(``bench/analysis_quality.py``), measured per instansi as the product runs. Most of what
it reports that the truth does not is the demo's arsip family ("SIKD – Sistem Informasi
Kearsipan Dinamis", "pengelolaan arsip dinamis"): the truth calls it no overlap, but
kearsipan dinamis is exactly SRIKANDI's mandate (KepmenPANRB 679/2020), so the matcher
reports it. A TPP calculator is a supporting application, not an e-Kinerja copy (the
national data no longer lists "e-TPP" as an e-Kinerja name).

One module per concept, each using only those listed before it:

- :mod:`~.tuning`: the national roles guarded, the thresholds and weights;
- :mod:`~.evidence`: :class:`Overlap` and its evidence, with the legal basis;
- :mod:`~.reading`: words of names and texts (read once per process) and the stem of a
  word among a snapshot's words;
- :mod:`~.profiles`: national systems' and local applications' words, and their weights;
- :mod:`~.finder`: :class:`OverlapFinder`, the scores, and :func:`find_overlaps`;
- :mod:`~.checks`: the rule, its check, and the overlaps of a snapshot found once.

This package exports every name other code imports from it.
"""

from catalog.analysis.national.checks import (
    OVERLAP,
    check_overlaps,
    overlaps_for,
    overlaps_of,
)
from catalog.analysis.national.evidence import PASAL_37, PASAL_37_EN, Overlap
from catalog.analysis.national.finder import OverlapFinder, find_overlaps
from catalog.analysis.national.profiles import NationalProfile
from catalog.analysis.national.reading import _name_tokens as _name_tokens
from catalog.analysis.national.reading import _Stem as _Stem
from catalog.analysis.national.reading import _unit_tokens as _unit_tokens
from catalog.analysis.national.tuning import (
    APPLICATION,
    CONNECTOR_WORDS,
    DATA_MATCH,
    DATA_MISMATCH,
    FUNCTION_WEIGHT,
    IDENTITY_MIN_IDF,
    NO_TEXT,
    NO_TEXT_ACRONYM,
    OVERLAP_ROLES,
    TEXT_BLOCK_MIN_IDF,
    TEXT_CONFLICT,
    TEXT_FLOOR,
    TEXT_FULL,
    TEXT_ONLY_WORDS,
    TEXT_STRONG,
    THRESHOLD,
)

__all__ = [
    "APPLICATION",
    "CONNECTOR_WORDS",
    "DATA_MATCH",
    "DATA_MISMATCH",
    "FUNCTION_WEIGHT",
    "IDENTITY_MIN_IDF",
    "NO_TEXT",
    "NO_TEXT_ACRONYM",
    "OVERLAP",
    "OVERLAP_ROLES",
    "PASAL_37",
    "PASAL_37_EN",
    "TEXT_BLOCK_MIN_IDF",
    "TEXT_CONFLICT",
    "TEXT_FLOOR",
    "TEXT_FULL",
    "TEXT_ONLY_WORDS",
    "TEXT_STRONG",
    "THRESHOLD",
    "NationalProfile",
    "Overlap",
    "OverlapFinder",
    "check_overlaps",
    "find_overlaps",
    "overlaps_for",
    "overlaps_of",
]
