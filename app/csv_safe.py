"""CSV files the app writes, with every cell safe to open in a spreadsheet.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets, so a person named
``=HYPERLINK("https://evil.example", "click")`` would run in an admin's spreadsheet.
Such cells get a leading apostrophe (OWASP's advice), which spreadsheets show as text.
Every CSV writer in the app comes from here, so no export can forget it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe if a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Writer:
    """``csv.writer`` whose rows are escaped cell by cell."""

    def __init__(self, stream, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([escape_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose values are escaped cell by cell (the header is ours)."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: escape_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def writer(stream, **options: Any) -> Writer:
    return Writer(stream, **options)
