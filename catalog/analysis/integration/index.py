"""The index the integration rules (and the scorecards) share, built in one pass over the
snapshot and once per analysis run."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from catalog.analysis.rules import Context
from catalog.analysis.snapshot import Item


@dataclass
class IntegrationIndex:
    """What the integration rules share, built in one pass over the snapshot."""

    live: list[Item] = field(default_factory=list)  # live integrations in scope
    # Application id → the product it is a channel of (itself when it is no channel).
    product: dict[int, int] = field(default_factory=dict)
    # Unordered pairs of products linked by a live integration (both orders stored).
    linked: set[tuple[int, int]] = field(default_factory=set)
    # Data set id → ids of the applications producing it (``produces`` relations).
    producers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    reads: list[tuple[int, int]] = field(default_factory=list)  # (application, data set)
    # Instansi with an SPL of their own (live) or using one in some integration.
    has_spl: set[int] = field(default_factory=set)

    def pid(self, app_id: int) -> int:
        return self.product.get(app_id, app_id)

    def integrated(self, a: int, b: int) -> bool:
        return (self.pid(a), self.pid(b)) in self.linked

    @classmethod
    def of(cls, ctx: Context) -> IntegrationIndex:
        idx = cls()
        links = ctx.links_by_type
        for link in links.get("reads", ()):
            idx.reads.append((link.source[1], link.target[1]))
        for link in links.get("produces", ()):
            idx.producers[link.target[1]].append(link.source[1])
        for link in links.get("channel_of", ()):
            idx.product[link.source[1]] = link.target[1]
        live = ctx.live_by_kind
        for item in live.get("infrastructure", ()):
            if item.attrs.get("infra_type") == "spl":
                idx.has_spl.add(item.instansi_id)
        idx.live = list(live.get("integration", ()))
        pid = idx.pid
        items = ctx.snapshot.items
        for item in idx.live:
            attrs = item.attrs
            provider, consumer = attrs.get("provider_id"), attrs.get("consumer_id")
            via = attrs.get("intermediary_id")
            if via is not None:
                # Routed through some SPL (another's, or the national SPLP, count too); a
                # plain server recorded as the intermediary gives the instansi no SPL.
                bus = items.get(("infrastructure", via))
                if bus is None or bus.attrs.get("infra_type") in (None, "spl"):
                    idx.has_spl.add(item.instansi_id)
            if provider is not None and consumer is not None:
                a, b = pid(provider), pid(consumer)
                idx.linked.add((a, b))
                idx.linked.add((b, a))
        return idx


def integration_index(ctx: Context) -> IntegrationIndex:
    """The index, built once per analysis run and shared by the checks (and scorecards)."""
    cache = vars(ctx)
    if "_integration_index" not in cache:
        cache["_integration_index"] = IntegrationIndex.of(ctx)
    return cache["_integration_index"]


__all__ = ["IntegrationIndex", "integration_index"]
