"""ArchiMate 3.1 Model Exchange File Format: export the catalogue, read such files back.

- :mod:`.vocabulary`: which ArchiMate element and relationship each catalogue concept
  becomes, and why;
- :mod:`.writer`: the export (elements, relationships, property definitions, a folder
  tree per domain, and views laid out by :mod:`.layout` or a function the caller passes);
- :mod:`.reader`: a file this exporter wrote (or a reasonably hand-edited one) as import
  rows for :func:`catalog.services.imports.import_rows`.
"""

from __future__ import annotations

from catalog.exchange.archimate.layout import Layout, grid_layout
from catalog.exchange.archimate.reader import looks_like_archimate, read_archimate
from catalog.exchange.archimate.writer import build_model, write_archimate

__all__ = [
    "Layout",
    "build_model",
    "grid_layout",
    "looks_like_archimate",
    "read_archimate",
    "write_archimate",
]
