"""``integration.opd_without_spl``: a top-level unit (OPD) none of whose integrations run
through the SPL (SPBE indicator 18 level 3: the SPL is used by every OPD)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from catalog.analysis.findings import Finding
from catalog.analysis.integration.evidence import application
from catalog.analysis.integration.index import integration_index
from catalog.analysis.integration.spl import bypass_reason
from catalog.analysis.integration.units import top_units, unit_subject
from catalog.analysis.rules import Context, check, rule

OPD_WITHOUT_SPL = rule(
    "integration.opd_without_spl",
    "high",
    "Perangkat daerah tidak memakai SPL",
    "Unit never uses the SPL",
    why="Indikator 18 level 3 mensyaratkan SPL dipakai oleh seluruh perangkat daerah; unit "
    "yang semua integrasinya langsung menahan tingkat kematangan instansi.",
    why_en="Indicator 18 level 3 requires the SPL to be used by every unit; a unit whose "
    "integrations are all direct holds the whole instansi's maturity back.",
    clear="Alihkan integrasi aplikasi unit ini ke SPL instansi (siapkan SPL bila belum ada).",
    clear_en="Move this unit's integrations onto the instansi's SPL (set one up if there is none).",
)


@check("integration.opd_without_spl")
def opd_without_spl(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    items, scope = snapshot.items, snapshot.scope
    idx = integration_index(ctx)
    tops = top_units(snapshot)
    used: dict[int, bool] = {}
    direct: dict[int, list[str]] = defaultdict(list)
    for item in idx.live:
        through = bypass_reason(item, items) is None
        for side in ("provider_id", "consumer_id"):
            app = application(snapshot, item.attrs.get(side))
            if app is None or app.instansi_id not in scope or app.owner_id not in tops:
                continue
            top = tops[app.owner_id].id
            used[top] = used.get(top, False) or through
            if not through and item.code not in direct[top]:
                direct[top].append(item.code)
    for top_id, through in sorted(used.items()):
        if through:
            continue
        unit = snapshot.units[top_id]
        has_spl = unit.instansi_id in idx.has_spl
        n = len(direct[top_id])
        tail = (
            ("", "") if has_spl else (" Instansi belum memiliki SPL.", " The instansi has no SPL.")
        )
        yield OPD_WITHOUT_SPL.finding(
            [unit_subject(snapshot, unit)],
            f"{unit.name} ({unit.code}) terlibat dalam {n} integrasi dan tidak satu pun "
            f"melalui SPL.{tail[0]}",
            f"{unit.name} ({unit.code}) takes part in {n} integration(s), none of them through "
            f"the SPL.{tail[1]}",
            evidence={
                "integrations": sorted(direct[top_id]),
                "instansi_has_spl": has_spl,
            },
        )


__all__ = ["OPD_WITHOUT_SPL", "opd_without_spl"]
