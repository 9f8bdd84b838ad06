"""Shapes that cross a boundary: API requests and responses, file formats, findings.

Built on the ``XBase`` field sets of :mod:`catalog.models`; never tables.
"""
