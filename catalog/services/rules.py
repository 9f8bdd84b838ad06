"""Rules that depend on the kind of item: reference codes, links to other items, dates.

Each check adds to a :class:`ProblemList` instead of raising, so that a person sees every
problem of their input at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session, SQLModel

from catalog.access import SYSTEM
from catalog.enums import InfraType, InstansiKind, NationalRole, ReferenceStatus
from catalog.errors import ProblemList
from catalog.kinds import KindSpec
from catalog.models import IntegrationDataSet
from catalog.models.base import utcnow
from catalog.references import normalise_code, split_code
from catalog.services.checker import Checker
from catalog.services.context import Actor
from catalog.services.permissions import deny, unit_path

_EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    "dataset": ("authoritative_application_id",),
    "integration": ("provider_id", "consumer_id", "intermediary_id", "data_set_ids"),
}
# Inputs that are not columns of the kind's table; written by write_extras.
_LINK_FIELDS: dict[str, tuple[str, ...]] = {"integration": ("data_set_ids",)}
# Fields the services keep themselves (open to trusted callers only).
_MANAGED: dict[str, frozenset[str]] = {
    "integration": frozenset({"confirmed_by_provider", "confirmed_by_consumer"}),
}
# Changing any of these un-confirms the side that did not make the change.
_SUBSTANTIVE = (
    "provider_id",
    "consumer_id",
    "consumer_external",
    "intermediary_id",
    "mechanism",
    "direction",
    "endpoint",
    "data_set_ids",
)


def extra_fields(kind: str) -> tuple[str, ...]:
    return _EXTRA_FIELDS.get(kind, ())


def managed_fields(kind: str) -> frozenset[str]:
    return _MANAGED.get(kind, frozenset())


def side_writable(actor: Actor, checker: Checker, app_id: int | None) -> bool:
    if app_id is None:
        return False
    inst = checker.item_instansi("application", app_id)
    if inst is None:
        return False
    return actor.principal.can_write(
        inst, unit_path(checker, checker.item_owner("application", app_id))
    )


def default_owner(
    kind: str, data: Mapping[str, Any], checker: Checker, actor: Actor
) -> Mapping[str, Any]:
    """An integration registered without an owner belongs to the side its registrant
    represents (the provider's unit when they may write both)."""
    if kind != "integration" or data.get("owner_id") is not None:
        return data
    for side in ("provider_id", "consumer_id"):
        app_id = data.get(side)
        if isinstance(app_id, int) and (
            actor.principal is SYSTEM or side_writable(actor, checker, app_id)
        ):
            owner = checker.item_owner("application", app_id)
            if owner is not None:
                return {**data, "owner_id": owner}
    return data


def require_integration_side(
    actor: Actor, checker: Checker, values: Mapping[str, Any], action: str, object_id: int | None
) -> None:
    """Operators of either side's unit (and architects, admins) may write an integration."""
    if any(side_writable(actor, checker, values.get(s)) for s in ("provider_id", "consumer_id")):
        return
    inst = values.get("instansi_id")
    if inst is not None and actor.principal.can_write(
        inst, unit_path(checker, values.get("owner_id"))
    ):
        return
    raise deny(
        actor,
        action,
        "Anda tidak berwenang mengubah integrasi ini: hanya operator OPD pemilik aplikasi "
        "penyedia atau penerima (atau arsitek) yang dapat melakukannya.",
        "You may not change this integration: only operators of the unit owning the "
        "provider or consumer application (or an architect) may.",
        kind="integration",
        object_id=object_id,
        instansi_id=inst,
    )


def set_confirmations(
    kind: str,
    clean: dict[str, Any],
    before: Mapping[str, Any] | None,
    checker: Checker,
    actor: Actor,
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Registering or substantially changing an integration confirms it for the sides
    the actor represents and leaves (or puts) the other side as unconfirmed."""
    if kind != "integration":
        return
    if before is not None:
        changed = [
            f for f in _SUBSTANTIVE if f in (changes or {}) and (changes or {})[f] != before.get(f)
        ]
        if not changed:
            return
    now = utcnow()
    for side, flag, stamp in (
        ("provider_id", "confirmed_by_provider", "provider_confirmed_at"),
        ("consumer_id", "confirmed_by_consumer", "consumer_confirmed_at"),
    ):
        mine = side_writable(actor, checker, clean.get(side))
        clean[flag] = mine
        clean[stamp] = now if mine else None


def check_reference_code(
    spec: KindSpec,
    code: str | None,
    instansi_id: int | None,
    checker: Checker,
    problems: ProblemList,
    *,
    previous: str | None = None,
) -> str | None:
    if code is None or not str(code).strip():
        return None
    code = normalise_code(str(code))
    if previous is not None and code == previous:
        # Kept as it was: a code that a newer reference set retired stays on the item
        # (reported by the analysis) instead of blocking unrelated edits.
        return code
    parsed = split_code(code)
    if parsed is None:
        problems.add(
            "reference.format",
            f"Kode referensi '{code}' tidak berformat {spec.scheme}.NN[.NN…] "
            "(segmen dua digit dipisah titik).",
            f"Reference code '{code}' is not of the form {spec.scheme}.NN[.NN…] "
            "(two-digit segments separated by dots).",
            "reference_code",
            code,
        )
        return code
    scheme, level = parsed
    if scheme != spec.scheme:
        problems.add(
            "reference.wrong_scheme",
            f"Kode '{code}' adalah referensi {scheme}, sedangkan {spec.label} harus "
            f"memakai kode {spec.scheme}.",
            f"Code '{code}' belongs to {scheme}, but a {spec.label_en} must use a "
            f"{spec.scheme} code.",
            "reference_code",
            code,
        )
        return code
    node = checker.reference_node(code, instansi_id)
    if node is None:
        problems.add(
            "reference.unknown",
            f"Kode referensi '{code}' tidak ada dalam set referensi aktif"
            + (
                " maupun kode lokal instansi ini. Kode lokal level 4 ke bawah didaftarkan "
                "dulu dengan 'katalog reference add-local'."
                if level >= 3
                else "."
            ),
            f"Reference code '{code}' is not in the active reference set"
            + (
                " nor among this instansi's local codes. Register local level-4+ codes first "
                "with 'katalog reference add-local'."
                if level >= 3
                else "."
            ),
            "reference_code",
            code,
        )
    elif node.status == ReferenceStatus.RETIRED:
        hint = f" Gunakan {node.replaced_by}." if node.replaced_by else ""
        hint_en = f" Use {node.replaced_by}." if node.replaced_by else ""
        problems.add(
            "reference.retired",
            f"Kode referensi '{code}' sudah tidak berlaku.{hint}",
            f"Reference code '{code}' is retired.{hint_en}",
            "reference_code",
            code,
        )
    return code


def check_kind(
    spec: KindSpec,
    clean: dict[str, Any],
    data: Mapping[str, Any],
    checker: Checker,
    problems: ProblemList,
    current: SQLModel | None,
) -> None:
    for field in extra_fields(spec.key):
        if field in _LINK_FIELDS.get(spec.key, ()):
            continue
        clean[field] = data[field] if field in data else getattr(current, field, None)
    check = _KIND_CHECKS.get(spec.key)
    if check is not None:
        check(clean, data, checker, problems, current)


def _check_application(
    clean: dict[str, Any],
    data: Mapping[str, Any],
    checker: Checker,
    problems: ProblemList,
    current: SQLModel | None,
) -> None:
    role = clean.get("national_role")
    instansi = checker.instansi(clean.get("instansi_id"))
    if role and role != NationalRole.NONE and instansi and instansi.kind != InstansiKind.PUSAT:
        problems.add(
            "application.national_role",
            "Hanya aplikasi milik instansi pusat yang dapat ditandai sebagai aplikasi "
            "nasional (Aplikasi Umum / sistem wajib).",
            "Only applications owned by a central government body can be flagged as "
            "national (general application / mandatory system).",
            "national_role",
            str(role),
        )
    year = clean.get("year_built")
    # A value that failed type validation is already reported; check only real numbers.
    if isinstance(year, int) and not 1970 <= year <= 2100:
        problems.add(
            "application.year",
            f"Tahun pembuatan {year} tidak masuk akal (1970–2100).",
            f"Year built {year} is implausible (1970–2100).",
            "year_built",
            year,
        )
    value = clean.get("contract_value")
    if isinstance(value, int) and value < 0:
        problems.add(
            "application.contract_value",
            "Nilai kontrak tidak boleh negatif.",
            "Contract value must not be negative.",
            "contract_value",
            value,
        )


def _check_dataset(
    clean: dict[str, Any],
    data: Mapping[str, Any],
    checker: Checker,
    problems: ProblemList,
    current: SQLModel | None,
) -> None:
    if current is None and clean.get("producer_id") is None:
        # Produsen data is, unless said otherwise, the unit that owns the data set.
        clean["producer_id"] = clean.get("owner_id")
    app_id = clean.get("authoritative_application_id")
    if app_id is not None and checker.item_instansi("application", app_id) is None:
        problems.add(
            "dataset.authoritative_unknown",
            f"Aplikasi sumber otoritatif dengan id {app_id} tidak ada.",
            f"Authoritative application with id {app_id} does not exist.",
            "authoritative_application_id",
            app_id,
        )


def _check_integration(
    clean: dict[str, Any],
    data: Mapping[str, Any],
    checker: Checker,
    problems: ProblemList,
    current: SQLModel | None,
) -> None:
    provider = clean.get("provider_id")
    consumer = clean.get("consumer_id")
    instansi_id = clean.get("instansi_id")
    sides: list[int | None] = []
    if provider is None:
        problems.add(
            "integration.provider_missing",
            "Isian 'provider_id' (aplikasi penyedia) wajib diisi.",
            "Field 'provider_id' (providing application) is required.",
            "provider_id",
        )
    else:
        sides.append(checker.item_instansi("application", provider))
        if sides[-1] is None:
            problems.add(
                "integration.provider_unknown",
                f"Aplikasi penyedia dengan id {provider} tidak ada.",
                f"Providing application with id {provider} does not exist.",
                "provider_id",
                provider,
            )
    if consumer is None and not clean.get("consumer_external"):
        problems.add(
            "integration.consumer_missing",
            "Isi 'consumer_id' (aplikasi penerima) atau 'consumer_external' (sistem di luar "
            "katalog).",
            "Give 'consumer_id' (consuming application) or 'consumer_external' (a system "
            "outside the catalogue).",
            "consumer_id",
        )
    elif consumer is not None:
        sides.append(checker.item_instansi("application", consumer))
        if sides[-1] is None:
            problems.add(
                "integration.consumer_unknown",
                f"Aplikasi penerima dengan id {consumer} tidak ada.",
                f"Consuming application with id {consumer} does not exist.",
                "consumer_id",
                consumer,
            )
        elif consumer == provider:
            problems.add(
                "integration.self",
                "Aplikasi penyedia dan penerima tidak boleh sama.",
                "Provider and consumer must be different applications.",
                "consumer_id",
                consumer,
            )
    known_sides = [s for s in sides if s is not None]
    if instansi_id is not None and known_sides and instansi_id not in known_sides:
        problems.add(
            "integration.foreign",
            "Salah satu sisi integrasi harus aplikasi milik instansi ini.",
            "One side of the integration must be an application of this instansi.",
            "provider_id",
            provider,
        )
    via = clean.get("intermediary_id")
    if via is not None:
        kind = checker.infra_type(via)
        if kind is None:
            problems.add(
                "integration.intermediary_unknown",
                f"Perantara (SPL) dengan id {via} tidak ada.",
                f"Intermediary (SPL) with id {via} does not exist.",
                "intermediary_id",
                via,
            )
        elif kind != InfraType.SPL:
            problems.add(
                "integration.intermediary_not_spl",
                f"Perantara dengan id {via} bukan Sistem Penghubung Layanan (jenisnya {kind}).",
                f"Intermediary with id {via} is not a service integration layer (SPL); it is "
                f"a {kind}.",
                "intermediary_id",
                via,
            )
    started, ended = clean.get("started_on"), clean.get("ended_on")
    if isinstance(started, date) and isinstance(ended, date) and ended < started:
        problems.add(
            "integration.dates",
            "Tanggal berakhir tidak boleh sebelum tanggal mulai.",
            "The end date must not be before the start date.",
            "ended_on",
            str(ended),
        )
    if "data_set_ids" in data:
        ids = data.get("data_set_ids") or []
        if not isinstance(ids, list | tuple) or not all(isinstance(i, int) for i in ids):
            problems.add(
                "integration.data_sets",
                "Isian 'data_set_ids' harus daftar id data.",
                "Field 'data_set_ids' must be a list of data set ids.",
                "data_set_ids",
            )
        else:
            for i in ids:
                if checker.item_instansi("dataset", i) is None:
                    problems.add(
                        "integration.data_set_unknown",
                        f"Data dengan id {i} tidak ada.",
                        f"Data set with id {i} does not exist.",
                        "data_set_ids",
                        i,
                    )


def _check_security(
    clean: dict[str, Any],
    data: Mapping[str, Any],
    checker: Checker,
    problems: ProblemList,
    current: SQLModel | None,
) -> None:
    done, until = clean.get("performed_on"), clean.get("valid_until")
    if isinstance(done, date) and isinstance(until, date) and until < done:
        problems.add(
            "security.dates",
            "Tanggal 'berlaku sampai' tidak boleh sebelum tanggal pelaksanaan.",
            "'Valid until' must not be before the date performed.",
            "valid_until",
            str(until),
        )


_KIND_CHECKS = {
    "application": _check_application,
    "dataset": _check_dataset,
    "integration": _check_integration,
    "security": _check_security,
}


def pop_extras(kind: str, clean: dict[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs that are written to link tables rather than to the item's own row."""
    return {f: list(data[f] or []) for f in _LINK_FIELDS.get(kind, ()) if f in data}


def write_extras(session: Session, kind: str, obj: SQLModel, extras: dict[str, Any]) -> bool:
    """Write link-table inputs; tell whether anything changed."""
    if kind != "integration" or "data_set_ids" not in extras:
        return False
    wanted = set(extras["data_set_ids"])
    have = set(
        session.execute(
            select(IntegrationDataSet.data_set_id).where(
                IntegrationDataSet.integration_id == obj.id  # type: ignore[attr-defined]
            )
        ).scalars()
    )
    if wanted == have:
        return False
    if have - wanted:
        session.execute(
            delete(IntegrationDataSet).where(
                IntegrationDataSet.integration_id == obj.id,  # type: ignore[attr-defined]
                IntegrationDataSet.data_set_id.in_(have - wanted),
            )
        )
    for ds in sorted(wanted - have):
        session.add(IntegrationDataSet(integration_id=obj.id, data_set_id=ds))  # type: ignore[attr-defined]
    session.flush()
    return True
