"""What every view shares: the :class:`View` result, the error, and a :class:`Canvas`
that draws items, edges, clusters and the legend the same way in every view.

A canvas remembers what it drew (kinds, edge styles, markers) so that the legend lists
only those. Everything is inserted in a sorted order: the same graph gives the same DOT
text, whatever order it was built in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import graphviz
import networkx as nx

from diagrams.source import INTEGRATION, LAYERS
from diagrams.styles import (
    EDGE_STYLES,
    FLAG_COLOUR,
    FLAG_MARK,
    NATIONAL_FILL,
    RELATION_LABELS,
    kind_label,
    style_of,
)
from diagrams.views.labels import dot_id, escape, label, tooltip, wrap
from diagrams.views.reading import edge_kind, is_flagged, is_spl

MAX_NODES = 300
# Above this many nodes or edges a summary is laid out with sfdp rather than dot (dot
# takes minutes on a few hundred labelled edges between a few dozen nodes).
DOT_LIMIT = 60
DOT_EDGE_LIMIT = 120
# A summary draws at most this many (the heaviest) links between groups.
MAX_EDGES = 200
FONT = "Helvetica,Arial,sans-serif"


class ViewError(Exception):
    """A view cannot be drawn from what was asked (an unknown item, OPD, area…)."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en


@dataclass
class View:
    """One diagram, ready to render: its DOT graph and what a page says about it."""

    name: str
    title: str
    title_en: str
    graph: graphviz.Digraph
    nodes: int
    edges: int
    aggregated: bool = False
    note: str | None = None
    note_en: str | None = None
    engine: str = "dot"

    @property
    def source(self) -> str:
        """The DOT text (the same input gives the same text)."""
        return self.graph.source


def _tint(colour: str, alpha: str = "22") -> str:
    return colour + alpha


# How each edge line style looks in the legend.
LINES = {"dashed": "- - ->", "dotted": "·····>", "bold": "━━━>", "": "───>"}


@dataclass
class Canvas:
    """A view being drawn: a graphviz graph plus what its legend has to explain."""

    name: str
    title: str
    title_en: str
    rankdir: str = "TB"
    engine: str = "dot"
    graph: graphviz.Digraph = field(init=False)
    kinds: set[str] = field(default_factory=set)
    edge_styles: set[str] = field(default_factory=set)
    markers: set[str] = field(default_factory=set)
    extra_legend: list[tuple[str, str]] = field(default_factory=list)  # (fill, text)
    nodes: int = 0
    edges: int = 0
    drawn: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        attrs = {
            "label": escape(self.title),
            "labelloc": "t",
            "fontname": FONT,
            "fontsize": "16",
            "newrank": "true",
            "compound": "true",
            "rankdir": self.rankdir,
        }
        if self.engine == "dot":
            attrs.update(nodesep="0.3", ranksep="0.5", splines="spline")
        else:
            attrs.update(overlap="prism", splines="line", outputorder="edgesfirst")
        self.graph = graphviz.Digraph(
            name=dot_id(self.name),
            graph_attr=attrs,
            node_attr={"fontname": FONT, "fontsize": "10", "style": "filled"},
            edge_attr={"fontname": FONT, "fontsize": "9", "arrowsize": "0.7"},
        )

    # -- nodes ------------------------------------------------------------------------

    def cluster(self, name: str, title: str, colour: str = "#888888") -> graphviz.Digraph:
        """A labelled box of nodes; add it with :meth:`close` once filled."""
        return graphviz.Digraph(
            name=f"cluster_{dot_id(name)}",
            graph_attr={
                "label": escape(title),
                "style": "rounded,filled",
                "color": colour,
                "fillcolor": _tint(colour, "10"),
                "fontname": FONT,
                "fontsize": "12",
            },
        )

    def close(self, cluster: graphviz.Digraph, parent: graphviz.Digraph | None = None) -> None:
        (parent or self.graph).subgraph(cluster)

    def item(
        self,
        key: str,
        attrs: Mapping[str, Any],
        into: graphviz.Digraph | None = None,
        *,
        focus: bool = False,
        extra: str | None = None,
    ) -> None:
        """An item of the catalogue, styled by kind; flagged and national items marked."""
        kind = str(attrs.get("kind", ""))
        draw_as = "spl" if is_spl(attrs) else kind
        style = style_of(draw_as)
        self.kinds.add(draw_as)
        flagged = is_flagged(attrs)
        head = wrap(attrs.get("label") or key)
        if flagged:
            head[0] = f"{FLAG_MARK} {head[0]}"
        out: dict[str, str] = {
            "label": label(*head, attrs.get("code"), extra),
            "shape": style.shape,
            "color": style.colour,
            "fillcolor": _tint(style.colour, "26"),
            "tooltip": tooltip(attrs),
            "target": "_top",
        }
        if attrs.get("url"):
            out["URL"] = escape(attrs["url"])
        if attrs.get("national"):
            out.update(fillcolor=NATIONAL_FILL, style="filled,dashed")
            self.markers.add("national")
        if flagged:
            out.update(color=FLAG_COLOUR, peripheries="2", penwidth="2")
            self.markers.add("flagged")
        if focus:
            out.update(penwidth="3.5", fontsize="12")
            self.markers.add("focus")
        self._node(key, out, into)

    def node(
        self, key: str, attrs: dict[str, str], into: graphviz.Digraph | None = None, kind: str = ""
    ) -> None:
        """A node that is not a catalogue item (an owner, a group, a reference code)."""
        if kind:
            self.kinds.add(kind)
            style = style_of(kind)
            attrs = {
                "shape": style.shape,
                "color": style.colour,
                "fillcolor": _tint(style.colour, "18"),
                **attrs,
            }
        self._node(key, {**attrs, "target": "_top"} if "URL" in attrs else attrs, into)

    def _node(self, key: str, attrs: dict[str, str], into: graphviz.Digraph | None) -> None:
        self.drawn.add(key)
        self.nodes += 1
        (into if into is not None else self.graph).node(dot_id(key), **attrs)

    # -- edges ------------------------------------------------------------------------

    def edge(
        self,
        u: str,
        v: str,
        styles: Iterable[str],
        *,
        text: str | None = None,
        tip: str | None = None,
        **extra: str,
    ) -> None:
        """An edge combining named styles (:data:`diagrams.styles.EDGE_STYLES`)."""
        attrs: dict[str, str] = {}
        names = list(styles)
        for name in names:
            self.edge_styles.add(name)
            attrs.update(dict(EDGE_STYLES[name].attrs))
        if "unconfirmed" in names:  # dashed, but keep the colour of its route
            route = EDGE_STYLES[names[0]].attrs
            attrs.update(dict(route))
            attrs["style"] = "dashed"
            if "gap" in names:
                attrs.update(color=FLAG_COLOUR, penwidth="3.5")
        if text:
            attrs["label"] = label(text)
        if tip:
            attrs["tooltip"] = escape(tip)
        attrs.update(extra)
        self.edges += 1
        self.graph.edge(dot_id(u), dot_id(v), **attrs)

    def catalogue_edge(
        self, g: nx.MultiDiGraph, u: str, v: str, key: str, named: bool, **extra: str
    ) -> None:
        """An edge of the catalogue graph: a relation or an integration."""
        attrs = g.edges[u, v, key]
        styles = edge_kind(key, attrs)
        if key == INTEGRATION:
            text = attrs.get("code") or None
            if "gap" in styles:
                text = f"{FLAG_MARK} {text or ''}".strip()
            data = ", ".join(attrs.get("data") or ())
            tip = " — ".join(str(p) for p in (attrs.get("code"), attrs.get("label"), data) if p)
            if attrs.get("flags"):
                tip += f" (temuan: {', '.join(attrs['flags'])})"
            text = text if named else None
            self.edge(u, v, styles, text=text, tip=tip or "integrasi", **extra)
        else:
            name = RELATION_LABELS.get(key, key)
            self.edge(u, v, styles, text=name if named else None, tip=name, **extra)

    def invisible(self, u: str, v: str) -> None:
        """An edge that only orders the layout (not counted, not in the legend)."""
        self.graph.edge(dot_id(u), dot_id(v), style="invis", weight="10")

    def rows(self, members: Sequence[str], width: int) -> None:
        """Lay ``members`` (drawn on one rank otherwise) out in rows of ``width``, so that
        a box of a hundred items is a block rather than one endless line."""
        for above, below in zip(members, members[width:], strict=False):
            self.invisible(above, below)

    # -- finishing --------------------------------------------------------------------

    def legend(self) -> None:
        """The legend: a heading and one node per kind, marker and edge style drawn, in a
        box. Plain nodes only (the WebAssembly Graphviz has no HTML labels); an edge
        style is shown as a line drawn in text, in its colour."""
        entries: list[tuple[str, dict[str, str]]] = []
        order = [*LAYERS, "security", "spl", "opd", "instansi", "reference", "group"]
        for kind in sorted(self.kinds, key=lambda k: (order.index(k) if k in order else 99, k)):
            style = style_of(kind)
            entries.append(
                (
                    f"kind_{kind}",
                    {
                        "label": label(kind_label(kind)),
                        "shape": style.shape,
                        "color": style.colour,
                        "fillcolor": _tint(style.colour, "26"),
                    },
                )
            )
        box = {"shape": "box", "fillcolor": "white"}
        markers = {
            "focus": {**box, "label": "Item yang dipilih", "penwidth": "3.5"},
            "flagged": {
                **box,
                "label": f"{FLAG_MARK} Ditandai temuan",
                "color": FLAG_COLOUR,
                "peripheries": "2",
                "penwidth": "2",
            },
            "national": {
                **box,
                "label": "Sistem nasional",
                "fillcolor": NATIONAL_FILL,
                "style": "filled,dashed",
            },
        }
        for marker in ("focus", "flagged", "national"):
            if marker in self.markers:
                entries.append((f"mark_{marker}", markers[marker]))
        for i, (sample, text) in enumerate(self.extra_legend):
            entries.append((f"extra_{i}", {"shape": "box", "style": "rounded,filled",
                                           "fillcolor": sample, "label": label(text)}))  # fmt: skip
        for name in sorted(self.edge_styles, key=list(EDGE_STYLES).index):
            style = EDGE_STYLES[name]
            attrs = dict(style.attrs)
            line = LINES.get(attrs.get("style", ""), LINES[""])
            if attrs.get("arrowhead") == "none":
                line = line[:-1] + line[-2]
            entries.append(
                (
                    f"edge_{name}",
                    {
                        "label": label(f"{line} {style.legend}"),
                        "shape": "plaintext",
                        "style": "",
                        "fontcolor": attrs.get("color", "#555555"),
                    },
                )
            )
        # dot draws the box and its title; sfdp draws no cluster, so a heading node.
        leg = graphviz.Digraph(
            name="cluster_legend",
            graph_attr={"label": "Legenda", "style": "rounded", "color": "#bbbbbb"},
            node_attr={"fontsize": "9", "height": "0.3", "style": "filled"},
        )
        ids = []
        if self.engine != "dot":
            leg.node("legend", label="Legenda", shape="plaintext", style="", fontsize="12")
            ids.append("legend")
        for name, attrs in entries:
            ids.append(f"legend_{dot_id(name)}")
            leg.node(ids[-1], **attrs)
        # A compact block: rows of three top to bottom, columns of four left to right.
        width = 3 if self.rankdir in ("TB", "BT") else 4
        for above, below in zip(ids, ids[width:], strict=False):
            leg.edge(above, below, style="invis")
        self.graph.subgraph(leg)

    def view(
        self,
        *,
        aggregated: bool = False,
        note: str | None = None,
        note_en: str | None = None,
    ) -> View:
        """The finished view: legend added, the note written under the title."""
        if note:
            self.graph.graph_attr["label"] = label(self.title, note)
        self.legend()
        return View(
            name=self.name,
            title=self.title,
            title_en=self.title_en,
            graph=self.graph,
            nodes=self.nodes,
            edges=self.edges,
            aggregated=aggregated,
            note=note,
            note_en=note_en,
            engine=self.engine,
        )


def row_width(n: int, limit: int = 12) -> int:
    """How many items a row holds in a box of ``n`` (all of them up to ``limit``).

    >>> row_width(10), row_width(100)
    (10, 18)
    """
    return n if n <= limit else max(limit, math.ceil(math.sqrt(3 * n)))


def require_item(g: nx.MultiDiGraph, item: str) -> Mapping[str, Any]:
    if item not in g:
        raise ViewError(
            f"Item '{item}' tidak ada di katalog yang digambar.",
            f"Item '{item}' is not in the catalogue being drawn.",
        )
    return g.nodes[item]
