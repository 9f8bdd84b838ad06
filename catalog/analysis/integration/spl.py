"""Whether an integration runs through the SPL (the API gateway / service bus); shared
with the scorecards."""

from __future__ import annotations

from collections.abc import Mapping

from catalog.analysis.snapshot import Item, NodeKey

# Mechanisms that cannot run through an API gateway / service bus whatever is recorded as
# the intermediary: a database link reaches into the other side's database, manual means
# keying the data in again.
BYPASS_MECHANISMS = frozenset({"database_link", "manual"})


def bypass_reason(integration: Item, items: Mapping[NodeKey, Item]) -> str | None:
    """Why an integration does not run through the SPL, or ``None`` when it does.

    >>> i = Item("integration", 1, "INT-1", "A → B", 9, attrs={"intermediary_id": None})
    >>> bypass_reason(i, {})
    'no_intermediary'
    >>> i.attrs.update(intermediary_id=5, mechanism="rest_api")
    >>> bypass_reason(i, {("infrastructure", 5): Item("infrastructure", 5, "INF-1", "SPL", 9,
    ...                                              attrs={"infra_type": "spl"})}) is None
    True
    >>> i.attrs.update(mechanism="database_link")
    >>> bypass_reason(i, {})
    'mechanism'
    """
    attrs = integration.attrs
    via = attrs.get("intermediary_id")
    if via is None:
        return "no_intermediary"
    if attrs.get("mechanism") in BYPASS_MECHANISMS:
        return "mechanism"
    bus = items.get(("infrastructure", via))
    # An intermediary outside the snapshot (another instansi's or the national SPLP) is
    # given the benefit of the doubt; the services only accept SPL items as intermediaries.
    if bus is not None and bus.attrs.get("infra_type") not in (None, "spl"):
        return "not_spl"
    return None


__all__ = ["BYPASS_MECHANISMS", "bypass_reason"]
