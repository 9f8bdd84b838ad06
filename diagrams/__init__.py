"""Katalog SPBE diagrams: NetworkX graphs in, Graphviz views and ArchiMate exchange out.

Pure functions only: no database session, no HTTP. The first piece, the visual style of
each item kind, is shared by pages and (later) diagrams so that a domain looks the same
everywhere.
"""
