"""Reading reference-architecture files and reasoning about codes (pure functions).

A reference file is YAML: a ``set`` block (key, version, title, local_from_level), an
optional ``domains`` list (name and coordinator per scheme) and, per scheme (``RAB``,
``RAL``, ``RAD``, ``RAA``, ``RAI``, ``RAK``), lists ``L1``, ``L2``… of ``[code, name]``
pairs, a ``confidence`` map per level and an optional ``retired`` list of
``[code, replaced_by]`` pairs (the code stays listed, marked as no longer in force).
Writing the parsed set into the database is :mod:`catalog.services.references`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.errors import InvalidInput, ProblemList

SCHEMES: tuple[str, ...] = ("RAB", "RAL", "RAD", "RAA", "RAI", "RAK")
SCHEME_NAMES: dict[str, tuple[str, str]] = {
    "RAB": ("Proses Bisnis", "Business process"),
    "RAL": ("Layanan", "Service"),
    "RAD": ("Data dan Informasi", "Data and information"),
    "RAA": ("Aplikasi", "Application"),
    "RAI": ("Infrastruktur", "Infrastructure"),
    "RAK": ("Keamanan", "Security"),
}
CODE_RE = re.compile(r"^(RAB|RAL|RAD|RAA|RAI|RAK)((?:\.\d{2,3})+)$")
_LEVEL_KEY = re.compile(r"^L(\d+)$")

SHIPPED_REFERENCE = Path(__file__).parent / "data" / "reference" / "perpres-132-2022.yaml"


def normalise_code(code: str) -> str:
    """Codes are compared in canonical form.

    >>> normalise_code(" rab.04.01 ")
    'RAB.04.01'
    """
    return code.strip().upper()


def split_code(code: str) -> tuple[str, int] | None:
    """``(scheme, level)`` of a well-formed code, ``None`` otherwise.

    >>> split_code("RAB.04.01.02")
    ('RAB', 3)
    >>> split_code("RAB-04") is None
    True
    """
    m = CODE_RE.match(code)
    if not m:
        return None
    return m.group(1), m.group(2).count(".")


def parent_code(code: str) -> str | None:
    """
    >>> parent_code("RAL.01.25")
    'RAL.01'
    >>> parent_code("RAL.01") is None
    True
    """
    head, _, _ = code.rpartition(".")
    return head if "." in head else None


def ancestors(code: str) -> list[str]:
    """From the top level down to the parent.

    >>> ancestors("RAB.04.01.02")
    ['RAB.04', 'RAB.04.01']
    """
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(2, len(parts))]


@dataclass
class ParsedNode:
    scheme: str
    code: str
    name: str
    level: int
    parent_code: str | None
    confidence: str | None
    retired: bool = False
    replaced_by: str | None = None


@dataclass
class ParsedSet:
    key: str
    version: str
    title: str
    legal_basis: str | None
    notes: str | None
    checksum: str
    schemes: dict[str, dict[str, Any]]
    nodes: list[ParsedNode] = field(default_factory=list)

    def count(self, scheme: str, level: int) -> int:
        return sum(1 for n in self.nodes if n.scheme == scheme and n.level == level)


def parse_reference_file(path: Path) -> ParsedSet:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"Berkas referensi '{path}' tidak dapat dibaca: {exc.strerror}.",
            f"Cannot read reference file '{path}': {exc.strerror}.",
            field="path",
            value=str(path),
        ) from exc
    return parse_reference_bytes(raw, source=path.name)


def parse_reference_bytes(raw: bytes, source: str = "<input>") -> ParsedSet:
    # Imported here: this module's code helpers are read on every analysis run, which
    # never parses a reference file and need not pay for importing the YAML parser.
    import yaml

    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" baris {mark.line + 1}" if mark else ""
        where_en = f" line {mark.line + 1}" if mark else ""
        raise InvalidInput(
            f"Berkas referensi {source} bukan YAML yang sah{where}.",
            f"Reference file {source} is not valid YAML{where_en}.",
            field="path",
            value=source,
        ) from exc
    problems = ProblemList()
    if not isinstance(doc, dict):
        problems.add(
            "reference.format",
            f"Berkas referensi {source} harus berupa pemetaan YAML.",
            f"Reference file {source} must be a YAML mapping.",
            "path",
            source,
        )
        problems.raise_if_any()
    set_block = doc.get("set")
    if not isinstance(set_block, dict) or not set_block.get("key") or not set_block.get("version"):
        problems.add(
            "reference.set_missing",
            f"Berkas {source} tidak memiliki blok 'set' dengan 'key' dan 'version'. "
            "Tambahkan misalnya: set: {key: perpres-132-2022, version: '2027-01'}",
            f"File {source} lacks a 'set' block with 'key' and 'version'. "
            "Add e.g.: set: {key: perpres-132-2022, version: '2027-01'}",
            "set",
        )
        problems.raise_if_any()
    assert isinstance(set_block, dict)
    meta = doc.get("meta") or {}
    domains = {d.get("code"): d for d in doc.get("domains") or [] if isinstance(d, dict)}
    local_from = set_block.get("local_from_level") or {}
    schemes: dict[str, dict[str, Any]] = {}
    nodes: list[ParsedNode] = []
    seen: dict[str, ParsedNode] = {}
    for scheme in SCHEMES:
        block = doc.get(scheme)
        if not isinstance(block, dict):
            continue
        confidence = block.get("confidence")
        schemes[scheme] = {
            "domain": (domains.get(scheme) or {}).get("domain") or SCHEME_NAMES[scheme][0],
            "coordinator": (domains.get(scheme) or {}).get("coordinator_national"),
            "confidence": confidence if isinstance(confidence, dict) else {"all": confidence},
            "local_from_level": local_from.get(scheme),
            "notes": block.get("notes") or block.get("note"),
            # e.g. RAL L2 → RAB L2, used to check that services and processes agree.
            "mappings": {
                str(k): v for k, v in block.items() if "_to_" in str(k) and isinstance(v, dict)
            },
        }
        for key, entries in block.items():
            m = _LEVEL_KEY.match(str(key))
            if not m or not isinstance(entries, list):
                continue
            level = int(m.group(1))
            conf = confidence.get(f"L{level}") if isinstance(confidence, dict) else confidence
            for pos, entry in enumerate(entries, start=1):
                where = f"{scheme}.L{level}[{pos}]"
                if not (isinstance(entry, list) and len(entry) >= 2):
                    problems.add(
                        "reference.entry",
                        f"{where}: setiap entri harus [kode, nama], ditemukan {entry!r}.",
                        f"{where}: every entry must be [code, name], found {entry!r}.",
                        where,
                        str(entry),
                    )
                    continue
                code = normalise_code(str(entry[0]))
                name = str(entry[1]).strip()
                parsed = split_code(code)
                if parsed is None or parsed[0] != scheme or parsed[1] != level:
                    problems.add(
                        "reference.code_format",
                        f"{where}: kode '{code}' bukan kode {scheme} level {level} "
                        f"(format {scheme}{'.NN' * level}).",
                        f"{where}: code '{code}' is not a level-{level} {scheme} code "
                        f"(format {scheme}{'.NN' * level}).",
                        where,
                        code,
                    )
                    continue
                if code in seen:
                    problems.add(
                        "reference.duplicate",
                        f"{where}: kode '{code}' muncul lebih dari sekali.",
                        f"{where}: code '{code}' appears more than once.",
                        where,
                        code,
                    )
                    continue
                node = ParsedNode(scheme, code, name, level, parent_code(code), conf)
                seen[code] = node
                nodes.append(node)
        for pos, entry in enumerate(block.get("retired") or [], start=1):
            code = normalise_code(str(entry[0] if isinstance(entry, list) else entry))
            replaced = entry[1] if isinstance(entry, list) and len(entry) > 1 else None
            if code not in seen:
                problems.add(
                    "reference.retired_unknown",
                    f"{scheme}.retired[{pos}]: kode '{code}' yang dinyatakan tidak berlaku "
                    "harus tetap tercantum pada daftar levelnya.",
                    f"{scheme}.retired[{pos}]: retired code '{code}' must still be listed "
                    "at its level.",
                    f"{scheme}.retired",
                    code,
                )
                continue
            seen[code].retired = True
            seen[code].replaced_by = normalise_code(replaced) if replaced else None
    for node in nodes:
        if node.parent_code and node.parent_code not in seen:
            problems.add(
                "reference.orphan",
                f"Kode '{node.code}' tidak memiliki induk '{node.parent_code}' di berkas ini.",
                f"Code '{node.code}' has no parent '{node.parent_code}' in this file.",
                node.scheme,
                node.code,
            )
    problems.raise_if_any()
    nodes.sort(key=lambda n: (SCHEMES.index(n.scheme), n.level, n.code))
    legal = meta.get("legal_basis")
    return ParsedSet(
        key=str(set_block["key"]),
        version=str(set_block["version"]),
        title=str(set_block.get("title") or meta.get("title") or set_block["key"]),
        legal_basis="; ".join(legal) if isinstance(legal, list) else legal,
        notes=meta.get("important_caveat"),
        checksum=hashlib.sha256(raw).hexdigest(),
        schemes=schemes,
        nodes=nodes,
    )
