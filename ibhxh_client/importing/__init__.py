"""Spreadsheets in and out: the workers and declaration lines HR already keeps in Excel.

No Qt and no database here: ``services.importing`` runs the use cases (matching against
the stored workers, checks, saving) on top of this package.

- ``reader``: .xlsx, .xlsm, .xls, .ods (python-calamine) and .csv (UTF-8, Windows-1258,
  or a TCVN3/VNI file's Windows-1252 bytes) as rows of cells.
- ``columns``: what a column can hold and the header names it is known by
  (``forms/import_columns.toml``).
- ``layout``: the sheet, the header row(s), the columns (``analyse``), and mappings an
  officer gives or the program remembers per header layout.
- ``convert``: one cell read the way the officer meant it (numbers that lost leading
  zeros, amounts with dots or commas, date serials, legacy fonts).
- ``extract``: the rows as typed values, with what was noted per cell.
- ``xlsx``: the error report, templates and exports, formula-safe.
"""

from __future__ import annotations

from . import messages as messages  # registers the importer's sentences
from .columns import Target, targets_for
from .extract import ColumnNote, Extraction, RowData, RowIssue, extract
from .layout import (
    Analysis,
    Column,
    MappingStore,
    analyse,
    apply_mapping,
    load_mapping_file,
)
from .reader import SUFFIXES, ReadError

__all__ = [
    "SUFFIXES",
    "Analysis",
    "Column",
    "ColumnNote",
    "Extraction",
    "MappingStore",
    "ReadError",
    "RowData",
    "RowIssue",
    "Target",
    "analyse",
    "apply_mapping",
    "extract",
    "load_mapping_file",
    "messages",
    "targets_for",
]
