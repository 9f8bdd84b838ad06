"""The analysis snapshot and graph, on the demo city."""

from __future__ import annotations

from sqlmodel import Session

from catalog.analysis.graph import build_graph, dependencies, impact, restricted
from catalog.queries.snapshot import load_snapshot


def test_the_demo_city_as_a_graph(demo_city_engine) -> None:
    with Session(demo_city_engine) as s:
        snapshot = load_snapshot(s)
    city = next(iter(snapshot.scope))
    assert snapshot.places[city].kind == "kota"
    # The national catalogue comes along as context, outside the scope.
    srikandi = next(i for i in snapshot.items.values() if i.code == "SRIKANDI")
    assert not snapshot.in_scope(srikandi) and srikandi.get("national_role") == "aplikasi_umum"

    g = build_graph(snapshot)
    assert g.number_of_nodes() == len(snapshot.items)
    types = {k for _, _, k in g.edges(keys=True)}
    assert {"delivered_by", "hosted_on", "from", "to", "via"} <= types

    # Everything that runs through the city's SPL depends on it: each integration routed
    # via it, and each consumer of those integrations.
    dep = dependencies(g)
    spl = next(i for i in snapshot.of_kind("infrastructure") if i.get("infra_type") == "spl")
    routed = [
        i for i in snapshot.of_kind("integration") if i.get("intermediary_id") == spl.id and i.live
    ]
    assert routed
    hit = impact(dep, spl.key)
    for integration in routed:
        assert integration.key in hit
        assert ("application", integration.get("consumer_id")) in hit

    # A view of one unit's items only.
    app = next(snapshot.of_kind("application"))
    view = restricted(g, [city], [app.owner_id])
    assert app.key in view and all(
        view.nodes[n]["item"].owner_id == app.owner_id for n in view.nodes
    )
