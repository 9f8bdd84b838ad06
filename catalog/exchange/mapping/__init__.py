"""Legacy spreadsheets into exchange rows, described by a mapping file (YAML).

Real inventories arrive as whatever an office kept: a database dump with coded columns and
side tables (Kota Denpasar), a list of websites per OPD (Provinsi Banten). A *mapping file*
says, once per source, which file and column is which exchange column, and how values are
translated. :func:`read_with_mapping` reads the files through it into the same
:class:`~catalog.exchange.readers.Row` objects the template reader produces, so the importer
(:func:`catalog.services.imports.import_rows`) checks and writes them as usual, and every
problem names the user's own file, sheet, row and column. Nothing is guessed: a value the
mapping does not explain is a located problem, and a free-text integration note that names
no known application is a notice for a person to read.

Shipped mappings live in ``catalog/data/mappings/`` (``denpasar.yaml``, ``banten.yaml``);
``katalog import --mapping denpasar FOLDER`` finds them by name.

The format (``katalog_spbe_mapping: 1``)::

    katalog_spbe_mapping: 1
    name: Inventaris aplikasi Kota Contoh          # shown in reports
    key: source_key        # how re-imports find stored items: source_key (default) or code
    instansi:              # the instansi the rows belong to; created when absent
      {code: "51.71", name: Pemerintah Kota Contoh, kind: kota, short_name: Pemkot Contoh}
    empty: ["-", "belum ada"]   # cells read as empty in every column (case ignored)

    files:                 # alias → a file among the paths given on the command line
      apps: {name: aplikasi.csv}                   # matched by file name (case ignored,
      units: {name: "opd*.xlsx", sheet: OPD, header_row: 2}   # wildcards allowed)
      detail: {name: detail.csv, optional: true}   # absent → a notice, not a problem
      # CSV: UTF-8 (with or without BOM), else Windows-1252 with a notice; the delimiter
      # (, ; or tab) is the one that splits the header row (line `header_row`) into the
      # most columns, unless `delimiter:` (one character) is given.
      # XLSX (or .xlsm): the first worksheet unless `sheet:`; header_row counts from 1.
      # Other formats (.xls, .ods, …) cannot be read: save them as XLSX or CSV.

    lookups:               # coded columns explained by side tables
      media: {file: kategori_media, key: id_media, value: nama_kat_media}

    sheets:                # exchange sheet key → where its rows come from
      organisations:
        file: units
        distinct: true               # one unit per distinct code (e.g. codes made from names)
        parent_from_code: {step: 2, min_length: 6}   # 03080101 → parent 030801 if listed
        columns: {code: idopd, name: namaopd}
      applications:
        file: apps
        join:                        # a detail table, matched on a key
          - {file: detail, column: id_aplikasi, equals: id_app, pick: last, order_by: dlu}
        columns:                     # exchange column key → field spec (below)
          source_key: id_app
          name: {column: judul, split: name}
          programming_language: detail.pemrograman     # a joined column: ALIAS.COLUMN

    integration_notes:     # free text about integration → proposed integrations
      columns: [detail.info_integrasi]   # on the applications sheet's rows (all joined rows)
      strip_from_names: ["Kota Contoh"]  # also match "Pusat Data" for "Pusat Data Kota Contoh"

A *field spec* is a column name, or a mapping applied in this order:

1. the source: ``column: NAME`` (``ALIAS.NAME`` for a joined table), ``value: CONSTANT``,
   or ``template: "APL-{id_app}"`` / a list of templates (the first whose columns are all
   filled is used; ``{URL:host}`` takes the host name of a URL);
2. cleaning: surrounding spaces are removed; the global ``empty`` values and the field's own
   ``empty: ["0"]`` become empty;
3. ``split: name | acronym | original``: "SIDAB (Sistem Informasi …)" and "Sistem Informasi
   … (SIDAB)" give the name "Sistem Informasi …" and the acronym "SIDAB"; ``original`` is the
   text as written when it was split (e.g. for aliases), else empty;
4. ``lookup: NAME``: the code is replaced by the side table's value; an unknown code is a
   problem;
5. ``values: {aktif: active, "1": khusus}`` (case ignored; ``null`` means empty) and/or
   ``match: {"^APBD$": apbd}`` (regular expressions, case ignored, first match in written
   order wins); a value neither explains is a problem unless ``unknown: keep`` or
   ``unknown: empty``;
6. ``code_from_name: true``: a stable unit code made from a unit name (initials and a short
   hash of the name, e.g. ``BKD-1A2B``), so units listed only by name get codes that stay
   the same between imports;
7. ``default: VALUE`` when the result is empty (e.g. a default owner unit).

Every row gets the mapping's instansi. Integration notes need the applications sheet to
give ``code`` (a template) and ``source_key``: the proposed integrations refer to the
applications by code and are found again by source key, so importing twice changes nothing.

The package, one concept a module: :mod:`.names` (the text rules of ``split`` and
``code_from_name``), :mod:`.templates`, :mod:`.spec` (what a mapping says), :mod:`.parser`
(YAML into a spec, every mistake located), :mod:`.load` (finding a mapping file),
:mod:`.tables` (the legacy CSV/XLSX files), :mod:`.fields` (one value of one row),
:mod:`.reader` (the rows of every sheet) and :mod:`.integrations` (notes into proposals).
"""

from __future__ import annotations

from catalog.exchange.mapping.load import (
    MAPPINGS_DIR,
    load_mapping,
    mapping_defaults,
    resolve_mapping,
)
from catalog.exchange.mapping.names import split_name, unit_code, url_host
from catalog.exchange.mapping.reader import read_with_mapping
from catalog.exchange.mapping.spec import MappingSpec

__all__ = [
    "MAPPINGS_DIR",
    "MappingSpec",
    "load_mapping",
    "mapping_defaults",
    "read_with_mapping",
    "resolve_mapping",
    "split_name",
    "unit_code",
    "url_host",
]
