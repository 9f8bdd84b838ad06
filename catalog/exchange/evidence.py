"""Evidence tables for the SPBE evaluation (PermenPANRB 59/2020).

Four tables an evaluator asks for, written as one XLSX workbook (or CSV files in a folder
or a .zip) with the writers of the exchange files:

- *Aset Aplikasi* and *Aset Infrastruktur*: the ICT asset register (indicator 24,
  Manajemen Aset TIK);
- *API pada SPL*: every integration that goes through an SPL (the list of APIs on the bus,
  evidence for indicator 18, Penggunaan Sistem Penghubung Layanan);
- *Integrasi di luar SPL*: the point-to-point integrations that still bypass the bus.

These are reports, not exchange files: units and applications appear by name beside their
code, enumerations and lookup values by their Indonesian label, and what the principal of
the scope may not see is left out (a linked item the principal may not see is left blank).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from catalog.access import visible_clause
from catalog.enums import (
    AppType,
    InfraType,
    IntegrationDirection,
    IntegrationMechanism,
    IntegrationStatus,
    LifecycleStatus,
    label,
)
from catalog.errors import InvalidInput
from catalog.exchange.columns import Column, Sheet
from catalog.exchange.document import Scope, scoped
from catalog.exchange.writers import write_csv, write_xlsx
from catalog.models import (
    Application,
    DataSet,
    InfrastructureItem,
    Instansi,
    Integration,
    IntegrationDataSet,
    LookupValue,
    Organisation,
    Relation,
)


def _col(key: str, header: str, note: str, kind: str = "text") -> Column:
    return Column(key, header, note, note, kind, key)


_INSTANSI = _col("instansi", "Kode instansi", "Instansi pemilik.")

APPLICATIONS = Sheet(
    "aset_aplikasi",
    "application",
    "Aset Aplikasi",
    "aset_aplikasi.csv",
    (
        _INSTANSI,
        _col("code", "Kode aplikasi", "Kode unik aplikasi di instansi."),
        _col("name", "Nama aplikasi", "Nama aplikasi."),
        _col("acronym", "Singkatan", "Singkatan / nama pendek."),
        _col("owner_code", "Kode OPD pemilik", "Kode unit pemilik."),
        _col("owner", "OPD pemilik", "Unit pemilik aplikasi."),
        _col("app_type", "Jenis aplikasi", "Aplikasi Umum atau Aplikasi Khusus."),
        _col("status", "Status", "Status siklus hidup."),
        _col("platform", "Basis", "Basis aplikasi (web, mobile, desktop…)."),
        _col("year_built", "Tahun pembuatan", "Tahun aplikasi dibangun.", "int"),
        _col("funding_source", "Sumber dana", "Sumber pendanaan pembangunan."),
        _col("contract_value", "Nilai kontrak (Rp)", "Nilai kontrak dalam rupiah.", "int"),
        _col("developer", "Pengembang", "Pihak yang membangun (penyedia atau tim)."),
        _col("developer_unit", "Unit pengembang", "Unit instansi yang mengembangkan."),
        _col(
            "hosted_on",
            "Ditempatkan pada",
            "Infrastruktur tempat aplikasi berjalan (relasi 'ditempatkan pada').",
            "list",
        ),
        _col(
            "data_centre",
            "Pusat data / komputasi awan",
            "Pusat data atau layanan awan di bawah infrastruktur tersebut.",
            "list",
        ),
        _col("hosting_note", "Catatan lokasi hosting", "Lokasi hosting menurut pengisi."),
        _col("url", "URL", "Alamat aplikasi."),
        _col("licence_type", "Tipe lisensi", "Jenis lisensi."),
        _col("reference_code", "Kode referensi (RAA)", "Kode Referensi Arsitektur Aplikasi."),
    ),
)

INFRASTRUCTURE = Sheet(
    "aset_infrastruktur",
    "infrastructure",
    "Aset Infrastruktur",
    "aset_infrastruktur.csv",
    (
        _INSTANSI,
        _col("code", "Kode infrastruktur", "Kode unik di instansi."),
        _col("name", "Nama", "Nama aset infrastruktur."),
        _col("infra_type", "Jenis", "Jenis objek infrastruktur SPBE."),
        _col("owner_code", "Kode OPD pemilik", "Kode unit pemilik."),
        _col("owner", "OPD pemilik", "Unit pemilik aset."),
        _col("location", "Lokasi", "Lokasi fisik atau wilayah layanan."),
        _col("provider", "Penyedia", "Penyedia / vendor."),
        _col("specification", "Spesifikasi / kapasitas", "Spesifikasi teknis.", "long"),
        _col("deployment", "Penempatan", "Fisik, virtual, komputasi awan, kolokasi."),
        _col("quantity", "Jumlah", "Jumlah unit.", "int"),
        _col("status", "Status", "Status siklus hidup."),
        _col("hosted_on", "Ditempatkan pada", "Infrastruktur induk (mis. pusat data).", "list"),
        _col("reference_code", "Kode referensi (RAI)", "Kode Referensi Arsitektur Infrastruktur."),
    ),
)


def _integration_columns(*, with_spl: bool) -> tuple[Column, ...]:
    spl = (
        (
            _col("spl_code", "Kode SPL", "Kode Sistem Penghubung Layanan."),
            _col("spl", "SPL", "Sistem Penghubung Layanan yang dilalui."),
        )
        if with_spl
        else ()
    )
    return (
        _INSTANSI,
        _col("code", "Kode integrasi", "Kode unik integrasi di instansi."),
        _col("name", "Nama integrasi", "Nama integrasi / API."),
        *spl,
        _col("provider_code", "Kode aplikasi penyedia", "Kode aplikasi penyedia data."),
        _col("provider", "Aplikasi penyedia", "Aplikasi yang menyediakan data / layanan."),
        _col("provider_owner", "OPD penyedia", "Unit pemilik aplikasi penyedia."),
        _col("consumer_code", "Kode aplikasi penerima", "Kode aplikasi penerima."),
        _col(
            "consumer",
            "Aplikasi penerima / sistem eksternal",
            "Aplikasi penerima, atau sistem di luar katalog.",
        ),
        _col("consumer_owner", "OPD penerima", "Unit pemilik aplikasi penerima."),
        _col("endpoint", "Endpoint / alamat API", "Alamat API atau layanan."),
        _col("mechanism", "Mekanisme", "REST/SOAP API, transfer berkas, tautan basis data…"),
        _col("direction", "Arah", "Satu arah atau dua arah."),
        _col("data_sets", "Data yang dipertukarkan", "Nama data yang dibawa.", "list"),
        _col("status", "Status", "Status integrasi."),
        _col("started_on", "Mulai berlaku", "Tanggal mulai (TTTT-BB-HH).", "date"),
        _col(
            "confirmed",
            "Dikonfirmasi kedua pihak",
            "ya bila pemilik penyedia dan penerima sama-sama mengonfirmasi.",
        ),
    )


SPL_APIS = Sheet(
    "api_pada_spl",
    "integration",
    "API pada SPL",
    "api_pada_spl.csv",
    _integration_columns(with_spl=True),
)
POINT_TO_POINT = Sheet(
    "integrasi_di_luar_spl",
    "integration",
    "Integrasi di luar SPL",
    "integrasi_di_luar_spl.csv",
    _integration_columns(with_spl=False),
)
SHEETS = (APPLICATIONS, INFRASTRUCTURE, SPL_APIS, POINT_TO_POINT)

_HOSTS = (InfraType.DATA_CENTRE.value, InfraType.CLOUD.value)


def _join(values: Iterable[str]) -> str | None:
    return "; ".join(values) or None


def _yes(value: bool) -> str:
    return "ya" if value else "tidak"


@dataclass
class _Infra:
    code: str
    name: str
    infra_type: str


class _Context:
    """Names of everything the tables refer to, loaded once (a handful of narrow queries,
    bounded by the number of items, not by the number of rows written)."""

    def __init__(self, session: Session, scope: Scope) -> None:
        self.session = session
        self.scope = scope
        principal = scope.principal
        self.instansi = {i.id: i for i in session.execute(select(Instansi)).scalars()}
        self.units: dict[int, tuple[str, str, str]] = {
            oid: (code, name, path)
            for oid, code, name, path in session.execute(
                select(Organisation.id, Organisation.code, Organisation.name, Organisation.path)
            )
        }
        self.lookups: dict[tuple[str, str], str] = {
            (cat, value): text
            for cat, value, text in session.execute(
                select(LookupValue.category, LookupValue.value, LookupValue.label)
            )
        }
        self.infra: dict[int, _Infra] = {
            iid: _Infra(code, name, str(kind))
            for iid, code, name, kind in session.execute(
                select(
                    InfrastructureItem.id,
                    InfrastructureItem.code,
                    InfrastructureItem.name,
                    InfrastructureItem.infra_type,
                ).where(visible_clause(principal, "infrastructure", InfrastructureItem))
            )
        }
        self.apps: dict[int, tuple[int, str, str, int]] = {
            aid: (inst, code, name, owner)
            for aid, inst, code, name, owner in session.execute(
                select(
                    Application.id,
                    Application.instansi_id,
                    Application.code,
                    Application.name,
                    Application.owner_id,
                ).where(visible_clause(principal, "application", Application))
            )
        }
        self.hosted_on: dict[tuple[str, int], list[int]] = defaultdict(list)
        for source_kind, source_id, target_id in session.execute(
            select(Relation.source_kind, Relation.source_id, Relation.target_id)
            .where(Relation.type == "hosted_on", Relation.target_kind == "infrastructure")
            .order_by(Relation.id)
        ):
            if target_id in self.infra:
                self.hosted_on[(source_kind, source_id)].append(target_id)

    def lookup(self, category: str, value: str | None) -> str | None:
        if not value:
            return None
        return self.lookups.get((category, value), value)

    def unit_code(self, unit_id: int | None) -> str | None:
        return self.units[unit_id][0] if unit_id in self.units else None

    def unit_name(self, unit_id: int | None) -> str | None:
        return self.units[unit_id][1] if unit_id in self.units else None

    def top_unit(self, unit_id: int | None) -> int | None:
        """The OPD a unit belongs to (the top of its path)."""
        if unit_id not in self.units:
            return None
        head = self.units[unit_id][2].strip("/").split("/")[0]
        return int(head) if head.isdigit() else unit_id

    def infra_label(self, infra_id: int) -> str:
        item = self.infra[infra_id]
        return f"{item.name} ({item.code})"

    def hosts(self, kind: str, item_id: int) -> list[int]:
        return self.hosted_on.get((kind, item_id), [])

    def data_centres(self, kind: str, item_id: int) -> list[int]:
        """Data centres and cloud services an item ends up on, following 'hosted on'."""
        found: list[int] = []
        seen: set[int] = set()
        todo = list(self.hosts(kind, item_id))
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.add(current)
            if self.infra[current].infra_type in _HOSTS:
                found.append(current)
            todo.extend(self.hosts("infrastructure", current))
        return found

    def app_code(self, app_id: int | None, home: int) -> str | None:
        if app_id not in self.apps:
            return None
        inst, code, _, _ = self.apps[app_id]  # type: ignore[index]
        return code if inst == home else f"{self.instansi[inst].code}/{code}"

    def app_name(self, app_id: int | None) -> str | None:
        return self.apps[app_id][2] if app_id in self.apps else None

    def app_owner(self, app_id: int | None) -> int | None:
        return self.apps[app_id][3] if app_id in self.apps else None


def _items(session: Session, scope: Scope, model: Any, kind: str, *where: Any) -> Iterator[Any]:
    stmt = scoped(select(model), model, scope, session).where(
        visible_clause(scope.principal, kind, model), *where
    )
    if not scope.include_retired:
        stmt = stmt.where(model.retired_at.is_(None))
    yield from session.execute(
        stmt.order_by(model.instansi_id, model.code).execution_options(yield_per=1000)
    ).scalars()


def application_rows(ctx: _Context) -> Iterator[dict[str, Any]]:
    for app in _items(ctx.session, ctx.scope, Application, "application"):
        yield {
            "instansi": ctx.instansi[app.instansi_id].code,
            "code": app.code,
            "name": app.name,
            "acronym": app.acronym,
            "owner_code": ctx.unit_code(app.owner_id),
            "owner": ctx.unit_name(app.owner_id),
            "app_type": label(app.app_type, AppType),
            "status": label(app.status, LifecycleStatus),
            "platform": ctx.lookup("app_platform", app.platform),
            "year_built": app.year_built,
            "funding_source": ctx.lookup("funding_source", app.funding_source),
            "contract_value": app.contract_value,
            "developer": app.developer_name,
            "developer_unit": ctx.unit_name(app.developer_unit_id),
            "hosted_on": _join(ctx.infra_label(i) for i in ctx.hosts("application", app.id)),
            "data_centre": _join(
                ctx.infra_label(i) for i in ctx.data_centres("application", app.id)
            ),
            "hosting_note": app.hosting_note,
            "url": app.url,
            "licence_type": ctx.lookup("licence_type", app.licence_type),
            "reference_code": app.reference_code,
        }


def infrastructure_rows(ctx: _Context) -> Iterator[dict[str, Any]]:
    for item in _items(ctx.session, ctx.scope, InfrastructureItem, "infrastructure"):
        yield {
            "instansi": ctx.instansi[item.instansi_id].code,
            "code": item.code,
            "name": item.name,
            "infra_type": label(item.infra_type, InfraType),
            "owner_code": ctx.unit_code(item.owner_id),
            "owner": ctx.unit_name(item.owner_id),
            "location": item.location,
            "provider": item.provider,
            "specification": item.specification,
            "deployment": ctx.lookup("deployment", item.deployment),
            "quantity": item.quantity,
            "status": label(item.status, LifecycleStatus),
            "hosted_on": _join(ctx.infra_label(i) for i in ctx.hosts("infrastructure", item.id)),
            "reference_code": item.reference_code,
        }


def _carried(session: Session, scope: Scope) -> dict[int, list[str]]:
    """Integration id → names of the visible data sets it carries."""
    visible = select(DataSet.id).where(visible_clause(scope.principal, "dataset", DataSet))
    out: dict[int, list[str]] = defaultdict(list)
    for integration_id, name in session.execute(
        select(IntegrationDataSet.integration_id, DataSet.name)
        .join(DataSet, DataSet.id == IntegrationDataSet.data_set_id)
        .where(DataSet.id.in_(visible))
        .order_by(IntegrationDataSet.integration_id, DataSet.name)
    ):
        out[integration_id].append(name)
    return out


def integration_rows(ctx: _Context, *, through_spl: bool) -> Iterator[dict[str, Any]]:
    carried = _carried(ctx.session, ctx.scope)
    via = Integration.intermediary_id
    wanted = via.is_not(None) if through_spl else via.is_(None)
    for integ in _items(ctx.session, ctx.scope, Integration, "integration", wanted):
        home = integ.instansi_id
        consumer = ctx.app_name(integ.consumer_id) or integ.consumer_external
        row: dict[str, Any] = {
            "instansi": ctx.instansi[home].code,
            "code": integ.code,
            "name": integ.name,
            "provider_code": ctx.app_code(integ.provider_id, home),
            "provider": ctx.app_name(integ.provider_id),
            "provider_owner": ctx.unit_name(ctx.app_owner(integ.provider_id)),
            "consumer_code": ctx.app_code(integ.consumer_id, home),
            "consumer": consumer,
            "consumer_owner": ctx.unit_name(ctx.app_owner(integ.consumer_id)),
            "endpoint": integ.endpoint,
            "mechanism": label(integ.mechanism, IntegrationMechanism),
            "direction": label(integ.direction, IntegrationDirection),
            "data_sets": _join(carried.get(integ.id, [])),  # type: ignore[arg-type]
            "status": label(integ.status, IntegrationStatus),
            "started_on": integ.started_on,
            "confirmed": _yes(integ.confirmed_by_provider and integ.confirmed_by_consumer),
        }
        if through_spl and integ.intermediary_id in ctx.infra:
            spl = ctx.infra[integ.intermediary_id]  # type: ignore[index]
            row["spl_code"] = spl.code
            row["spl"] = spl.name
        yield row


@dataclass
class Summary:
    applications: int
    infrastructure: int
    through_spl: int
    point_to_point: int
    units_on_spl: int  # OPD whose applications exchange data through the SPL
    units_with_integrations: int  # OPD whose applications exchange data at all

    @property
    def spl_share(self) -> float | None:
        total = self.through_spl + self.point_to_point
        return self.through_spl / total if total else None


def summary(ctx: _Context) -> Summary:
    """Counts for the cover sheet, with the same filters as the tables."""
    session, scope = ctx.session, ctx.scope

    def count(model: Any, kind: str) -> int:
        stmt = scoped(select(func.count(model.id)), model, scope, session).where(
            visible_clause(scope.principal, kind, model)
        )
        if not scope.include_retired:
            stmt = stmt.where(model.retired_at.is_(None))
        return int(session.execute(stmt).scalar_one())

    stmt = scoped(
        select(Integration.intermediary_id, Integration.provider_id, Integration.consumer_id),
        Integration,
        scope,
        session,
    ).where(visible_clause(scope.principal, "integration", Integration))
    if not scope.include_retired:
        stmt = stmt.where(Integration.retired_at.is_(None))
    through = direct = 0
    on_spl: set[int] = set()
    integrated: set[int] = set()
    for via, provider, consumer in session.execute(stmt):
        units = {ctx.top_unit(ctx.app_owner(a)) for a in (provider, consumer)} - {None}
        integrated.update(units)  # type: ignore[arg-type]
        if via is None:
            direct += 1
        else:
            through += 1
            on_spl.update(units)  # type: ignore[arg-type]
    return Summary(
        applications=count(Application, "application"),
        infrastructure=count(InfrastructureItem, "infrastructure"),
        through_spl=through,
        point_to_point=direct,
        units_on_spl=len(on_spl),
        units_with_integrations=len(integrated),
    )


def _audience(scope: Scope) -> str:
    principal = scope.principal
    if principal.is_admin or principal.read_all:
        return ""
    if not principal.is_authenticated:
        return "; hanya item yang boleh dilihat publik"
    return f"; item yang boleh dilihat {principal.display_name}"


def cover(ctx: _Context, totals: Summary, now: datetime | None = None) -> list[str]:
    """The lines of the cover sheet: what each table is evidence for, and the counts."""
    scope = ctx.scope
    now = now or datetime.now(UTC)
    if scope.instansi_ids:
        names = ", ".join(
            f"{ctx.instansi[i].name} ({ctx.instansi[i].code})" for i in scope.instansi_ids
        )
    else:
        names = "semua instansi"
    share = totals.spl_share
    lines = [
        "BUKTI EVALUASI SPBE (PERMENPANRB 59/2020)",
        f"Instansi: {names}",
    ]
    if scope.owner_path is not None:
        head = scope.owner_path.strip("/").split("/")[-1]
        unit = ctx.unit_name(int(head)) if head.isdigit() else None
        lines.append(f"Hanya OPD: {unit or scope.owner_path} (dan sub-unitnya)")
    lines += [
        f"Dibuat dari Katalog SPBE pada {now:%Y-%m-%d %H:%M} UTC.",
        "Cakupan: "
        + ("termasuk item yang sudah dihentikan" if scope.include_retired else "item aktif saja")
        + _audience(scope)
        + ".",
        "",
        "LEMBAR",
        f"Aset Aplikasi: register aset aplikasi, {totals.applications} aplikasi "
        "(indikator 24, Manajemen Aset TIK).",
        f"Aset Infrastruktur: register aset infrastruktur, {totals.infrastructure} item "
        "(indikator 24, Manajemen Aset TIK).",
        f"API pada SPL: {totals.through_spl} integrasi melalui Sistem Penghubung Layanan "
        "(daftar API pada SPL, bukti indikator 18).",
        f"Integrasi di luar SPL: {totals.point_to_point} integrasi langsung (point-to-point) "
        "yang belum melalui SPL.",
        "",
        "RINGKASAN",
        "Porsi integrasi melalui SPL: "
        + (f"{share:.0%}." if share is not None else "belum ada integrasi tercatat."),
        f"OPD yang aplikasinya bertukar data melalui SPL: {totals.units_on_spl} dari "
        f"{totals.units_with_integrations} OPD yang aplikasinya terintegrasi.",
    ]
    return lines


def evidence_sheets(
    session: Session, scope: Scope
) -> tuple[list[str], list[tuple[Sheet, Iterator[dict[str, Any]]]]]:
    """The cover lines and the four tables (rows produced lazily)."""
    ctx = _Context(session, scope)
    lines = cover(ctx, summary(ctx))
    return lines, [
        (APPLICATIONS, application_rows(ctx)),
        (INFRASTRUCTURE, infrastructure_rows(ctx)),
        (SPL_APIS, integration_rows(ctx, through_spl=True)),
        (POINT_TO_POINT, integration_rows(ctx, through_spl=False)),
    ]


def write_evidence(session: Session, scope: Scope, output: Path) -> None:
    """Write the evidence tables: an XLSX workbook when ``output`` ends with .xlsx, CSV
    files in a .zip when it ends with .zip, or in a folder when it has no suffix."""
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".zip", ""):
        raise InvalidInput(
            "Berkas bukti SPBE harus .xlsx, .zip, atau folder (tanpa akhiran).",
            "Evidence output must be .xlsx, .zip, or a folder (no suffix).",
            field="output",
            value=str(output),
        )
    lines, tables = evidence_sheets(session, scope)
    if suffix == ".xlsx":
        write_xlsx(output, tables, instructions=lines)
    else:
        write_csv(output, tables, extra={"RINGKASAN.txt": "\n".join(lines) + "\n"})


__all__ = [
    "APPLICATIONS",
    "INFRASTRUCTURE",
    "POINT_TO_POINT",
    "SHEETS",
    "SPL_APIS",
    "Summary",
    "evidence_sheets",
    "write_evidence",
]
