"""Exports: aggregate tables as CSV, JSON and Excel, and the streamed case-level export for
supervisors (CSV or Excel, flat memory however many complaints)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import Select, select

from complaints.extensions import db
from complaints.models import Complaint, ComplaintCategory, ComplaintComponent
from complaints.services.attachments import counts as attachment_counts
from complaints.stats.queries import StatsTable

NONE_LABEL = "(none)"
TOTAL_LABEL = "Total"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
SHEET_NAME_MAX = 31
# Excel refuses these characters in sheet names.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# A cell starting with one of these may be run as a formula by a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_576

CASE_COLUMNS: tuple[str, ...] = (
    "receipt", "received_at", "channel", "language", "status", "disposition", "section",
    "priority", "primary_category", "categories", "components", "state", "restricted",
    "possible_duplicate", "first_triaged_at", "closed_at", "attachments",
)
CASE_BATCH = 1000


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: text starting with = + - @ (or a tab or carriage
    return) gets a leading apostrophe. Other values pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _suppressed_text(table: StatsTable) -> str:
    return f"<{table.suppress_below}"


def _cell_text(table: StatsTable, column: str, value: Any) -> Any:
    """The value of an aggregate cell as exported (labels, suppressed counts)."""
    if column in table.by:
        return NONE_LABEL if value is None else safe_cell(str(value))
    if value is None:
        return _suppressed_text(table) if table.suppressed else ""
    return value


def _period_text(table: StatsTable) -> str:
    start = table.date_from.isoformat() if table.date_from else "the first complaint"
    end = table.date_to.isoformat() if table.date_to else "today"
    return f"received from {start} to {end}"


def _footnotes(table: StatsTable) -> list[str]:
    notes = list(table.notes)
    if table.suppressed:
        notes.append(f"Counts from 1 to {table.suppress_below - 1 if table.suppress_below else 0}"
                     f" are shown as {_suppressed_text(table)}; totals are exact.")
    return notes


# -- aggregate tables ------------------------------------------------------------------------------

def to_csv(tables: Mapping[str, StatsTable]) -> str:
    """The tables as CSV text. A single table is a plain header + rows + a `Total` row; several
    are each preceded by their title and separated by an empty line. Suppressed counts read
    `<N`, missing dimension values `(none)`; notes follow a table as `# ` lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    several = len(tables) > 1
    for index, (title, table) in enumerate(tables.items()):
        if several:
            if index:
                writer.writerow([])
            writer.writerow([safe_cell(title)])
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([_cell_text(table, c, row.get(c)) for c in table.columns])
        total_row: list[Any] = [TOTAL_LABEL, *([""] * (len(table.columns) - 1))]
        if table.by and len(table.columns) > len(table.by):
            total_row[len(table.by)] = table.total
        writer.writerow(total_row)
        for note in _footnotes(table):
            writer.writerow([f"# {note}"])
    return out.getvalue()


def to_json(tables: Mapping[str, StatsTable]) -> dict[str, Any]:
    """`{title: table}` where each table has the API's shape (`StatsTable.as_dict()`:
    `{"by", "rows", "total"}`). A single table is exported as `table.as_dict()` alone."""
    return {title: table.as_dict() for title, table in tables.items()}


def sheet_names(titles: Sequence[str]) -> list[str]:
    """Valid, unique Excel sheet names (at most 31 characters, no []:*?/\\) for the titles."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = _SHEET_FORBIDDEN.sub("-", title).strip("' ") or "Sheet"
        name = base[:SHEET_NAME_MAX]
        counter = 2
        while name.casefold() in taken:
            suffix = f" ({counter})"
            name = base[:SHEET_NAME_MAX - len(suffix)] + suffix
            counter += 1
        taken.add(name.casefold())
        names.append(name)
    return names


def to_xlsx(tables: Mapping[str, StatsTable]) -> bytes:
    """An Excel workbook with one sheet per table: a bold, frozen header row, whole numbers
    formatted as integers, a bold `Total` row, then notes and the period."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    bold = Font(bold=True)
    for name, (title, table) in zip(sheet_names(list(tables)), tables.items(), strict=True):
        sheet = workbook.create_sheet(name)
        sheet.append(table.columns)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for row in table.rows:
            sheet.append([_cell_text(table, c, row.get(c)) for c in table.columns])
        total_row: list[Any] = [TOTAL_LABEL, *([None] * (len(table.columns) - 1))]
        if table.by and len(table.columns) > len(table.by):
            total_row[len(table.by)] = table.total
        sheet.append(total_row)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for column_cells in sheet.iter_cols(min_row=2, max_row=sheet.max_row):
            for cell in column_cells:
                if isinstance(cell.value, bool):
                    continue
                if isinstance(cell.value, int):
                    cell.number_format = INTEGER_FORMAT
                elif isinstance(cell.value, float):
                    cell.number_format = DECIMAL_FORMAT
        sheet.append([])
        for note in [f"{title}: complaints {_period_text(table)}.", *_footnotes(table)]:
            sheet.append([safe_cell(note)])
        for index, column in enumerate(table.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(12, len(column) + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- case-level export -----------------------------------------------------------------------------

def _case_statement(statement: Select[Any], include_restricted: bool) -> Select[Any]:
    """The caller's statement (its filters, joins and order) narrowed to the exported columns."""
    narrowed: Any = statement.with_only_columns(
        Complaint.id, Complaint.receipt, Complaint.received_at, Complaint.channel,
        Complaint.language, Complaint.status, Complaint.disposition, Complaint.section,
        Complaint.priority, Complaint.primary_category, Complaint.state, Complaint.restricted,
        Complaint.possible_duplicate, Complaint.first_triaged_at, Complaint.closed_at,
        maintain_column_froms=False,
    )
    if not include_restricted:
        narrowed = narrowed.where(Complaint.restricted.is_(False))
    return narrowed


def _lists(model: Any, column: Any, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = db.session.execute(select(model.complaint_id, column)
                              .where(model.complaint_id.in_(ids))
                              .order_by(model.complaint_id, model.id))
    for complaint_id, value in rows:
        found.setdefault(complaint_id, []).append(value)
    return found


def iter_cases(statement: Select[Any], *, include_restricted: bool,
               batch_size: int = CASE_BATCH) -> Iterator[list[list[Any]]]:
    """Batches of case rows (values in `CASE_COLUMNS` order) streamed from the database.

    Rows come through a server-side cursor (`yield_per`), and each batch's categories and
    components are read with one query each, so memory depends on the batch, not the total.
    """
    result = db.session.execute(
        _case_statement(statement, include_restricted).execution_options(yield_per=batch_size))
    for part in result.partitions():
        ids = [row.id for row in part]
        categories = _lists(ComplaintCategory, ComplaintCategory.category, ids)
        components = _lists(ComplaintComponent, ComplaintComponent.component, ids)
        files = attachment_counts(ids)  # how many files, never what they hold
        yield [
            [row.receipt, row.received_at, row.channel, row.language, row.status,
             row.disposition, row.section, row.priority, row.primary_category,
             ";".join(categories.get(row.id, [])), ";".join(components.get(row.id, [])),
             row.state, bool(row.restricted), bool(row.possible_duplicate),
             row.first_triaged_at, row.closed_at, files.get(row.id, 0)]
            for row in part
        ]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)


def stream_cases_csv(statement: Select[Any], *, include_restricted: bool,
                     batch_size: int = CASE_BATCH) -> Iterator[str]:
    """The case-level export as CSV text, yielded a batch of rows at a time.

    `statement` is a `select(Complaint)` with the caller's filters and order. Restricted
    complaints are left out unless `include_restricted` (the exporter holds the restricted
    grant). Only `CASE_COLUMNS` are exported: codes, dates and flags; never the narrative,
    names, contact details, A-numbers or anything else that identifies a person. Times are UTC
    (ISO 8601); several categories or components are separated by `;`, primary category first.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CASE_COLUMNS)
    yield out.getvalue()
    for batch in iter_cases(statement, include_restricted=include_restricted,
                            batch_size=batch_size):
        out.seek(0)
        out.truncate()
        writer.writerows([_csv_value(v) for v in row] for row in batch)
        yield out.getvalue()


def _excel_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: UTC, without the zone.
        return value.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return safe_cell(value)


def write_cases_xlsx(statement: Select[Any], path: str | Path, *, include_restricted: bool,
                     batch_size: int = CASE_BATCH) -> int:
    """Write the case-level export (see `stream_cases_csv`) to an Excel file in write-only mode
    (rows go to disk as they come) and return the number of complaints written. Times are UTC.
    Past Excel's 1,048,576 rows a sheet, rows continue on a new sheet."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    sheet: Any = None
    rows_in_sheet = EXCEL_MAX_ROWS
    written = 0
    sheets = 0

    def new_sheet() -> Any:
        nonlocal sheets
        sheets += 1
        created = workbook.create_sheet("Cases" if sheets == 1 else f"Cases {sheets}")
        created.freeze_panes = "A2"
        header = []
        for name in CASE_COLUMNS:
            cell = WriteOnlyCell(created, value=name)
            cell.font = bold
            header.append(cell)
        created.append(header)
        return created

    for batch in iter_cases(statement, include_restricted=include_restricted,
                            batch_size=batch_size):
        for row in batch:
            if rows_in_sheet >= EXCEL_MAX_ROWS:
                sheet = new_sheet()
                rows_in_sheet = 1
            sheet.append([_excel_value(v) for v in row])
            rows_in_sheet += 1
            written += 1
    if sheet is None:
        new_sheet()
    workbook.save(str(path))
    return written
