"""Katalog SPBE domain layer: models, services (the only writers), reference data,
graph analysis and the ``katalog`` command line."""

__version__ = "0.1.0"
