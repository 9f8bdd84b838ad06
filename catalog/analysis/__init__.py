"""Analyses of the catalogue: duplicated applications, Aplikasi Umum overlap, data
duplication, integration gaps, reference conformance, coverage, risk and impact.

Everything here is pure: a :class:`~catalog.analysis.snapshot.Snapshot` (or the NetworkX
graph built from it) in, findings out; no database session, no I/O. The database side is
:func:`catalog.queries.snapshot.load_snapshot`; the rule table is in
:mod:`catalog.analysis.rules`; :func:`catalog.analysis.engine.analyze` runs it.
"""
