"""Finding and reading a mapping file: a path, or the name of a shipped mapping.

Shipped mappings live in ``catalog/data/mappings/``; ``katalog import --mapping denpasar``
finds ``denpasar.yaml`` there.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from catalog.exchange.mapping.parser import parse_mapping
from catalog.exchange.mapping.spec import MappingSpec
from catalog.exchange.readers import FileProblem, ReadResult, Where, decode_text

MAPPINGS_DIR = Path(__file__).resolve().parents[2] / "data" / "mappings"


def resolve_mapping(path: Path | str) -> Path:
    """The mapping file itself, or a shipped mapping named like it (``denpasar``).

    >>> resolve_mapping("denpasar").relative_to(MAPPINGS_DIR.parents[1]).as_posix()
    'data/mappings/denpasar.yaml'
    """
    path = Path(path)
    if path.exists():
        return path
    for candidate in (MAPPINGS_DIR / path.name, MAPPINGS_DIR / f"{path.name}.yaml"):
        if candidate.is_file():
            return candidate
    return path


def load_mapping(path: Path | str, result: ReadResult | None = None) -> MappingSpec | None:
    """Parse a mapping file; its problems go into ``result`` (located at the mapping)."""
    result = result if result is not None else ReadResult()
    path = resolve_mapping(path)
    display = path.name
    if not path.is_file():
        result.problems.append(
            FileProblem(
                Where(display, "", 0),
                f"Berkas pemetaan {path} tidak ada (pemetaan bawaan: "
                + ", ".join(p.stem for p in sorted(MAPPINGS_DIR.glob("*.yaml")))
                + ").",
                f"Mapping file {path} does not exist.",
            )
        )
        return None
    try:
        data = yaml.safe_load(decode_text(path.read_bytes(), display, result))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        result.problems.append(
            FileProblem(
                Where(display, "", line),
                f"Berkas pemetaan {display} bukan YAML yang sah (baris {line}).",
                f"Mapping file {display} is not valid YAML (line {line}).",
            )
        )
        return None
    return parse_mapping(data, display, result)


def mapping_defaults(path: Path | str) -> tuple[str | None, str | None]:
    """(instansi code, key) a mapping declares; (None, None) when it cannot be read."""
    spec = load_mapping(path)
    if spec is None:
        return None, None
    return spec.instansi.get("code"), spec.key
