"""Templates of a field spec: ``template: "APL-{id_app}"`` fills in cells of the row.

Columns are named as the file writes them, spaces and dots included, so a template can
name any header; ``{URL:host}`` takes the host name of a URL.
"""

from __future__ import annotations

import string
from typing import Any

from catalog.exchange.mapping.names import url_host


class _Formatter(string.Formatter):
    """Templates name columns as written ("{OPD / Lembaga}", "{detail.id}")."""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        return kwargs[field_name], field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "host":
            return url_host(str(value))
        return format(value, format_spec)


_FORMATTER = _Formatter()


def template_columns(template: str) -> list[str]:
    """The columns a template names; a broken template raises ``ValueError``.

    >>> template_columns("APL-{OPD / Lembaga}-{detail.id}")
    ['OPD / Lembaga', 'detail.id']
    """
    return [name for _, name, _, _ in _FORMATTER.parse(template) if name]


def fill(template: str, cells: dict[str, Any]) -> str:
    """The template with its columns filled in from ``cells``.

    >>> fill("WEB-{URL:host}", {"URL": "https://www.dinkes.kota.go.id/"})
    'WEB-dinkes.kota.go.id'
    """
    return _FORMATTER.vformat(template, (), cells)
