"""The eight architecture views: a labelled catalogue graph in, a Graphviz DOT graph out.

Every view is a pure function returning a :class:`View` (DOT text in ``View.source``,
titles and notes in Indonesian and English, the layout engine that suits it). They share
one look (:mod:`diagrams.styles`): one colour and shape per domain, flagged items with a
red double border and "⚠", point-to-point integrations in bold red, unconfirmed ones
dashed, national systems grey and dashed, and a legend listing what is drawn. Nodes link
to the item's page (``URL``) and carry a tooltip.

A view whose selection exceeds :data:`MAX_NODES` draws the summary of that selection
instead (per OPD, or per kind and reference area), sets ``aggregated`` and says so in
``note``: a page never waits for Graphviz to lay out a hairball.

>>> sorted(VIEWS)
['aggregate', 'context', 'coverage', 'duplicates', 'impact', 'integration', 'landscape', 'layers']
"""

from __future__ import annotations

from collections.abc import Callable

from diagrams.views.aggregate import aggregate
from diagrams.views.common import MAX_NODES, View, ViewError
from diagrams.views.context import context
from diagrams.views.coverage import coverage
from diagrams.views.duplicates import duplicates
from diagrams.views.impact import impact
from diagrams.views.integration import integration
from diagrams.views.landscape import landscape
from diagrams.views.layers import layers

VIEWS: dict[str, Callable[..., View]] = {
    "context": context,
    "landscape": landscape,
    "integration": integration,
    "layers": layers,
    "duplicates": duplicates,
    "impact": impact,
    "coverage": coverage,
    "aggregate": aggregate,
}

__all__ = [
    "MAX_NODES",
    "VIEWS",
    "View",
    "ViewError",
    "aggregate",
    "context",
    "coverage",
    "duplicates",
    "impact",
    "integration",
    "landscape",
    "layers",
]
