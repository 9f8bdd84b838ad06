"""What every catalogue starts with: default lookups, the shipped reference set and the
national catalogue (central government bodies and the national applications regions must
use, such as SRIKANDI, SP4N-LAPOR!, SIPD, SIASN). Idempotent: running it again adds only
what is missing and never changes what an administrator edited."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlmodel import Session

from catalog.enums import AppType, DataClassification, InstansiKind, LifecycleStatus
from catalog.kinds import KINDS
from catalog.models import Instansi, Organisation, ReferenceSet
from catalog.references import SHIPPED_REFERENCE, parse_reference_file
from catalog.services.checker import Checker
from catalog.services.context import Actor
from catalog.services.items import create_item, update_item
from catalog.services.lookups import ensure_default_lookups
from catalog.services.organisations import create_instansi, create_organisation
from catalog.services.references import install_reference_set
from catalog.services.relations import link
from catalog.services.tx import transaction

NATIONAL_CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "national.yaml"


@dataclass
class SeedReport:
    lookups_added: int = 0
    reference_set_installed: str | None = None
    created: dict[str, int] = field(default_factory=dict)
    # National applications given the former addresses this release knows of them.
    addresses_added: int = 0

    def bump(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def seed(session: Session, actor: Actor, *, national: bool = True) -> SeedReport:
    report = SeedReport()
    with transaction(session):
        report.lookups_added = ensure_default_lookups(session, actor)
        has_set = session.execute(select(ReferenceSet.id).limit(1)).first() is not None
        if not has_set:
            result = install_reference_set(session, actor, parse_reference_file(SHIPPED_REFERENCE))
            report.reference_set_installed = (
                f"{result.reference_set.key} {result.reference_set.version}"
            )
        if national:
            load_national_catalogue(session, actor, report)
    return report


def load_national_catalogue(
    session: Session, actor: Actor, report: SeedReport, path: Path = NATIONAL_CATALOGUE
) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    checker = Checker(session)
    units: dict[tuple[str, str], int] = {}
    instansi_ids: dict[str, int] = {}
    for entry in doc.get("instansi", []):
        inst = session.execute(
            select(Instansi).where(Instansi.code == entry["code"])
        ).scalar_one_or_none()
        if inst is None:
            inst = create_instansi(
                session,
                actor,
                {
                    "code": entry["code"],
                    "name": entry["name"],
                    "short_name": entry.get("short"),
                    "kind": InstansiKind.PUSAT,
                },
            )
            report.bump("instansi")
        assert inst.id is not None
        instansi_ids[entry["code"]] = inst.id
        existing = {
            o.code: o.id
            for o in session.execute(
                select(Organisation).where(Organisation.instansi_id == inst.id)
            ).scalars()
        }
        # The body itself is the top unit; eselon-I units hang below it.
        root_code = entry["code"]
        if root_code not in existing:
            root = create_organisation(
                session,
                actor,
                {
                    "instansi_id": inst.id,
                    "code": root_code,
                    "name": entry["name"],
                    "short_name": entry.get("short"),
                    "kind": "kementerian" if entry["name"].startswith("Kementerian") else "lembaga",
                },
                checker=checker,
            )
            existing[root_code] = root.id  # type: ignore[assignment]
            report.bump("organisation")
        units[(entry["code"], root_code)] = existing[root_code]  # type: ignore[assignment]
        for unit in entry.get("units", []):
            if unit["code"] not in existing:
                org = create_organisation(
                    session,
                    actor,
                    {
                        "instansi_id": inst.id,
                        "parent_id": existing[root_code],
                        "code": unit["code"],
                        "name": unit["name"],
                        "short_name": unit.get("short"),
                        "kind": "eselon1",
                    },
                    checker=checker,
                )
                existing[unit["code"]] = org.id  # type: ignore[assignment]
                report.bump("organisation")
            units[(entry["code"], unit["code"])] = existing[unit["code"]]  # type: ignore[assignment]
    for app in doc.get("applications", []):
        _national_application(session, actor, app, instansi_ids, units, report)


def _add_former_urls(
    session: Session, actor: Actor, obj: Any, app: dict[str, Any], report: SeedReport
) -> None:
    """A national application already in the catalogue gets the former addresses this
    release knows and it lacks (the catalogue recognises a system in use by them). Only
    added: an address someone entered stays, and nothing else of the entry is touched."""
    known = list(obj.former_urls or [])
    missing = [u for u in app.get("former_urls") or [] if u not in known]
    if missing:
        update_item(session, actor, "application", obj.id, {"former_urls": known + missing})
        report.addresses_added += 1


def _existing_item(session: Session, kind: str, instansi_id: int, code: str) -> Any:
    model = KINDS[kind].model
    return session.execute(
        select(model).where(model.instansi_id == instansi_id, model.code == code)  # type: ignore[attr-defined]
    ).scalar_one_or_none()


def _national_application(
    session: Session,
    actor: Actor,
    app: dict[str, Any],
    instansi_ids: dict[str, int],
    units: dict[tuple[str, str], int],
    report: SeedReport,
) -> None:
    inst_id = instansi_ids[app["owner"]]
    owner_id = (
        units.get((app["owner"], app.get("owner_unit") or app["owner"]))
        or units[(app["owner"], app["owner"])]
    )
    obj = _existing_item(session, "application", inst_id, app["code"])
    if obj is None:
        reason = app.get("legal_reason")
        aliases = list(dict.fromkeys([*(app.get("aliases") or []), app.get("expansion")]))
        obj = create_item(
            session,
            actor,
            "application",
            {
                "instansi_id": inst_id,
                "owner_id": owner_id,
                "code": app["code"],
                "name": app["name"],
                "acronym": app.get("acronym"),
                "description": app.get("description"),
                "function": app.get("function"),
                "output": app.get("output"),
                "reference_code": app.get("reference_code"),
                "app_type": AppType.UMUM
                if str(app.get("reference_code", "")).startswith("RAA.01")
                else AppType.KHUSUS,
                "national_role": app["national_role"],
                "status": LifecycleStatus.ACTIVE,
                "platform": "web",
                "url": app.get("url"),
                "legal_basis": " — ".join(p for p in (app.get("legal_basis"), reason) if p),
                "aliases": [a for a in aliases if a],
                "former_urls": list(app.get("former_urls") or []),
            },
        )
        report.bump("application")
    else:
        _add_former_urls(session, actor, obj, app, report)
    for ds in app.get("data_sets") or []:
        code = ds["id"].upper().replace("_", "-")
        if _existing_item(session, "dataset", inst_id, code) is not None:
            continue
        data = create_item(
            session,
            actor,
            "dataset",
            {
                "instansi_id": inst_id,
                "owner_id": owner_id,
                "code": code,
                "name": ds["name"],
                "description": ds.get("description"),
                "reference_code": ds.get("rad"),
                "classification": ds.get("sifat", DataClassification.TERBATAS),
                "data_type": ds.get("jenis"),
                "update_schedule": ds.get("jadwal"),
                "format": "api",
                "interoperable": True,
                "is_master": bool(ds.get("master")),
                "authoritative_application_id": obj.id,  # type: ignore[attr-defined]
            },
        )
        link(session, actor, "produces", "application", obj.id, "dataset", data.id)  # type: ignore[attr-defined]
        report.bump("dataset")
