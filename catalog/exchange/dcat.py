"""The data sets of the catalogue as DCAT-AP-style JSON-LD, for Satu Data portals and any
harvester that reads DCAT.

One ``dcat:Catalog`` per instansi (published by the instansi) holds its data sets. Each data
set carries the Satu Data metadata the catalogue records: producing unit (``dct:publisher``),
walidata (``dcat:contactPoint``), sifat data (``dct:accessRights``, EU access-right
vocabulary), jadwal pemutakhiran (``dct:accrualPeriodicity``, EU frequency vocabulary), the
RAD code (``dcat:theme``), format (a ``dcat:Distribution``) and whether it is data induk
(``kspbe:dataInduk``). What the principal of the scope may not see is left out, so an
export with ``--public`` holds no *terbatas* or *tertutup* data set.

The file is written one data set at a time: a national export (tens of thousands of data
sets) needs little memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select
from sqlmodel import Session

from catalog.access import visible_clause
from catalog.enums import DataClassification, LifecycleStatus
from catalog.exchange.document import Scope, scoped
from catalog.models import (
    Application,
    DataSet,
    Instansi,
    LookupValue,
    Organisation,
    ReferenceNode,
    ReferenceSet,
)
from catalog.references import ancestors

# Where the landing pages live. The catalogue does not know its public address yet, so the
# caller passes it; the placeholder keeps the IRIs absolute (RDF needs that).
DEFAULT_BASE_URL = "https://katalog-spbe.invalid"
KSPBE = "https://katalog-spbe.invalid/ns#"
EU = "http://publications.europa.eu/resource/authority/"

CONTEXT: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "adms": "http://www.w3.org/ns/adms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "kspbe": KSPBE,
}

ACCESS_RIGHTS: dict[str, str] = {
    DataClassification.TERBUKA.value: f"{EU}access-right/PUBLIC",
    DataClassification.TERBATAS.value: f"{EU}access-right/RESTRICTED",
    DataClassification.TERTUTUP.value: f"{EU}access-right/NON_PUBLIC",
}

# Jadwal pemutakhiran (lookup ``update_schedule``) → EU frequency. A value an administrator
# added later has no counterpart and is published as OTHER.
FREQUENCY: dict[str, str] = {
    "harian": "DAILY",
    "mingguan": "WEEKLY",
    "bulanan": "MONTHLY",
    "triwulanan": "QUARTERLY",
    "semesteran": "BIANNUAL",  # twice a year (BIENNIAL would be every two years)
    "tahunan": "ANNUAL",
    "ad_hoc": "IRREG",
    "real_time": "UPDATE_CONT",
}

# Format (lookup ``data_format``) → EU file type and IANA media type. Formats without a
# file-type counterpart (API, database, …) get a catalogue-local format node.
FILE_TYPE: dict[str, tuple[str, str | None]] = {
    "csv": ("CSV", "text/csv"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("JSON", "application/json"),
    "pdf": ("PDF", "application/pdf"),
    "shp": ("SHP", None),
}

# Lifecycle → ADMS status of the data set description.
ADMS_STATUS: dict[str, str] = {
    LifecycleStatus.PLANNED.value: "UnderDevelopment",
    LifecycleStatus.DEVELOPMENT.value: "UnderDevelopment",
    LifecycleStatus.ACTIVE.value: "Completed",
    LifecycleStatus.INACTIVE.value: "Deprecated",
    LifecycleStatus.RETIRED.value: "Withdrawn",
}


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": "id"}


def _iri(value: str) -> dict[str, str]:
    return {"@id": value}


def _datetime(value: datetime | None) -> dict[str, str] | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


class _Names:
    """What the data set nodes refer to, loaded once: units, lookup labels, RAD codes and
    the authoritative applications the principal may see."""

    def __init__(self, session: Session, scope: Scope, base: str) -> None:
        self.base = base
        self.units: dict[int, tuple[str, str]] = {
            oid: (code, name)
            for oid, code, name in session.execute(
                select(Organisation.id, Organisation.code, Organisation.name)
            )
        }
        self.lookups: dict[tuple[str, str], str] = {
            (cat, value): label
            for cat, value, label in session.execute(
                select(LookupValue.category, LookupValue.value, LookupValue.label)
            )
        }
        active = select(ReferenceSet.id).where(ReferenceSet.is_active.is_(True)).scalar_subquery()
        self.national: dict[str, str] = {}
        self.local: dict[tuple[int, str], str] = {}
        for set_id, inst, code, name in session.execute(
            select(
                ReferenceNode.set_id,
                ReferenceNode.instansi_id,
                ReferenceNode.code,
                ReferenceNode.name,
            ).where(
                ReferenceNode.scheme == "RAD",
                (ReferenceNode.set_id == active) | ReferenceNode.set_id.is_(None),
            )
        ):
            if set_id is None:
                self.local[(inst, code)] = name
            else:
                self.national[code] = name
        wanted = scoped(select(DataSet.authoritative_application_id), DataSet, scope, session)
        self.apps: dict[int, str] = {
            aid: name
            for aid, name in session.execute(
                select(Application.id, Application.name).where(
                    Application.id.in_(wanted.scalar_subquery()),
                    visible_clause(scope.principal, "application", Application),
                )
            )
        }

    def unit_iri(self, unit_id: int) -> str:
        return f"{self.base}/opd/{unit_id}"

    def reference_name(self, instansi_id: int, code: str) -> str | None:
        return self.local.get((instansi_id, code)) or self.national.get(code)

    def concept_iri(self, instansi_id: int, code: str) -> str:
        if (instansi_id, code) in self.local:
            return f"{self.base}/referensi/{instansi_id}/{code}"
        return f"{self.base}/referensi/{code}"


def _organisation(names: _Names, unit_id: int | None) -> dict[str, Any] | None:
    if unit_id is None or unit_id not in names.units:
        return None
    code, name = names.units[unit_id]
    return {
        "@id": names.unit_iri(unit_id),
        "@type": "foaf:Organization",
        "foaf:name": _text(name),
        "dct:identifier": code,
    }


def _contact(names: _Names, unit_id: int | None) -> dict[str, Any] | None:
    if unit_id is None or unit_id not in names.units:
        return None
    code, name = names.units[unit_id]
    return {
        "@id": f"{names.unit_iri(unit_id)}#walidata",
        "@type": "vcard:Organization",
        "vcard:fn": f"{name} (walidata)",
        "vcard:organization-unit": code,
        "vcard:hasURL": _iri(names.unit_iri(unit_id)),
    }


def _theme(names: _Names, ds: DataSet) -> tuple[dict[str, Any] | None, list[str]]:
    """The RAD concept of a data set, and keywords from the names of it and its sector."""
    code = ds.reference_code
    if not code:
        return None, []
    concept: dict[str, Any] = {
        "@id": names.concept_iri(ds.instansi_id, code),
        "@type": "skos:Concept",
        "skos:notation": code,
        "skos:inScheme": _iri(f"{names.base}/referensi/RAD"),
    }
    name = names.reference_name(ds.instansi_id, code)
    if name:
        concept["skos:prefLabel"] = _text(name)
    keywords = [name] if name else []
    parents = ancestors(code)
    if parents:
        concept["skos:broader"] = _iri(names.concept_iri(ds.instansi_id, parents[-1]))
        sector = names.reference_name(ds.instansi_id, parents[0])
        if sector:
            keywords.insert(0, sector)
    return concept, keywords


def _distribution(names: _Names, ds: DataSet, landing: str) -> dict[str, Any] | None:
    if not ds.format:
        return None
    label = names.lookups.get(("data_format", ds.format), ds.format)
    node: dict[str, Any] = {
        "@id": f"{landing}#distribusi",
        "@type": "dcat:Distribution",
        "dct:title": _text(f"{ds.name} ({label})"),
        "dcat:accessURL": _iri(landing),
    }
    if ds.format in FILE_TYPE:
        file_type, media = FILE_TYPE[ds.format]
        node["dct:format"] = _iri(f"{EU}file-type/{file_type}")
        if media:
            node["dcat:mediaType"] = _iri(f"http://www.iana.org/assignments/media-types/{media}")
    else:
        node["dct:format"] = {
            "@id": f"{KSPBE}format-{ds.format}",
            "@type": "dct:MediaTypeOrExtent",
            "rdfs:label": _text(label),
        }
    return node


def dataset_node(names: _Names, ds: DataSet) -> dict[str, Any]:
    """One data set as a JSON-LD node (compacted against :data:`CONTEXT`)."""
    landing = f"{names.base}/data/{ds.id}"
    iri = f"{landing}#dataset"
    node: dict[str, Any] = {
        "@id": iri,
        "@type": "dcat:Dataset",
        "dct:identifier": ds.code,
        "dct:title": _text(ds.name),
    }
    if ds.description:
        node["dct:description"] = _text(ds.description)
    publisher = _organisation(names, ds.producer_id or ds.owner_id)
    if publisher:
        node["dct:publisher"] = publisher
    contact = _contact(names, ds.steward_id)
    if contact:
        node["dcat:contactPoint"] = contact
    rights = ACCESS_RIGHTS.get(str(ds.classification))
    if rights:
        node["dct:accessRights"] = _iri(rights)
    if ds.update_schedule:
        frequency = FREQUENCY.get(ds.update_schedule, "OTHER")
        node["dct:accrualPeriodicity"] = _iri(f"{EU}frequency/{frequency}")
    theme, keywords = _theme(names, ds)
    if theme:
        node["dcat:theme"] = theme
    if ds.data_type and ds.data_type != "lainnya":  # "other" says nothing to a search
        keywords.insert(0, names.lookups.get(("data_type", ds.data_type), ds.data_type))
    if ds.is_master:
        keywords.append("data induk")
    if ds.is_reference:
        keywords.append("kode referensi")
    if keywords:
        node["dcat:keyword"] = [_text(k) for k in dict.fromkeys(keywords)]
    distribution = _distribution(names, ds, landing)
    if distribution:
        node["dcat:distribution"] = [distribution]
    node["dcat:landingPage"] = _iri(landing)
    node["dct:issued"] = _datetime(ds.created_at)
    node["dct:modified"] = _datetime(ds.updated_at)
    status = ADMS_STATUS.get(
        LifecycleStatus.RETIRED.value if ds.retired_at else str(ds.status), "Completed"
    )
    node["adms:status"] = _iri(f"http://purl.org/adms/status/{status}")
    if ds.purpose:
        node["kspbe:tujuan"] = _text(ds.purpose)
    node["kspbe:dataInduk"] = bool(ds.is_master)
    node["kspbe:kodeReferensi"] = bool(ds.is_reference)
    node["kspbe:interoperabel"] = bool(ds.interoperable)
    if ds.authoritative_application_id in names.apps:
        node["kspbe:aplikasiSumber"] = {
            "@id": f"{names.base}/aplikasi/{ds.authoritative_application_id}",
            "rdfs:label": _text(names.apps[ds.authoritative_application_id]),
        }
    return {k: v for k, v in node.items() if v is not None}


def catalog_node(
    inst: Instansi, base: str, modified: datetime | None, scope: Scope
) -> dict[str, Any]:
    """The catalogue of one instansi, without its data sets."""
    home = f"{base}/instansi/{inst.code}"
    description = (
        f"Data dan informasi {inst.name} (domain Data dan Informasi, Arsitektur SPBE), "
        "diekspor dari Katalog SPBE."
    )
    if not scope.principal.can_read_instansi(inst.id):
        description += " Hanya data yang bersifat terbuka."
    node: dict[str, Any] = {
        "@id": f"{home}#katalog-data",
        "@type": "dcat:Catalog",
        "dct:title": _text(f"Katalog Data {inst.name}"),
        "dct:description": _text(description),
        "dct:publisher": {
            "@id": home,
            "@type": "foaf:Organization",
            "foaf:name": _text(inst.name),
            "dct:identifier": inst.code,
        },
        "dct:language": _iri(f"{EU}language/IND"),
        "foaf:homepage": _iri(home),
        "dct:modified": _datetime(modified),
    }
    return {k: v for k, v in node.items() if v is not None}


def _datasets(session: Session, scope: Scope) -> Iterator[DataSet]:
    stmt = scoped(select(DataSet), DataSet, scope, session).where(
        visible_clause(scope.principal, "dataset", DataSet)
    )
    if not scope.include_retired:
        stmt = stmt.where(DataSet.retired_at.is_(None))
    result = session.execute(
        stmt.order_by(DataSet.instansi_id, DataSet.code).execution_options(yield_per=1000)
    ).scalars()
    yield from result


def _dump(node: dict[str, Any]) -> str:
    return json.dumps(node, ensure_ascii=False, separators=(",", ":"))


def write_dcat_stream(
    session: Session, scope: Scope, out: IO[str], *, base_url: str | None = None
) -> int:
    """Write the JSON-LD document to ``out``; return the number of data sets written."""
    base = (base_url or DEFAULT_BASE_URL).rstrip("/")
    names = _Names(session, scope, base)
    visible = scoped(
        select(DataSet.instansi_id, func.max(DataSet.updated_at)), DataSet, scope, session
    )
    visible = visible.where(visible_clause(scope.principal, "dataset", DataSet))
    if not scope.include_retired:
        visible = visible.where(DataSet.retired_at.is_(None))
    modified = dict(session.execute(visible.group_by(DataSet.instansi_id)).all())
    # Every instansi asked for gets a catalogue (an empty one is a fact worth publishing);
    # an export of "all" names only those that have data sets.
    wanted = set(scope.instansi_ids) or set(modified)
    instansi = {
        i.id: i for i in session.execute(select(Instansi).where(Instansi.id.in_(wanted))).scalars()
    }

    out.write('{"@context":' + _dump(CONTEXT) + ',\n"@graph":[')
    first_catalog = True
    current: int | None = None
    count = 0

    def open_catalog(inst_id: int) -> None:
        nonlocal first_catalog
        head = _dump(catalog_node(instansi[inst_id], base, modified.get(inst_id), scope))
        out.write(("\n" if first_catalog else "]},\n") + head[:-1] + ',"dcat:dataset":[')
        first_catalog = False

    done: set[int] = set()
    for ds in _datasets(session, scope):
        if ds.instansi_id != current:
            open_catalog(ds.instansi_id)
            current = ds.instansi_id
            done.add(current)
            out.write("\n")
        else:
            out.write(",\n")
        out.write(_dump(dataset_node(names, ds)))
        count += 1
    for inst_id in sorted(set(instansi) - done, key=lambda i: instansi[i].code):
        open_catalog(inst_id)
    out.write("\n]}]}\n" if not first_catalog else "]}\n")
    return count


def write_dcat(session: Session, scope: Scope, output: Path, *, base_url: str | None = None) -> int:
    """Write the data sets in ``scope`` as DCAT JSON-LD to ``output``; ``base_url`` is the
    public address of the catalogue (landing pages are ``<base_url>/data/<id>``)."""
    with Path(output).open("w", encoding="utf-8") as fh:
        return write_dcat_stream(session, scope, fh, base_url=base_url)


__all__ = [
    "ACCESS_RIGHTS",
    "CONTEXT",
    "FREQUENCY",
    "catalog_node",
    "dataset_node",
    "write_dcat",
    "write_dcat_stream",
]
