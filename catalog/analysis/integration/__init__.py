"""Integration gaps: the SPL rule (primer §5) judged on the catalogue.

Applications of an instansi should exchange data through its Sistem Penghubung Layanan
(SPL, the API gateway / service bus), each integration confirmed by both sides, and every
application that needs another one's data should be integrated with it instead of keying
the data in again. Five rules, one pass each over plain indexes of the snapshot:

``integration.point_to_point``
    A live integration between two applications that does not run through the SPL
    although the instansi has one: no intermediary, or a mechanism that cannot run through
    a bus (a database link, manual re-keying; :data:`BYPASS_MECHANISMS`). Where the
    instansi has no SPL at all (no live SPL item, and no integration through an SPL: a
    plain server recorded as the intermediary is none), integrations are not reported
    one by one: each OPD that integrates gets ``integration.opd_without_spl`` instead,
    which names the cause.
    Integrations still being proposed or planned are reported at a lower severity.
``integration.one_sided``
    A live integration that only one side (or neither) has confirmed. A consumer outside
    the catalogue (``consumer_external``) cannot confirm; only the provider is asked.
``integration.read_without_integration``
    An application reads a data set whose authoritative producer is another application
    (``authoritative_application_id``, else the applications with a ``produces``
    relation), and no live integration links the two in either direction.
``integration.shared_without_integration``
    Two applications both *produce* (keep) the same data set with no integration between
    them: the same data keyed in twice. Two applications that merely read a data set are
    not a gap (each reads it from its producer, which the previous rule checks). Pairs in
    the same OPD count too: re-keying is waste whoever does it.
``integration.opd_without_spl``
    A top-level unit (OPD) owning an application at either end of a live integration, none
    of whose integrations run through the SPL (SPBE indicator 18 level 3: the SPL is used
    by every OPD).

Only live items count (:attr:`~catalog.analysis.snapshot.Item.live`); national context
items are never subjects (they appear in the evidence). A mobile channel and its product
(``channel_of``) count as one application: an integration with either serves both.

One module per concept, each using only those listed before it:

- :mod:`~.units`: each unit's OPD (:func:`top_units`) and a unit as a finding's subject;
- :mod:`~.spl`: whether an integration runs through the SPL (:func:`bypass_reason`);
- :mod:`~.index`: :class:`IntegrationIndex`, built once per run and shared by the checks;
- :mod:`~.evidence`: how findings name applications and items;
- :mod:`~.links`: ``point_to_point`` and ``one_sided``;
- :mod:`~.data_gaps`: ``read_without_integration`` and ``shared_without_integration``;
- :mod:`~.opd_spl`: ``opd_without_spl``.

This package exports every name other code imports from it.
"""

# The rule modules register their rules and checks when imported: this order is the check
# order (and the rule order), so it is kept by hand rather than sorted.
# isort: off
from catalog.analysis.integration import links, data_gaps, opd_spl  # noqa: F401

# isort: on
from catalog.analysis.integration.data_gaps import authoritative_producers
from catalog.analysis.integration.index import IntegrationIndex, integration_index
from catalog.analysis.integration.spl import BYPASS_MECHANISMS, bypass_reason
from catalog.analysis.integration.units import top_units, unit_subject

__all__ = [
    "BYPASS_MECHANISMS",
    "IntegrationIndex",
    "authoritative_producers",
    "bypass_reason",
    "integration_index",
    "top_units",
    "unit_subject",
]
