"""What every view reads: a plain, labelled NetworkX graph of (part of) the catalogue.

``diagrams`` never imports ``catalog``: the catalogue side
(:mod:`catalog.diagram_source`) turns its analysis graph into this shape, and the
views only read the attributes below. Hand-built graphs of this shape are what the tests
and examples use.

The graph is an ``nx.MultiDiGraph``. Graph attributes: ``title`` (e.g. the instansi's
name), optionally ``instansi`` (code).

Node keys are strings ``"<kind>:<id>"`` (:func:`node_id`), safe as DOT identifiers once
quoted. Node attributes (only ``kind`` and ``label`` are required):

``kind``
    ``process``, ``service``, ``dataset``, ``application``, ``infrastructure``,
    ``security`` (the six SPBE domains; :data:`DOMAIN_OF`).
``label``, ``code``
    The item's name and its catalogue code (``APL-0012``).
``owner``, ``owner_name``
    The owning unit's code and name (``None`` when the item has no owner).
``opd``, ``opd_name``, ``units``
    The OPD (top-level unit) the owner belongs to, and the codes of the owner and every
    unit above it: an OPD's views include its sub-units' items.
``instansi``, ``instansi_name``
    The instansi code and name.
``status``
    Lifecycle status (``active``, ``inactive``, ``retired``, ``planned``…).
``reference``, ``reference_name``, ``area_name``
    The SPBE reference code (``RAA.01.02``), its name, and the name of its area (the
    first level under the scheme, ``RAA.01`` "Aplikasi Umum"), when classified.
``national``
    ``True`` for items of the national catalogue (SRIKANDI, SIPD…): drawn at the edge.
``infra_type``
    For infrastructure: ``server``, ``cloud``, ``network``, ``spl``… (``spl`` is the bus).
``flags``
    Rule ids of the open findings naming this item (``("duplicates.application", …)``);
    a flagged item is marked in every view.
``url``
    The item's page (SVG nodes link to it).

Edges are keyed by type. Relations keep their stored direction and name
(``supported_by``, ``delivered_by``, ``reads``, ``produces``, ``uses_data``,
``hosted_on``, ``depends_on``, ``part_of``, ``channel_of``, ``protects``, ``replaces``).
An integration is one edge ``provider → consumer`` keyed ``integration`` with attributes:

``code``, ``label``
    The integration's code and name.
``via``
    The node key of the SPL it runs through, or ``None``.
``through_spl``
    ``True`` when it runs through an SPL (the catalogue's judgement, including mechanism).
``confirmed``
    ``True`` when both sides confirmed it.
``status``
    Lifecycle status of the integration.
``flags``
    Rule ids of open findings on the integration (``integration.point_to_point``…).
``data``
    Labels of the data sets it carries.
"""

from __future__ import annotations

# The six SPBE domains, in the order the layered views stack them (top to bottom);
# security is drawn aside.
LAYERS: tuple[str, ...] = ("process", "service", "application", "dataset", "infrastructure")
DOMAIN_OF: dict[str, str] = {
    "process": "RAB",
    "service": "RAL",
    "dataset": "RAD",
    "application": "RAA",
    "infrastructure": "RAI",
    "security": "RAK",
}
INTEGRATION = "integration"  # the edge key of an integration


def node_id(kind: str, item_id: int) -> str:
    """The node key of an item.

    >>> node_id("application", 12)
    'application:12'
    """
    return f"{kind}:{item_id}"


def split_id(node: str) -> tuple[str, int]:
    """The kind and id of a node key.

    >>> split_id("dataset:7")
    ('dataset', 7)
    """
    kind, _, item_id = node.partition(":")
    return kind, int(item_id)


__all__ = ["DOMAIN_OF", "INTEGRATION", "LAYERS", "node_id", "split_id"]
