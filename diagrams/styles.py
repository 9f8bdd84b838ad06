"""One colour and shape per item kind, one look per edge type, used by every view.

Pages use :data:`STYLES` for their badges; the views in :mod:`diagrams.views` use all of
it, so that a domain, a flagged item or a point-to-point integration looks the same in
every diagram.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindStyle:
    colour: str
    shape: str


STYLES: dict[str, KindStyle] = {
    "process": KindStyle("#7b4fa0", "cds"),
    "service": KindStyle("#0f7b8a", "component"),
    "dataset": KindStyle("#b07d00", "cylinder"),
    "application": KindStyle("#0b5cab", "box"),
    "infrastructure": KindStyle("#5a6b7d", "box3d"),
    "security": KindStyle("#a33333", "octagon"),
    "integration": KindStyle("#2f7d4f", "ellipse"),
    # Drawn only in diagrams: the SPL hub, owners, reference codes and summary groups.
    "spl": KindStyle("#2f7d4f", "doubleoctagon"),
    "opd": KindStyle("#444444", "folder"),
    "instansi": KindStyle("#444444", "tab"),
    "reference": KindStyle("#6b6b6b", "note"),
    "group": KindStyle("#444444", "box"),
}

# Indonesian (and English) names of what a diagram draws, for legends and cluster labels.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "process": ("Proses Bisnis", "Business process"),
    "service": ("Layanan", "Service"),
    "application": ("Aplikasi", "Application"),
    "dataset": ("Data", "Data"),
    "infrastructure": ("Infrastruktur", "Infrastructure"),
    "security": ("Keamanan", "Security"),
    "integration": ("Integrasi", "Integration"),
    "spl": ("SPL (penghubung layanan)", "SPL (service bus)"),
    "opd": ("Perangkat Daerah", "Unit (OPD)"),
    "instansi": ("Instansi", "Instansi"),
    "reference": ("Kode referensi", "Reference code"),
    "group": ("Kelompok (jumlah item)", "Group (item count)"),
}

# Relation names as a reader sees them on an edge (stored direction: source → target).
RELATION_LABELS: dict[str, str] = {
    "supported_by": "didukung oleh",
    "delivered_by": "disediakan oleh",
    "reads": "membaca",
    "produces": "menghasilkan",
    "uses_data": "memakai data",
    "hosted_on": "berjalan di",
    "depends_on": "bergantung pada",
    "part_of": "bagian dari",
    "channel_of": "kanal dari",
    "protects": "melindungi",
    "replaces": "menggantikan",
    "integration": "integrasi",
}

# How flagged items are marked everywhere: a red double border and a warning sign.
FLAG_COLOUR = "#d62728"
FLAG_MARK = "⚠"
NATIONAL_FILL = "#eeeeee"


@dataclass(frozen=True)
class EdgeStyle:
    """The DOT attributes of one kind of edge and its legend text."""

    attrs: tuple[tuple[str, str], ...]
    legend: str


EDGE_STYLES: dict[str, EdgeStyle] = {
    "relation": EdgeStyle((("color", "#777777"),), "Relasi antar item"),
    "security": EdgeStyle(
        (("color", "#a33333"), ("style", "dotted"), ("constraint", "false")),
        "Kontrol keamanan melindungi",
    ),
    "spl": EdgeStyle((("color", "#2f7d4f"), ("penwidth", "1.5")), "Integrasi melalui SPL"),
    "p2p": EdgeStyle(
        (("color", FLAG_COLOUR), ("penwidth", "2.5"), ("style", "bold")),
        "Integrasi titik-ke-titik (tanpa SPL)",
    ),
    "unconfirmed": EdgeStyle(
        (("color", "#555555"), ("style", "dashed")),
        "Integrasi belum dikonfirmasi kedua pihak (putus-putus)",
    ),
    "gap": EdgeStyle(
        (("color", FLAG_COLOUR), ("penwidth", "3.5"), ("style", "bold")),
        f"{FLAG_MARK} Celah integrasi (ditandai temuan)",
    ),
    "owner": EdgeStyle((("color", "#999999"), ("style", "dotted")), "Dimiliki oleh"),
    "shared": EdgeStyle((("color", "#b07d00"), ("style", "dashed")), "Kesamaan antar anggota"),
    "count": EdgeStyle((("color", "#555555"),), "Jumlah hubungan antar kelompok"),
    "tree": EdgeStyle((("color", "#999999"), ("arrowhead", "none")), "Induk → anak"),
}


def style_of(kind: str) -> KindStyle:
    """
    >>> style_of("application").shape
    'box'
    >>> style_of("unknown").colour
    '#888888'
    """
    return STYLES.get(kind, KindStyle("#888888", "ellipse"))


def kind_label(kind: str) -> str:
    """The Indonesian name of a kind (the key itself when unknown).

    >>> kind_label("dataset"), kind_label("other")
    ('Data', 'other')
    """
    return KIND_LABELS.get(kind, (kind, kind))[0]
