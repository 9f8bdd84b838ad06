"""Clusters: the pairs above the threshold grouped, with the chain guard (a weak edge
closing no triangle joins no two groups, nor hangs on a group an application that looks
little like the rest of it; one application alike to two unlike groups joins neither to
the other).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from catalog.analysis.collector import collector_paused
from catalog.analysis.duplicates.candidates import CandidateIndex
from catalog.analysis.duplicates.model import (
    HINGE_APART,
    LOOSE_GROUP,
    LOOSE_MEAN,
    STRONG,
    THRESHOLD,
)
from catalog.analysis.duplicates.profiles import Profile
from catalog.analysis.duplicates.scoring import PairScore
from catalog.analysis.snapshot import Item, NodeKey


@dataclass
class Cluster:
    """Applications of one instansi doing the same job."""

    members: list[Profile]
    pairs: list[PairScore]
    channels: dict[NodeKey, list[Item]] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(p.score for p in self.pairs) / len(self.pairs) if self.pairs else 0.0

    @property
    def same_unit(self) -> bool:
        return len({m.item.owner_id for m in self.members}) == 1


class Clusterer(CandidateIndex):
    """The clustering layer of :class:`~catalog.analysis.duplicates.matcher.Matcher`."""

    # Built by Matcher._build: product profile index → its channels' indexes.
    channels_by_product: dict[int, list[int]]

    def pairs(self, threshold: float = THRESHOLD) -> list[PairScore]:
        """Scored candidate pairs at or above the threshold."""
        profiles = self.profiles
        compare = self._compare
        out = []
        for a, b in self.candidate_pairs():
            pa, pb = profiles[a], profiles[b]
            if compare(pa, pb, threshold)[0] >= threshold:
                out.append(self.score(pa, pb))
        return out

    def clusters(self, threshold: float = THRESHOLD) -> list[Cluster]:
        """Groups of applications doing the same job, with the chain guard applied."""
        with collector_paused():
            return self._cluster(self.pairs(threshold))

    def _cluster(self, pairs: list[PairScore]) -> list[Cluster]:
        out: list[Cluster] = []
        for edges in _components(pairs):
            for part in [p for chain in _guard_chains(edges) for p in self._split_hinges(chain)]:
                part = self._drop_loose_ends(part)
                if not part:  # every member was a loose end of a star of weak edges
                    continue
                members = sorted(
                    {e.a for e in part} | {e.b for e in part},
                    key=lambda i: self.profiles[i].item.code,
                )
                out.append(
                    Cluster(
                        members=[self.profiles[i] for i in members],
                        pairs=sorted(part, key=self._pair_order),
                        channels=self._channels_of(members),
                    )
                )
        out.sort(key=lambda c: (c.members[0].item.instansi_id, c.members[0].item.code))
        return out

    def _split_hinges(self, edges: list[PairScore]) -> list[list[PairScore]]:
        """Split a group held together by one application alike to two groups that are
        not alike to each other (mean similarity below :data:`HINGE_APART`): the Bapenda
        "SMS Gateway" that sends hotel-tax notices resembles the other units' SMS
        gateways and the hotel-tax system, which do different jobs. The hinge stays with
        the group it resembles most (by its edges' mean score), the other goes alone."""
        nodes = {e.a for e in edges} | {e.b for e in edges}
        if len(nodes) < 5:
            return [edges]
        graph = nx.Graph()
        graph.add_edges_from((e.a, e.b, {"score": e.score}) for e in edges)
        for hinge in sorted(nx.articulation_points(graph)):
            rest = graph.subgraph(nodes - {hinge})
            sides = [c for c in nx.connected_components(rest) if len(c) >= 2]
            if len(sides) < 2:
                continue

            def pull(side: set[int], hinge: int = hinge) -> float:
                near = [graph.edges[hinge, n]["score"] for n in side if graph.has_edge(hinge, n)]
                return sum(near) / len(side)

            home = max(sides, key=lambda side: (pull(side), -min(side)))
            far = [side for side in sides if side is not home and self._apart(side, home)]
            if not far:
                continue
            cut = set().union(*far)
            parts = [[e for e in edges if e.a not in cut and e.b not in cut]]
            parts += [[e for e in edges if e.a in side and e.b in side] for side in far]
            return [split for part in parts for split in self._split_hinges(part)]
        return [edges]

    def _apart(self, mine: set[int], theirs: set[int]) -> bool:
        profiles = self.profiles
        total = sum([self.similarity(profiles[x], profiles[y]) for x in mine for y in theirs])
        return total / (len(mine) * len(theirs)) < HINGE_APART

    def _drop_loose_ends(self, edges: list[PairScore]) -> list[PairScore]:
        """Drop the applications hung on a group of :data:`LOOSE_GROUP` or more by one weak
        edge while looking little like the rest of it (mean similarity to the others below
        :data:`LOOSE_MEAN`): a payroll system is not one more attendance system because its
        description resembles one of theirs. Each such loose end would count as a duplicate
        of every member."""
        degree: dict[int, list[PairScore]] = defaultdict(list)
        for e in edges:
            degree[e.a].append(e)
            degree[e.b].append(e)
        if len(degree) < LOOSE_GROUP + 1:
            return edges
        dropped: set[int] = set()
        for node, own in degree.items():
            if len(own) != 1 or own[0].score >= STRONG:
                continue
            p = self.profiles[node]
            others = [self.profiles[o] for o in degree if o != node]
            mean = sum([self._compare(p, o, 0.0)[0] for o in others]) / len(others)
            if mean < LOOSE_MEAN:
                dropped.add(node)
        if not dropped:
            return edges
        return [e for e in edges if e.a not in dropped and e.b not in dropped]

    def _pair_order(self, e: PairScore) -> tuple[float, list[str]]:
        return (
            -round(e.score, 6),
            sorted([self.profiles[e.a].item.code, self.profiles[e.b].item.code]),
        )

    def _channels_of(self, members: Iterable[int]) -> dict[NodeKey, list[Item]]:
        return {
            self.profiles[m].key: sorted(
                (self.profiles[c].item for c in self.channels_by_product[m]),
                key=lambda item: item.code,
            )
            for m in members
            if m in self.channels_by_product
        }


def _guard_chains(edges: list[PairScore]) -> list[list[PairScore]]:
    """Split a component where a single weak edge is all that joins two groups of two or
    more: A~B and C~D joined only by a middling B~C are two clusters, not one.
    A weak edge that hangs one application on a group is kept."""
    nodes = {e.a for e in edges} | {e.b for e in edges}
    if len(nodes) < 4:
        return [edges]
    graph = nx.Graph()
    graph.add_edges_from((e.a, e.b, {"edge": e}) for e in edges)
    weak = []
    for u, v in nx.bridges(graph):
        edge = graph.edges[u, v]["edge"]
        if edge.score >= STRONG:
            continue
        graph.remove_edge(u, v)
        side = nx.node_connected_component(graph, u)
        graph.add_edge(u, v, edge=edge)
        if 2 <= len(side) <= len(nodes) - 2:
            weak.append(edge)
    if not weak:
        return [edges]
    cut = {id(e) for e in weak}
    return _components([e for e in edges if id(e) not in cut])


def _components(edges: list[PairScore]) -> list[list[PairScore]]:
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for e in edges:
        parent[find(e.a)] = find(e.b)
    groups: dict[int, list[PairScore]] = defaultdict(list)
    for e in edges:
        groups[find(e.a)].append(e)
    return list(groups.values())
