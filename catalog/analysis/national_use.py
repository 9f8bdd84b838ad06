"""Local rows that record a national system *in use*, not a local build.

Inventories list the systems a unit works with, and national ones among them: the
procurement section writes down SiRUP (``sirup.lkpp.go.id``), Bappeda writes down SIPD,
the village office Siskeudes. Such a row is neither a local copy of the national system
(Pasal 37) nor a duplicate of another local application: it is the national system itself,
recorded without its link to the national catalogue. The sign is **the same address**:
the row's host is the national system's own host, or one it had before (``former_urls``:
Dapodik under ``kemdikbud.go.id`` before the 2024 renaming) (the full host: a ministry's domain such
as ``kemdikbud.go.id`` runs many systems and names none of them), unless several national
systems share that host. The same *name* is not enough: "SIPD" is also a local development
data bank, and a local record named after SRIKANDI may be a copy (the overlap check judges
those by what they do).

Such rows are left out of the duplicate matcher and the Aplikasi Umum overlap check, and
reported once each by ``national.unlinked_use`` until they are linked (any relation
between the row and the national system, e.g. ``channel_of``).

>>> from catalog.analysis.snapshot import Place
>>> sirup = Item("application", 1, "SIRUP", "SiRUP", 1, attrs={
...     "national_role": "mandatory", "acronym": "SiRUP", "url": "https://sirup.lkpp.go.id"})
>>> used = Item("application", 2, "APL-1", "SIRUP", 7,
...     attrs={"url": "http://sirup.lkpp.go.id/sirup"})
>>> built = Item("application", 3, "APL-2", "e-RUP Mataram", 7)
>>> s = Snapshot.build([sirup, used, built], places=[
...     Place(1, "LKPP", "LKPP", "pusat"), Place(7, "52.71", "Kota Mataram", "kota")])
>>> [(r.local.code, r.national.code, r.host) for r in use_records(s).values()]
[('APL-1', 'SIRUP', 'sirup.lkpp.go.id')]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from catalog.analysis.addresses import url_keys
from catalog.analysis.findings import Finding
from catalog.analysis.rules import Context, check, rule
from catalog.analysis.snapshot import Item, Snapshot, per_snapshot

APPLICATION = "application"


@dataclass(frozen=True)
class UseRecord:
    local: Item
    national: Item
    host: str  # the address they share

    def evidence(self) -> dict[str, str]:
        return {
            "host": self.host,
            "national": self.national.code,
            "national_url": self.national.get("url") or "",
        }


def _is_national(app: Item) -> bool:
    return app.get("national_role") not in (None, "none")


def use_records(snapshot: Snapshot) -> dict[int, UseRecord]:
    """Local applications of the snapshot's scope that record a national system, by id."""
    by_host: dict[str, Item | None] = {}
    for app in snapshot.items.values():
        if app.kind != APPLICATION or app.retired or not _is_national(app):
            continue
        if snapshot.in_scope(app):
            continue  # a regional body's own entry of a national role is not the national one
        # Its address, and the ones it had before (a row of an older inventory still
        # records Dapodik at dapo.dikdasmen.kemdikbud.go.id).
        for url in (app.get("url"), *(app.get("former_urls") or ())):
            hosts = url_keys(url)
            if not hosts:
                continue
            # Two national systems on one host (bpkp.go.id): the host names neither.
            seen = by_host.get(hosts[0], app)
            by_host[hosts[0]] = app if seen is app else None
    out: dict[int, UseRecord] = {}
    if not by_host:
        return out
    for app in snapshot.of_kind(APPLICATION):
        if app.retired or _is_national(app):
            continue
        hosts = url_keys(app.get("url"))
        national = by_host.get(hosts[0]) if hosts else None
        if national is not None:
            out[app.id] = UseRecord(app, national, hosts[0])
    return out


@per_snapshot
def records_for(snapshot: Snapshot) -> dict[int, UseRecord]:
    """The use records of a snapshot, found once and shared by the duplicate matcher, the
    overlap finder and the check."""
    return use_records(snapshot)


def records_of(context: Context) -> dict[int, UseRecord]:
    """The use records of a run's snapshot (see :func:`records_for`)."""
    return records_for(context.snapshot)


UNLINKED_USE = rule(
    "national.unlinked_use",
    "low",
    "Sistem nasional yang dipakai dicatat sebagai aplikasi lokal",
    "National system in use recorded as a local application",
    why=(
        "Katalog SPBE membedakan aplikasi yang dibangun Pemda dari sistem nasional yang "
        "dipakainya (Perpres 95/2018: Aplikasi Umum dan sistem nasional wajib dipakai, bukan "
        "dibangun ulang). Baris yang sebenarnya sistem nasional, tanpa tautan ke entri "
        "nasionalnya, terhitung sebagai aplikasi lokal: menggelembungkan jumlah aplikasi, "
        "memicu dugaan duplikasi palsu dan menyembunyikan ketergantungan pada sistem nasional."
    ),
    why_en=(
        "The SPBE catalogue tells applications a Pemda builds from the national systems it "
        "uses (Perpres 95/2018: Aplikasi Umum and mandatory national systems are used, not "
        "rebuilt). A row that is in fact a national system, without a link to its national "
        "entry, counts as a local application: it inflates the application count, raises "
        "false duplicates and hides the dependency on the national system."
    ),
    clear=(
        "Hubungkan baris ini ke entri sistem nasional di katalog (relasi channel_of: kanal "
        "dari sistem nasional), atau tandai temuan 'bukan duplikat' bila ini memang aplikasi "
        "lokal yang kebetulan memakai alamat itu."
    ),
    clear_en=(
        "Link this row to the national system's catalogue entry (a channel_of relation), or "
        "mark the finding 'not a duplicate' if it really is a local application that happens "
        "to use that address."
    ),
)


@check(UNLINKED_USE.id)
def check_unlinked_use(context: Context) -> Iterator[Finding]:
    records = records_of(context)
    if not records:
        return
    linked = {
        frozenset((link.source, link.target))
        for link in context.snapshot.links
        if link.source[0] == APPLICATION and link.target[0] == APPLICATION
    }
    for record in sorted(records.values(), key=lambda r: r.local.code):
        local, national = record.local, record.national
        if frozenset((local.key, national.key)) in linked:
            continue
        yield UNLINKED_USE.finding(
            [context.subject(local), context.subject(national)],
            f"{local.name} ({local.code}) beralamat sama ({record.host}) dengan sistem "
            f"nasional {national.name} ({national.code}): tampaknya sistem nasional yang "
            "dipakai, bukan aplikasi lokal.",
            f"{local.name} ({local.code}) has the same address ({record.host}) as the "
            f"national system {national.name} ({national.code}): it looks like the national "
            "system in use, not a local build.",
            evidence=record.evidence(),
        )


__all__ = ["UNLINKED_USE", "UseRecord", "records_for", "records_of", "use_records"]
