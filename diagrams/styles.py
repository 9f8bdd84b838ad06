"""One colour and shape per item kind, used by every view."""

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
}


def style_of(kind: str) -> KindStyle:
    """
    >>> style_of("application").shape
    'box'
    >>> style_of("unknown").colour
    '#888888'
    """
    return STYLES.get(kind, KindStyle("#888888", "ellipse"))
