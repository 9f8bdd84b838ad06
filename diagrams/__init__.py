"""Katalog SPBE diagrams: NetworkX graphs in, Graphviz views and ArchiMate exchange out.

Pure functions only: no database session, no HTTP. The pieces:

- :mod:`diagrams.source` — the input contract: a labelled ``nx.MultiDiGraph`` of (part of)
  the catalogue, written by ``catalog.diagram_source``.
- :mod:`diagrams.styles` — one colour and shape per item kind and one look per edge type
  (flagged items, point-to-point and unconfirmed integrations), shared by pages and views.
- :mod:`diagrams.views` — the eight views (context, landscape, integration, layers,
  duplicates, impact, coverage, aggregate), each returning a ``View`` with deterministic
  DOT text, Indonesian labels and a legend; a view larger than ``MAX_NODES`` summarises
  itself per OPD or per reference area and says so.
- :mod:`diagrams.render` and :mod:`diagrams.drawing` — running Graphviz (system or
  WebAssembly) within a time limit, falling back to the aggregate.
"""
