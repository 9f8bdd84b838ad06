"""The words a diagram shows: counts, labels, tooltips, DOT identifiers."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from typing import Any

import graphviz

from diagrams.styles import kind_label


def number(n: int) -> str:
    """A count written the Indonesian way.

    >>> number(1234567)
    '1.234.567'
    """
    return f"{n:,}".replace(",", ".")


def dot_id(key: str) -> str:
    """A node key as a DOT identifier the graphviz package never reads as ``node:port``.

    >>> dot_id("application:12"), dot_id("opd:1.02_a")
    ('application_c12', 'opd_c1.02__a')
    """
    key = key.replace("_", "__").replace(":", "_c")
    return re.sub(r"[^A-Za-z0-9_.\-]", lambda m: f"_x{ord(m.group()):x}_", key)


def escape(text: object) -> str:
    """User text made safe inside a quoted DOT string (backslashes, line breaks).

    >>> escape("a\\\\b\\nc")
    'a\\\\\\\\b c'
    """
    return " ".join(str(text).replace("\\", "\\\\").split())


def wrap(text: object, width: int = 24, lines: int = 3) -> list[str]:
    """A long name on a few short lines, cut with "…" when longer.

    >>> wrap("Sistem Informasi Manajemen Kepegawaian Daerah Terpadu", 20, 2)
    ['Sistem Informasi', 'Manajemen…']
    """
    parts = textwrap.wrap(" ".join(str(text).split()), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return parts


def label(*lines: object) -> str:
    """Lines joined as one DOT label (escaped; never read as an HTML label)."""
    return graphviz.nohtml("\\n".join(escape(line) for line in lines if line not in (None, "")))


def owner_text(attrs: Mapping[str, Any]) -> str:
    owner, name = attrs.get("owner"), attrs.get("owner_name")
    if owner and name and name != owner:
        return f"{name} ({owner})"
    return str(owner or name or "-")


def tooltip(attrs: Mapping[str, Any]) -> str:
    """What hovering over an item shows: code, name, owner, reference, flags."""
    ref = attrs.get("reference")
    ref_text = " ".join(str(p) for p in (ref, attrs.get("reference_name")) if p) or "-"
    lines = [
        f"{attrs.get('code') or '-'} — {attrs.get('label') or '-'}",
        f"Jenis: {kind_label(str(attrs.get('kind', '')))}",
        f"Pemilik: {owner_text(attrs)}",
    ]
    if attrs.get("national"):
        lines.append(f"Sistem nasional: {attrs.get('instansi_name') or attrs.get('instansi')}")
    lines.append(f"Referensi: {ref_text}")
    if attrs.get("status"):
        lines.append(f"Status: {attrs['status']}")
    flags = attrs.get("flags") or ()
    lines.append(f"Temuan: {', '.join(flags) if flags else '-'}")
    return "\\n".join(escape(line) for line in lines)


def item_name(attrs: Mapping[str, Any], key: str) -> str:
    code = attrs.get("code")
    name = attrs.get("label") or key
    return f"{name} ({code})" if code else str(name)
