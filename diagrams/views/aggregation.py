"""Summaries: items grouped (per OPD, per instansi, per reference area) with counts.

The aggregate view draws one; every other view falls back to one when its selection is
larger than :data:`~diagrams.views.common.MAX_NODES`, so that a page never waits for a
hairball. A summary stays under the limit itself: past it, the largest groups are kept
and the rest are merged into one "Lainnya" node, and the note says so.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from diagrams.source import INTEGRATION
from diagrams.styles import FLAG_COLOUR, FLAG_MARK, NATIONAL_FILL, kind_label
from diagrams.views.common import DOT_EDGE_LIMIT, DOT_LIMIT, MAX_EDGES, MAX_NODES, Canvas, View
from diagrams.views.labels import escape, label, number, wrap
from diagrams.views.reading import is_spl, opd_of, owned_by

# A group: key, title, node kind drawn (opd, instansi, group), national.
GroupOf = Callable[[Mapping[str, Any]], tuple[str, str, str, bool]]
OTHER = "group:~lainnya"


@dataclass
class Group:
    key: str
    title: str
    kind: str
    national: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    flagged: int = 0
    parts: int = 1  # groups merged into this one ("Lainnya")

    @property
    def weight(self) -> int:
        return sum(self.counts.values())


def by_owner(attrs: Mapping[str, Any]) -> tuple[str, str, str, bool]:
    """Items of an OPD together; national systems per instansi; summaries stay themselves.

    >>> by_owner({"kind": "application", "owner": "DINKES", "owner_name": "Dinas Kesehatan"})
    ('opd:DINKES', 'Dinas Kesehatan (DINKES)', 'opd', False)
    >>> by_owner({"kind": "application", "national": True, "instansi": "KEMENDAGRI"})
    ('instansi:KEMENDAGRI', 'KEMENDAGRI', 'instansi', True)
    """
    kind = attrs.get("kind")
    if kind in ("opd", "instansi"):  # already a summary node (national totals)
        code = attrs.get("code") or attrs.get("label")
        return (
            f"{kind}:{code}",
            str(attrs.get("label") or code),
            str(kind),
            bool(attrs.get("national")),
        )
    if attrs.get("national"):
        return by_instansi(attrs)
    owner, name = opd_of(attrs)
    if not owner:
        return "opd:", "Tanpa OPD", "opd", False
    title = f"{name} ({owner})" if name and name != owner else str(owner)
    return f"opd:{owner}", title, "opd", False


def by_instansi(attrs: Mapping[str, Any]) -> tuple[str, str, str, bool]:
    """Items of an instansi together.

    >>> by_instansi({"instansi": "35.78", "instansi_name": "Kota Surabaya"})
    ('instansi:35.78', 'Kota Surabaya', 'instansi', False)
    """
    code = attrs.get("instansi") or attrs.get("code") or "-"
    title = attrs.get("instansi_name") or attrs.get("label") or code
    return f"instansi:{code}", str(title), "instansi", bool(attrs.get("national"))


def area(reference: object, levels: int = 2) -> str | None:
    """The reference area of a code: its first ``levels`` parts.

    >>> area("RAA.01.02.03"), area(None)
    ('RAA.01', None)
    """
    if not reference:
        return None
    return ".".join(str(reference).split(".")[:levels])


def by_area(attrs: Mapping[str, Any]) -> tuple[str, str, str, bool]:
    """Items of one kind and reference area together.

    >>> by_area({"kind": "application", "reference": "RAA.01.02"})
    ('group:application:RAA.01', 'Aplikasi: RAA.01', 'group', False)
    >>> by_area({"kind": "dataset"})[1]
    'Data: belum diklasifikasi'
    """
    kind = str(attrs.get("kind", ""))
    code = area(attrs.get("reference"))
    title = f"{kind_label(kind)}: {code or 'belum diklasifikasi'}"
    return f"group:{kind}:{code or '-'}", title, "group", False


def focused(owner: str | None) -> GroupOf:
    """Items of ``owner`` per kind and area; everything else per owner."""

    def group(attrs: Mapping[str, Any]) -> tuple[str, str, str, bool]:
        if not attrs.get("national") and owner is not None and owned_by(attrs, owner):
            return by_area(attrs)
        return by_owner(attrs)

    return group


def _append(note: str | None, extra: str) -> str:
    """
    >>> _append("Ringkasan.", "hanya 200 hubungan"), _append(None, "hanya 200 hubungan")
    ('Ringkasan; hanya 200 hubungan', 'Hanya 200 hubungan')
    """
    if note:
        return f"{note.rstrip('.')}; {extra}"
    return extra[0].upper() + extra[1:]


def _weight(attrs: Mapping[str, Any]) -> int:
    w = attrs.get("weight", 1)
    return w if isinstance(w, int) and w >= 0 else 1


def summarise(
    g: nx.MultiDiGraph,
    nodes: Collection[str],
    group_of: GroupOf,
    *,
    name: str,
    title: str,
    title_en: str,
    note: str | None = None,
    note_en: str | None = None,
    hubs: Collection[str] = (),
    aggregated: bool = True,
) -> View:
    """Draw ``nodes`` of ``g`` as groups with counts. ``hubs`` (SPL nodes) stay single
    nodes, and integrations through them are drawn through them."""
    chosen = set(nodes)
    hub_set = {h for h in hubs if h in chosen}
    groups: dict[str, Group] = {}
    member: dict[str, str] = {}
    for node in sorted(chosen - hub_set):
        attrs = g.nodes[node]
        key, gtitle, gkind, national = group_of(attrs)
        grp = groups.setdefault(key, Group(key, gtitle, gkind, national))
        counts = attrs.get("counts")
        if isinstance(counts, Mapping):
            grp.counts.update({str(k): int(v) for k, v in counts.items()})
        else:
            grp.counts[str(attrs.get("kind", ""))] += _weight(attrs)
        grp.flagged += 1 if attrs.get("flags") else 0
        member[node] = key
    for hub in hub_set:
        member[hub] = hub

    room = MAX_NODES - len(hub_set)
    capped = 0
    if len(groups) > room:
        ranked = sorted(groups.values(), key=lambda grp: (-grp.weight, grp.key))
        keep, rest = ranked[: room - 1], ranked[room - 1 :]
        other = Group(OTHER, "", "group", parts=len(rest))
        for grp in rest:
            other.counts.update(grp.counts)
            other.flagged += grp.flagged
        other.title = f"Lainnya ({number(len(rest))} kelompok)"
        merged = {grp.key for grp in rest}
        member = {n: (OTHER if k in merged else k) for n, k in member.items()}
        groups = {grp.key: grp for grp in keep} | {OTHER: other}
        capped = len(rest)

    links: Counter[tuple[str, str, str]] = Counter()
    gaps: Counter[tuple[str, str, str]] = Counter()
    for u, v, k, attrs in g.subgraph(chosen).edges(keys=True, data=True):
        w = _weight(attrs)
        if k == INTEGRATION:
            route = "spl" if attrs.get("through_spl") else "p2p"
            via = attrs.get("via")
            pairs = [(member[u], member[v])]
            if route == "spl" and via in hub_set:
                pairs = [(member[u], via), (via, member[v])]
            for a, b in pairs:
                if a != b:
                    links[(a, b, route)] += w
                    if attrs.get("flags"):
                        gaps[(a, b, route)] += w
        elif member[u] != member[v]:
            links[(member[u], member[v], "count")] += w

    dropped = 0
    if len(links) > MAX_EDGES:
        heaviest = sorted(links.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_EDGES]
        dropped = len(links) - MAX_EDGES
        links = Counter(dict(heaviest))
    n_groups = len(groups) + len(hub_set)
    small = n_groups <= DOT_LIMIT and len(links) <= DOT_EDGE_LIMIT
    # Around an SPL hub, a radial layout (neato) reads best: dot puts every spoke in one
    # column. Big summaries take sfdp, which stays fast.
    engine = "sfdp" if not small else "neato" if hub_set else "dot"
    canvas = Canvas(name, title, title_en, rankdir="LR", engine=engine)
    if capped:
        extra = (
            f"hanya {number(len(groups) - 1)} kelompok terbesar yang digambar; "
            f"{number(capped)} kelompok lain digabung sebagai 'Lainnya'"
        )
        extra_en = (
            f"only the {len(groups) - 1:,} largest groups are drawn; {capped:,} others are "
            "merged as 'Lainnya' (other)"
        )
        note, note_en = _append(note, extra), _append(note_en, extra_en)
    if dropped:
        extra = (
            f"hanya {MAX_EDGES} hubungan terbanyak yang digambar ({number(dropped)} lainnya tidak)"
        )
        extra_en = f"only the {MAX_EDGES} heaviest links are drawn ({dropped:,} others are not)"
        note, note_en = _append(note, extra), _append(note_en, extra_en)
    for key in sorted(groups):
        grp = groups[key]
        kinds = sorted(grp.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        detail = " · ".join(f"{number(n)} {kind_label(k)}" for k, n in kinds[:3] if n)
        lines = [*wrap(grp.title, 28, 2), f"{number(grp.weight)} item", *wrap(detail, 34, 2)]
        tip = [grp.title, *(f"{kind_label(k)}: {number(n)}" for k, n in kinds)]
        attrs = {"tooltip": "\\n".join(escape(t) for t in tip)}
        if grp.flagged:
            lines.append(f"{FLAG_MARK} {number(grp.flagged)} ditandai")
            attrs.update(color=FLAG_COLOUR, peripheries="2", penwidth="2")
            canvas.markers.add("flagged")
        if grp.national:
            attrs.update(fillcolor=NATIONAL_FILL, style="filled,dashed")
            canvas.markers.add("national")
        attrs["label"] = label(*lines)
        # An OPD's box opens its page (the graph's ``unit_urls``), where its own landscape
        # and integrations are drawn item by item: the way into a summarised map.
        unit_url = g.graph.get("unit_urls", {}).get(key.removeprefix("opd:"))
        if key.startswith("opd:") and unit_url:
            attrs["URL"] = escape(unit_url)
        canvas.node(key, attrs, kind=grp.kind)
    for hub in sorted(hub_set):
        canvas.item(hub, g.nodes[hub])
    for (a, b, style), n in sorted(links.items()):
        styles = [style]
        text = number(n)
        if gaps[(a, b, style)]:
            styles.append("gap")
            text += f" ({FLAG_MARK} {number(gaps[(a, b, style)])})"
        width = f"{min(6.0, 1.0 + math.log2(n)):.1f}"
        canvas.edge(a, b, styles, text=text, tip=f"{number(n)} hubungan", penwidth=width)
    return canvas.view(aggregated=aggregated, note=note, note_en=note_en)


def oversized(
    g: nx.MultiDiGraph,
    nodes: Collection[str],
    *,
    name: str,
    title: str,
    title_en: str,
    owner: str | None = None,
    hubs: Collection[str] = (),
    limit: int | None = None,
    hint: tuple[str, str] | None = None,
) -> View:
    """The summary a view draws instead of ``nodes`` when they exceed the limit (``limit``
    when the view has a stricter one of its own): per OPD when several OPD are involved,
    else (or around ``owner``) per kind and reference area. ``hint`` (Indonesian,
    English) is added to the note: where to find the detail."""
    owners = {opd_of(g.nodes[n])[0] for n in nodes if not g.nodes[n].get("national")}
    if owner is not None or len(owners) <= 1:
        group_of = focused(owner if owner is not None else next(iter(owners), None))
        how, how_en = "per jenis dan area referensi", "per kind and reference area"
    else:
        group_of = by_owner
        how, how_en = "per perangkat daerah", "per unit (OPD)"
    n = len(nodes)
    if limit is None:
        note = (
            f"Diagram diringkas: {number(n)} item melebihi batas {MAX_NODES} item; "
            f"ditampilkan {how} dengan jumlah item dan hubungan"
        )
        note_en = (
            f"Diagram summarised: {n:,} items exceed the limit of {MAX_NODES}; shown "
            f"{how_en} with item and link counts"
        )
    else:
        note = (
            f"Diagram diringkas: lebih dari {limit} aplikasi tidak terbaca satu per satu; "
            f"ditampilkan {how} dengan jumlah item dan hubungan"
        )
        note_en = (
            f"Diagram summarised: more than {limit} applications are unreadable one by one; "
            f"shown {how_en} with item and link counts"
        )
    if hint is not None:
        note, note_en = _append(note, hint[0]), _append(note_en, hint[1])
    return summarise(
        g,
        nodes,
        group_of,
        name=name,
        title=f"{title} (ringkasan)",
        title_en=f"{title_en} (summary)",
        note=note,
        note_en=note_en,
        hubs=[h for h in hubs if is_spl(g.nodes[h])],
    )
