"""The relation vocabulary: each type has a canonical direction and an inverse name.

Relations are stored once, source → target, under the canonical name; readers get both
directions from :func:`describe`, the only place that knows how to turn one around.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelationType:
    name: str
    inverse: str
    sources: frozenset[str]
    targets: frozenset[str]
    label: str
    inverse_label: str
    label_en: str
    inverse_label_en: str


def _rt(
    name: str,
    inverse: str,
    sources: str,
    targets: str,
    label: str,
    inverse_label: str,
    label_en: str,
    inverse_label_en: str,
) -> RelationType:
    return RelationType(
        name,
        inverse,
        frozenset(sources.split()),
        frozenset(targets.split()),
        label,
        inverse_label,
        label_en,
        inverse_label_en,
    )


RELATION_TYPES: dict[str, RelationType] = {
    rt.name: rt
    for rt in (
        _rt(
            "supported_by",
            "supports",
            "process",
            "service",
            "didukung oleh layanan",
            "mendukung proses bisnis",
            "supported by service",
            "supports process",
        ),
        _rt(
            "delivered_by",
            "delivers",
            "service",
            "application",
            "diselenggarakan dengan aplikasi",
            "menyelenggarakan layanan",
            "delivered by application",
            "delivers service",
        ),
        _rt(
            "reads",
            "read_by",
            "application",
            "dataset",
            "membaca data",
            "dibaca oleh aplikasi",
            "reads data set",
            "read by application",
        ),
        _rt(
            "produces",
            "produced_by",
            "application",
            "dataset",
            "menghasilkan data",
            "dihasilkan oleh aplikasi",
            "produces data set",
            "produced by application",
        ),
        _rt(
            "uses_data",
            "used_by",
            "process service",
            "dataset",
            "menggunakan data",
            "digunakan oleh",
            "uses data set",
            "used by",
        ),
        _rt(
            "hosted_on",
            "hosts",
            "application dataset infrastructure",
            "infrastructure",
            "ditempatkan pada",
            "menampung",
            "hosted on",
            "hosts",
        ),
        _rt(
            "protects",
            "protected_by",
            "security",
            "application infrastructure dataset service",
            "melindungi",
            "dilindungi oleh",
            "protects",
            "protected by",
        ),
        _rt(
            "depends_on",
            "dependency_of",
            "application infrastructure",
            "application infrastructure",
            "bergantung pada",
            "menjadi tumpuan bagi",
            "depends on",
            "dependency of",
        ),
        _rt(
            "part_of",
            "has_part",
            "process service application infrastructure",
            "process service application infrastructure",
            "bagian dari",
            "terdiri atas",
            "part of",
            "has part",
        ),
        _rt(
            "channel_of",
            "has_channel",
            "application",
            "application",
            "kanal dari",
            "memiliki kanal",
            "channel of",
            "has channel",
        ),
        _rt(
            "replaces",
            "replaced_by",
            "application service process",
            "application service process",
            "menggantikan",
            "digantikan oleh",
            "replaces",
            "replaced by",
        ),
    )
}


def describe(type_name: str, outgoing: bool, lang: str = "id") -> str:
    """Label of a relation seen from one end.

    >>> describe("delivered_by", outgoing=False)
    'menyelenggarakan layanan'
    >>> describe("reads", outgoing=True, lang="en")
    'reads data set'
    """
    rt = RELATION_TYPES[type_name]
    if lang == "en":
        return rt.label_en if outgoing else rt.inverse_label_en
    return rt.label if outgoing else rt.inverse_label


def directional_name(type_name: str, outgoing: bool) -> str:
    """``delivered_by`` read from its target is ``delivers``."""
    rt = RELATION_TYPES[type_name]
    return rt.name if outgoing else rt.inverse
