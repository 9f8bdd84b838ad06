"""How catalogue concepts map to ArchiMate 3.1 concepts (Open Group exchange format).

Choices, and why:

- OPD and sub-units (and the instansi above them) are ``BusinessActor``s; the unit tree is
  ``Composition`` from parent to child.
- Processes are ``BusinessProcess``, services ``BusinessService``, data sets
  ``DataObject``, applications ``ApplicationComponent``. No separate ``ApplicationService``
  is invented: the catalogue registers no application services of its own, and an
  application that delivers a service *realizes* it directly (allowed in ArchiMate 3.1,
  a derived realization), so each catalogue relation stays one relationship.
- Infrastructure by ``infra_type``: software (operating system, database system, utility
  software and the SPL, an integration platform) is ``SystemSoftware``; servers and cloud
  platforms are ``Node``s; peripherals, storage, network and security devices are
  ``Device``s; the intranet is a ``CommunicationNetwork``; a data centre is a ``Facility``.
- Security controls are ``Requirement``s: a control is a property the protected item must
  have (an ISO 27001 policy, a hardening, an audit), and the protected item *realizes*
  it. ``Constraint`` would say the control limits how the item may be built, which is not
  what the SPBE security domain records.
- Integrations are ``Flow`` relationships from the provider to the consumer (an external
  consumer becomes an ``ApplicationComponent`` marked external); the data sets carried and
  the SPL in between are ``Association``s to that flow.
- Every catalogue relation type maps to one allowed relationship (see
  :data:`RELATIONSHIPS`); a pair of element types the table does not allow falls back to a
  directed ``Association``. Every relationship keeps its catalogue type as a property, so
  that reading the file back is exact.
"""

from __future__ import annotations

import hashlib
import re

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"

# Property names (the "eira:ABB" of this catalogue): katalog:<column key>, and the SPBE
# reference code under its scheme, e.g. spbe:RAA.
KIND_PROPERTY = "katalog:jenis"
RELATION_PROPERTY = "katalog:relasi"
EXTERNAL_PROPERTY = "katalog:eksternal"
OUTSIDE_PROPERTY = "katalog:di-luar-ekspor"
PREFIX = "katalog:"
REFERENCE_PREFIX = "spbe:"

# Item kind → element type (infrastructure: see INFRA_TYPES).
ELEMENT_TYPES: dict[str, str] = {
    "instansi": "BusinessActor",
    "organisation": "BusinessActor",
    "process": "BusinessProcess",
    "service": "BusinessService",
    "dataset": "DataObject",
    "application": "ApplicationComponent",
    "infrastructure": "Node",
    "security": "Requirement",
}
INFRA_TYPES: dict[str, str] = {
    "cloud": "Node",
    "server": "Node",
    "peripheral": "Device",
    "storage": "Device",
    "network_device": "Device",
    "security_device": "Device",
    "operating_system": "SystemSoftware",
    "database_system": "SystemSoftware",
    "utility_software": "SystemSoftware",
    "spl": "SystemSoftware",
    "intranet": "CommunicationNetwork",
    "data_centre": "Facility",
}
# Element type → (item kind, default infra_type) for elements a person added by hand.
KIND_OF_TYPE: dict[str, tuple[str, str | None]] = {
    "BusinessProcess": ("process", None),
    "BusinessFunction": ("process", None),
    "BusinessService": ("service", None),
    "DataObject": ("dataset", None),
    "BusinessObject": ("dataset", None),
    "ApplicationComponent": ("application", None),
    "Node": ("infrastructure", "server"),
    "Device": ("infrastructure", "peripheral"),
    "SystemSoftware": ("infrastructure", "utility_software"),
    "CommunicationNetwork": ("infrastructure", "intranet"),
    "Facility": ("infrastructure", "data_centre"),
    "Requirement": ("security", None),
    "Constraint": ("security", None),
}
TECHNOLOGY = frozenset({"Node", "Device", "SystemSoftware", "Facility"})
NETWORK = frozenset({"CommunicationNetwork"})
CORE = frozenset(
    {"BusinessProcess", "BusinessService", "DataObject", "ApplicationComponent"}
    | TECHNOLOGY
    | NETWORK
)

# The (source type, relationship, target type) triples this exporter writes, each allowed by
# the ArchiMate 3.1 relationship table (Appendix B); Association is allowed between any two
# concepts and is not listed.
ALLOWED: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("BusinessActor", "Composition", "BusinessActor"),
        ("BusinessActor", "Assignment", "BusinessProcess"),
        ("BusinessActor", "Assignment", "BusinessService"),
        ("BusinessService", "Serving", "BusinessProcess"),
        ("ApplicationComponent", "Realization", "BusinessService"),
        ("ApplicationComponent", "Access", "DataObject"),
        ("BusinessProcess", "Access", "DataObject"),
        ("BusinessService", "Access", "DataObject"),
        ("ApplicationComponent", "Serving", "ApplicationComponent"),
        ("ApplicationComponent", "Flow", "ApplicationComponent"),
        ("ApplicationComponent", "Aggregation", "ApplicationComponent"),
        ("BusinessProcess", "Aggregation", "BusinessProcess"),
        ("BusinessService", "Aggregation", "BusinessService"),
        *((t, "Serving", "ApplicationComponent") for t in TECHNOLOGY | NETWORK),
        *((t, "Serving", u) for t in TECHNOLOGY for u in TECHNOLOGY),
        *((t, "Aggregation", u) for t in TECHNOLOGY for u in TECHNOLOGY),
        *((t, "Realization", "Requirement") for t in CORE),
    }
)

# Catalogue relation type → preferred relationships, each (ArchiMate type, access type,
# reversed): ``reversed`` draws it from the catalogue target to the catalogue source (a
# service *supports* a process: the service serves the process).
RELATIONSHIPS: dict[str, tuple[tuple[str, str | None, bool], ...]] = {
    "supported_by": (("Serving", None, True),),
    "delivered_by": (("Realization", None, True),),
    "reads": (("Access", "Read", False),),
    "produces": (("Access", "Write", False),),
    "uses_data": (("Access", "Access", False),),
    "hosted_on": (("Serving", None, True),),
    "protects": (("Realization", None, True),),
    "depends_on": (("Serving", None, True),),
    "part_of": (("Aggregation", None, True),),
    "channel_of": (("Serving", None, True),),
    "replaces": (),
}


def relationship_for(
    relation: str, source_type: str, target_type: str
) -> tuple[str, str | None, bool]:
    """The relationship drawn for a catalogue relation between two element types: the
    first allowed choice, else a directed association in the catalogue's direction.

    >>> relationship_for("supported_by", "BusinessProcess", "BusinessService")
    ('Serving', None, True)
    >>> relationship_for("reads", "ApplicationComponent", "DataObject")
    ('Access', 'Read', False)
    >>> relationship_for("hosted_on", "DataObject", "Node")
    ('Association', None, False)
    """
    for rel_type, access, flipped in RELATIONSHIPS.get(relation, ()):
        src, dst = (target_type, source_type) if flipped else (source_type, target_type)
        if (src, rel_type, dst) in ALLOWED:
            return rel_type, access, flipped
    return "Association", None, False


def guess_relation(
    rel_type: str, access: str | None, source_kind: str, target_kind: str
) -> tuple[str, bool] | None:
    """For a relationship a person drew without a catalogue type: the catalogue relation
    it stands for and whether it runs backwards, when that is unambiguous.

    >>> guess_relation("Serving", None, "service", "process")
    ('supported_by', True)
    >>> guess_relation("Access", "Write", "application", "dataset")
    ('produces', False)
    >>> guess_relation("Triggering", None, "process", "process") is None
    True
    """
    table: dict[tuple[str, str | None, str, str], tuple[str, bool]] = {
        ("Serving", None, "service", "process"): ("supported_by", True),
        ("Realization", None, "application", "service"): ("delivered_by", True),
        ("Access", "Read", "application", "dataset"): ("reads", False),
        ("Access", "Write", "application", "dataset"): ("produces", False),
        ("Access", "ReadWrite", "application", "dataset"): ("produces", False),
        ("Access", "Access", "process", "dataset"): ("uses_data", False),
        ("Access", "Read", "process", "dataset"): ("uses_data", False),
        ("Access", "Access", "service", "dataset"): ("uses_data", False),
        ("Access", "Read", "service", "dataset"): ("uses_data", False),
        ("Serving", None, "infrastructure", "application"): ("hosted_on", True),
        ("Serving", None, "infrastructure", "infrastructure"): ("hosted_on", True),
        ("Realization", None, "application", "security"): ("protects", True),
        ("Realization", None, "infrastructure", "security"): ("protects", True),
        ("Realization", None, "dataset", "security"): ("protects", True),
        ("Realization", None, "service", "security"): ("protects", True),
        ("Serving", None, "application", "application"): ("depends_on", True),
        ("Aggregation", None, "process", "process"): ("part_of", True),
        ("Aggregation", None, "service", "service"): ("part_of", True),
        ("Aggregation", None, "application", "application"): ("part_of", True),
        ("Composition", None, "application", "application"): ("part_of", True),
    }
    if rel_type == "Access" and access is None:
        access = "Access"
    return table.get((rel_type, access if rel_type == "Access" else None, source_kind, target_kind))


def element_type(kind: str, infra_type: str | None = None) -> str:
    """The element type of an item.

    >>> element_type("infrastructure", "spl"), element_type("security")
    ('SystemSoftware', 'Requirement')
    """
    if kind == "infrastructure" and infra_type:
        return INFRA_TYPES.get(infra_type, "Node")
    return ELEMENT_TYPES[kind]


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def make_id(prefix: str, *parts: str) -> str:
    """A valid, stable ``xs:ID`` from codes: unsafe characters become ``_`` and a short
    hash of the original keeps two codes that differ only there apart.

    >>> make_id("id-application", "35.78", "APL-0001")
    'id-application-35.78-APL-0001'
    >>> make_id("id-unit", "35.78", "Dinas A/B")
    'id-unit-35.78-Dinas_A_B-a23d961d'
    """
    raw = "-".join(parts)
    safe = _UNSAFE.sub("_", raw)
    if safe != raw:
        safe += "-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{safe}"


def short_hash(*parts: str) -> str:
    """A short stable hash of some text parts (relationship identifiers).

    >>> len(short_hash("a", "b"))
    16
    """
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


__all__ = [
    "ALLOWED",
    "ELEMENT_TYPES",
    "INFRA_TYPES",
    "KIND_OF_TYPE",
    "NS",
    "RELATIONSHIPS",
    "element_type",
    "guess_relation",
    "make_id",
    "relationship_for",
]
