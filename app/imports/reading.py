"""Reading an uploaded CSV or Excel (.xlsx) file into numbered rows of named cells.

The first row names the columns (in any order, any case); every later row is a dict
from column name to text. Row numbers are those a spreadsheet shows (the header is
row 1), so a message about row 7 points at the line the admin sees as 7.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from app.errors import ValidationError

#: The hidden confirm field carries the file back, and a form field may hold 500 kB.
MAX_BYTES = 256 * 1024
MAX_ROWS = 1000
XLSX_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]]


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, fields={"file": [message]})


def read_table(filename: str, data: bytes) -> Table:
    """The file's rows; refuses empty, oversized, unreadable and over-long files."""
    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise _refuse(
            _(
                "This file is larger than %(kb)d kB. "
                "Split it into several files of at most %(rows)d rows each.",
                kb=MAX_BYTES // 1024,
                rows=MAX_ROWS,
            )
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx" or data.startswith(XLSX_SIGNATURE):
        raw_rows = _xlsx_rows(data)
    elif extension in ("csv", "txt", ""):
        raw_rows = _csv_rows(data)
    else:
        raise _refuse(_("Upload a CSV file or an Excel workbook (.xlsx)."))
    return _to_table(raw_rows)


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _refuse(_("This file is not text. Save it as CSV (UTF-8) and upload it again.")) from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in much of Europe save CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise _refuse(_("This CSV file could not be read. Save it again as CSV (UTF-8).")) from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _refuse(
            _("This Excel file could not be read. Save it again as .xlsx and upload it again.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_table(raw_rows: list[list[str]]) -> Table:
    numbered = [(number, row) for number, row in enumerate(raw_rows, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise _refuse(_("The file has no rows."))
    _header_number, header = numbered[0]
    columns = tuple(cell.strip().lower().replace(" ", "_") for cell in header)
    body = numbered[1:]
    if len(body) > MAX_ROWS:
        raise _refuse(_("This file has more than %(rows)d rows. Split it into several files.", rows=MAX_ROWS))
    rows = []
    for number, row in body:
        cells = {
            column: (row[index].strip() if index < len(row) else "") for index, column in enumerate(columns)
        }
        rows.append((number, cells))
    return Table(columns=columns, rows=rows)
