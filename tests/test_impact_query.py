"""The impact walk in the database (catalog.queries.impact) against the in-memory graph
walk of the analysis, its cut at the limit, the edge it names and what a reader sees."""

from __future__ import annotations

import networkx as nx
from sqlalchemy import Engine, func, select
from sqlmodel import Session
from test_analysis_api import impact_world
from test_reviews import Small, build_small

from catalog.access import ANONYMOUS, SYSTEM, Principal
from catalog.analysis.graph import build_graph, dependencies
from catalog.kinds import KINDS
from catalog.models import Integration
from catalog.queries.impact import describe, hidden_among, impact, impact_view
from catalog.queries.snapshot import load_snapshot
from catalog.services import create_item, link
from catalog.services.context import Actor

ACTOR = Actor(name="penyusun", source="test")


def test_the_walk_reaches_what_the_graph_does_at_the_same_distance(demo_city_engine) -> None:
    with Session(demo_city_engine) as s:
        snapshot = load_snapshot(s)
        dep = dependencies(build_graph(snapshot))
        # The busiest items of every kind (the SPL, national systems, data sets read by
        # many), and a spread of the others.
        by_reach = sorted(dep.nodes, key=lambda n: (-len(nx.ancestors(dep, n)), n))
        sample = by_reach[:15] + by_reach[15::37]
        assert {k for k, _ in sample} >= {"application", "dataset", "infrastructure", "service"}
        walked = 0
        for node in sample:
            result = impact(s, *node)
            want = nx.single_target_shortest_path_length(dep, node)
            want = dict(want) if not isinstance(want, dict) else want
            want.pop(node)
            got = {(r.kind, r.id): r.distance for r in result.reached}
            assert got == want, node
            assert not result.truncated
            # Display order: distance, kind (in catalogue order), id.
            order = list(KINDS)
            keys = [(r.distance, order.index(r.kind), r.id) for r in result.reached]
            assert keys == sorted(keys)
            walked += len(got)
        assert walked > 100


def test_a_walk_cut_at_the_limit_keeps_the_first_items_in_display_order(
    demo_city_engine,
) -> None:
    with Session(demo_city_engine) as s:
        (busiest,) = s.execute(
            select(Integration.intermediary_id)
            .where(Integration.intermediary_id.is_not(None))
            .group_by(Integration.intermediary_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        spl = ("infrastructure", busiest)
        whole = impact(s, *spl)
        n = len(whole.reached)
        assert n > 20
        for limit in (1, n // 2, n - 1):
            cut = impact(s, *spl, limit=limit)
            assert cut.truncated and cut.reached == whole.reached[:limit]
        exact = impact(s, *spl, limit=n)
        assert not exact.truncated and exact.reached == whole.reached
        near = impact(s, *spl, max_distance=1)
        assert near.reached == [r for r in whole.reached if r.distance == 1]
        assert not near.truncated


def test_integrations_need_their_provider_bus_and_data_and_their_consumer_needs_them(
    engine: Engine,
) -> None:
    """On each backend (the walk is written out as SQL); an item reached through two edges
    at once names the first in DEPENDENT_END's order, not the order of the rows."""
    world: Small = build_small(engine)
    with Session(engine, expire_on_commit=False) as s:
        owner = {"owner_id": world.kominfo.id}
        core = create_item(s, ACTOR, "application", {**owner, "name": "Inti"})
        mobile = create_item(s, ACTOR, "application", {**owner, "name": "Inti Seluler"})
        consumer = create_item(s, ACTOR, "application", {**owner, "name": "Penerima"})
        bus = create_item(s, ACTOR, "infrastructure", {**owner, "name": "SPL", "infra_type": "spl"})
        data = create_item(
            s, ACTOR, "dataset", {**owner, "name": "Data Kirim", "classification": "terbuka"}
        )
        flow = create_item(
            s,
            ACTOR,
            "integration",
            {
                **owner,
                "name": "Inti ke Penerima",
                "provider_id": core.id,
                "consumer_id": consumer.id,
                "intermediary_id": bus.id,
                "data_set_ids": [data.id],
            },
        )
        # channel_of is recorded first, depends_on second.
        link(s, ACTOR, "channel_of", "application", mobile.id, "application", core.id)
        link(s, ACTOR, "depends_on", "application", mobile.id, "application", core.id)

        def walk(kind: str, item_id: int) -> list[tuple[str, int, int, str]]:
            return [(r.kind, r.id, r.distance, r.via) for r in impact(s, kind, item_id).reached]

        assert walk("application", core.id) == [
            ("application", mobile.id, 1, "depends_on"),
            ("integration", flow.id, 1, "from"),
            ("application", consumer.id, 2, "to"),
        ]
        assert walk("infrastructure", bus.id) == [
            ("integration", flow.id, 1, "via"),
            ("application", consumer.id, 2, "to"),
        ]
        assert walk("dataset", data.id) == [
            ("integration", flow.id, 1, "carries"),
            ("application", consumer.id, 2, "to"),
        ]
        assert walk("application", consumer.id) == []


def test_readers_see_counts_of_what_they_may_see_and_how_much_is_hidden(
    engine: Engine,
) -> None:
    """On each backend: the walk and the visibility rule are written out as SQL."""
    world: Small = build_small(engine)
    w = impact_world(world)
    with Session(engine) as s:
        server = ("infrastructure", w["server"].id)
        reached = impact(s, *server).reached
        refs = [(r.kind, r.id) for r in reached]
        assert hidden_among(s, refs, SYSTEM) == set()
        assert hidden_among(s, refs, ANONYMOUS) == {("application", w["reader"].id)}
        # Who may read the instansi's restricted items sees them; another instansi's do not.
        staff = Principal(None, "pegawai", "Pegawai", readable=frozenset({world.instansi.id}))
        outsider = Principal(None, "luar", "Luar", readable=frozenset({world.instansi.id + 99}))
        assert hidden_among(s, refs, staff) == set()
        assert hidden_among(s, refs, outsider) == {("application", w["reader"].id)}
        found, hidden = describe(s, refs, ANONYMOUS)
        assert hidden == 1 and set(found) == set(refs) - {("application", w["reader"].id)}
        assert found[("dataset", w["data"].id)].name == "Data Aduan"
        assert found[("dataset", w["data"].id)].owner == world.kominfo.code

        public = impact_view(s, *server, ANONYMOUS, limit=2)
        assert public.hidden == 1 and public.total == len(reached) - 1
        assert public.by_kind == {"application": 1, "service": 1, "dataset": 1, "process": 1}
        # Only the first two visible items are described, in display order.
        visible = [r for r in reached if r.id != w["reader"].id or r.kind != "application"]
        assert [r for r, _ in public.listed] == visible[:2]
        inside = impact_view(s, *server, SYSTEM)
        assert inside.hidden == 0 and inside.total == len(reached)
        assert [r for r, _ in inside.listed] == reached
