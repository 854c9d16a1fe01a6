"""Exports: aggregate tables as CSV, JSON and Excel, and the streamed case-level export for
supervisors (CSV or Excel, flat memory however many complaints)."""

from __future__ import annotations

import codecs
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
from sqlalchemy import Select, String, case, func, literal, literal_column, select

from complaints.extensions import db
from complaints.models import Attachment, Complaint, ComplaintCategory, ComplaintComponent
from complaints.services.attachments import counts as attachment_counts
from complaints.stats import labels
from complaints.stats.queries import StatsTable

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
CASE_BATCH = 5000
_COPY_CHUNK = 1 << 18
# The last line of a complete case export, and of one that failed part-way (a file without the
# first cannot be complete: the worker was stopped before it could say so).
CASE_COMPLETE = "# Complete: {n} complaints."
CASE_FAILED = ("# INCOMPLETE EXPORT: it failed after {n} complaints and rows are missing. "
               "Do not use this file; download it again.")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: text starting with = + - @ (or a tab or carriage
    return) gets a leading apostrophe. Other values pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


SUPPRESSED_NOTE = ("Empty count cells are suppressed for publication: counts from 1 to {below}, "
                   "and further cells hidden so that none of them can be worked out from the "
                   "totals or the other tables of this report.")


def label_column(table: StatsTable, dimension: str) -> str:
    """The name of a dimension's label column: `label`, or `<dimension>_label` when crossed."""
    return "label" if len(table.by) == 1 else f"{dimension}_label"


def export_columns(table: StatsTable) -> list[str]:
    """Codes, then their labels, then the measures: `category, label, count`."""
    columns: list[str] = []
    for dimension in table.by:
        columns += [dimension, label_column(table, dimension)]
    return [*columns, *table.measures]


def _export_row(table: StatsTable, row: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for dimension in table.by:
        out[dimension] = row.get(dimension)
        out[label_column(table, dimension)] = labels.value(dimension, row.get(dimension))
    for name in table.measures:
        out[name] = row.get(name)
    if row.get("suppressed"):
        out["suppressed"] = True
    return out


def _cell_text(column: str, value: Any, table: StatsTable) -> Any:
    """The value of an aggregate cell as exported: codes and labels as text (formulas
    neutralised), missing codes empty, counts as numbers, suppressed counts empty."""
    if value is None:
        return ""
    if column in table.by or not isinstance(value, int | float):
        return safe_cell(str(value))
    return value


def _period_text(table: StatsTable) -> str:
    start = table.date_from.isoformat() if table.date_from else "the first complaint"
    end = table.date_to.isoformat() if table.date_to else "today"
    return f"received from {start} to {end}"


def _footnotes(table: StatsTable) -> list[str]:
    notes = list(table.notes)
    if table.suppressed and table.suppress_below:
        notes.append(SUPPRESSED_NOTE.format(below=table.suppress_below - 1))
    return notes


# -- aggregate tables ------------------------------------------------------------------------------

def to_csv(tables: Mapping[str, StatsTable],
           about: Sequence[tuple[str, str]] | None = None) -> str:
    """The tables as CSV text. A single table is a plain header + rows + a `Total` row; several
    are each preceded by their title and separated by an empty line. Each dimension has its
    code column and its label column (`label`, or `<dimension>_label` when crossed); a
    suppressed count is an empty cell, explained by a `# ` note after the table, as are the
    table's other notes. `about` lines (period, filters, …) come first as `# ` lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for name, text in about or ():
        writer.writerow([safe_cell(f"# {name}: {text}")])
    several = len(tables) > 1
    for index, (title, table) in enumerate(tables.items()):
        if several:
            if index or about:
                writer.writerow([])
            writer.writerow([safe_cell(title)])
        columns = export_columns(table)
        writer.writerow(columns)
        for row in table.rows:
            values = _export_row(table, row)
            writer.writerow([_cell_text(c, values.get(c), table) for c in columns])
        total_row: list[Any] = [TOTAL_LABEL, *([""] * (len(columns) - 1))]
        if len(columns) > 2 * len(table.by):
            total_row[2 * len(table.by)] = "" if table.total is None else table.total
        writer.writerow(total_row)
        for note in _footnotes(table):
            writer.writerow([safe_cell(f"# {note}")])
    return out.getvalue()


def table_json(table: StatsTable) -> dict[str, Any]:
    """The JSON shape of `GET /api/v1/stats`: `{"by", "rows", "total"}`; each row holds the
    codes, their labels and the counts; a suppressed count is null with `"suppressed": true`."""
    data: dict[str, Any] = {"by": list(table.by),
                            "rows": [_export_row(table, row) for row in table.rows],
                            "total": table.total}
    if table.suppressed:
        data["suppressed"] = True
        data["suppress_below"] = table.suppress_below
    return data


def to_json(tables: Mapping[str, StatsTable],
            about: Sequence[tuple[str, str]] | None = None) -> dict[str, Any]:
    """`{title: table}` where each table has the API's shape (`table_json`); with `about`,
    it comes first under the key `about`."""
    document: dict[str, Any] = {}
    if about:
        document["about"] = dict(about)
    document.update({title: table_json(table) for title, table in tables.items()})
    return document


def sheet_names(titles: Sequence[str]) -> list[str]:
    """Valid, unique Excel sheet names for the titles: at most 31 characters, cut at a word
    where possible, none of []:*?/\\, no leading or trailing spaces or apostrophes."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = re.sub(r"\s+", " ", _SHEET_FORBIDDEN.sub("-", title)).strip("' ") or "Sheet"
        base = base.removeprefix("Complaints by ").strip() or base
        for long, short in _SHEET_SHORTER:
            base = base.replace(long, short)
        base = base[:1].upper() + base[1:]
        name = _cut(base, SHEET_NAME_MAX)
        counter = 2
        while name.casefold() in taken:
            suffix = f" ({counter})"
            name = _cut(base, SHEET_NAME_MAX - len(suffix)) + suffix
            counter += 1
        taken.add(name.casefold())
        names.append(name)
    return names


# Phrases of the report's titles said shorter, so sheet names end on a whole word.
_SHEET_SHORTER = (
    ("Received, opened and closed by", "Flow by"),
    ("Median days to first triage and to closure", "Median handling times"),
    (", a year earlier", " (year earlier)"),
    ("primary category", "category"), ("Primary category", "Category"),
    ("intake channel", "channel"), ("Intake channel", "Channel"),
)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    if cut.count("(") > cut.count(")"):
        cut = cut[:cut.rindex("(")]
    return cut.rstrip(" '-,") or text[:limit].strip()


def _grid_sheet(workbook: Workbook, name: str, title: str, grid: Any) -> None:
    """A crossed table as readers lay it out: rows by columns, with totals (`report.Grid`)."""
    sheet = workbook.create_sheet(name)
    bold = Font(bold=True)
    first, second = grid.by
    sheet.append([safe_cell(title)])
    sheet["A1"].font = bold
    sheet.append([f"{labels.dimension(first)} \\ {labels.dimension(second)}",
                  *(safe_cell(labels.value(second, c)) for c in grid.columns), TOTAL_LABEL])
    for row in grid.rows:
        sheet.append([safe_cell(labels.value(first, row)),
                      *(grid.cells.get((row, c)) for c in grid.columns),
                      grid.row_totals.get(row)])
    sheet.append([TOTAL_LABEL, *(grid.column_totals.get(c) for c in grid.columns), grid.total])
    for cell in [*sheet[2], *sheet[sheet.max_row]]:
        cell.font = bold
    for line in sheet.iter_rows(min_row=3, max_row=sheet.max_row, min_col=2):
        for cell in line:
            if isinstance(cell.value, int):
                cell.number_format = INTEGER_FORMAT
    sheet.freeze_panes = "B3"
    sheet.column_dimensions["A"].width = 36
    sheet.append([])
    sheet.append(["Empty cells: suppressed for publication (see the About sheet)."])


def to_xlsx(tables: Mapping[str, StatsTable],
            about: Sequence[tuple[str, str]] | None = None,
            grids: Mapping[str, Any] | None = None) -> bytes:
    """An Excel workbook: a first "About" sheet (what, when, by whom, definitions, the
    suppression rule), a crossed table laid out as a grid (`grids`, by title), then one sheet
    per table: a bold, frozen header row of readable names,
    labels beside codes, counts typed as numbers (a suppressed count is an empty cell, with a
    note under the table), a bold `Total` row."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    bold = Font(bold=True)
    if about:
        sheet = workbook.create_sheet("About")
        sheet.append(["About these statistics"])
        sheet["A1"].font = Font(bold=True, size=14)
        for name, text in about:
            sheet.append([safe_cell(name), safe_cell(text)])
            sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.append([])
        sheet.append(["Sheets"])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        every = [*(f"{t} (grid)" for t in grids or {}), *tables]
        for name, title in zip(sheet_names(every), every, strict=True):
            sheet.append([name, safe_cell(title)])
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 100
    grids = grids or {}
    names = sheet_names([*(f"{title} (grid)" for title in grids), *tables])
    for name, (title, grid) in zip(names, grids.items(), strict=False):
        _grid_sheet(workbook, name, title, grid)
    for name, (title, table) in zip(names[len(grids):], tables.items(), strict=True):
        sheet = workbook.create_sheet(name)
        columns = export_columns(table)
        headers = []
        for column in columns:
            if column in table.by:
                headers.append(f"{column} (code)")
            elif column.endswith("label"):
                dimension = table.by[0] if column == "label" else column.removesuffix("_label")
                headers.append(labels.dimension(dimension))
            else:
                headers.append(labels.measure(column))
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for row in table.rows:
            values = _export_row(table, row)
            sheet.append([None if values.get(c) is None else _cell_text(c, values.get(c), table)
                          for c in columns])
        total_row: list[Any] = [TOTAL_LABEL, *([None] * (len(columns) - 1))]
        if len(columns) > 2 * len(table.by):
            total_row[2 * len(table.by)] = table.total
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
        for index, header in enumerate(headers, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            wide = columns[index - 1].endswith("label")
            sheet.column_dimensions[letter].width = 42 if wide else max(12, len(header) + 4)
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

    The last line says the export is complete (`# Complete: N complaints.`); if reading fails
    part-way, it says so instead (`# INCOMPLETE EXPORT: ...`) and the stream is broken off. A file
    that ends without either was cut short (a worker stopped): it is not complete either.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CASE_COLUMNS)
    yield out.getvalue()
    written = 0
    try:
        if db.session.get_bind().dialect.name == "postgresql":
            # The database writes the CSV (its COPY), so the rows never become Python values.
            for text, rows in copied_case_csv(statement,
                                              include_restricted=include_restricted):
                written += rows
                yield text
        else:
            for batch in case_text_rows(statement, include_restricted=include_restricted,
                                        batch_size=batch_size):
                out.seek(0)
                out.truncate()
                writer.writerows(batch)
                written += len(batch)
                yield out.getvalue()
    except Exception:
        # Said in the file itself, then the stream is broken off, so the browser reports the
        # download as failed too.
        yield CASE_FAILED.format(n=f"{written:,}") + "\n"
        raise
    yield CASE_COMPLETE.format(n=f"{written:,}") + "\n"


def _utc_text(column: Any, dialect: str) -> Any:
    """SQL: a UTC timestamp as `YYYY-MM-DDTHH:MM:SSZ` text ('' for none), formatted by the
    database rather than row by row in Python."""
    if dialect == "postgresql":
        text = func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    else:
        text = func.strftime("%Y-%m-%dT%H:%M:%SZ", column)
    return func.coalesce(text, literal("", String))


def _flag_text(column: Any) -> Any:
    return case((column.is_(True), "true"), else_="false")


def _joined_sql(table: str, column: str, dialect: str) -> Any:
    """SQL: the complaint's values in `table`, joined with `;` in the order written (primary
    category first), '' for none: one correlated lookup by the (complaint_id, ...) index.
    `table` and `column` are this module's own names, never input."""
    if dialect == "postgresql":
        sql = (f"(SELECT string_agg(x.{column}, ';' ORDER BY x.id) FROM {table} x "  # noqa: S608
               "WHERE x.complaint_id = complaints.id)")
    else:
        # SQLite (before 3.44) has no ORDER BY inside group_concat; it joins the rows in the
        # order the ordered subquery yields them.
        sql = (f"(SELECT group_concat(y.{column}, ';') FROM (SELECT x.{column} "  # noqa: S608
               f"FROM {table} x WHERE x.complaint_id = complaints.id ORDER BY x.id) y)")
    return func.coalesce(literal_column(sql, String), literal("", String))


def _safe_text_sql(column: Any) -> Any:
    """SQL: free text with `safe_cell`'s apostrophe before a formula's first character."""
    first = func.substr(column, 1, 1)
    return case((column.is_(None), literal("", String)),
                (first.in_(_FORMULA_START), literal("'", String) + column), else_=column)


def _case_text_statement(statement: Select[Any], include_restricted: bool,
                         dialect: str) -> Any:
    """The caller's statement narrowed to the case export's columns, each written as the CSV
    shows it by the database (dates, flags, the joined categories and components, the file
    count, formula-safe state)."""
    files = (select(func.count()).select_from(Attachment)
             .where(Attachment.complaint_id == Complaint.id)
             .correlate(Complaint).scalar_subquery())  # how many files, never what they hold
    narrowed: Any = statement.with_only_columns(
        Complaint.receipt, _utc_text(Complaint.received_at, dialect),
        Complaint.channel, Complaint.language, Complaint.status,
        func.coalesce(Complaint.disposition, ""), Complaint.section, Complaint.priority,
        Complaint.primary_category, _joined_sql("complaint_categories", "category", dialect),
        _joined_sql("complaint_components", "component", dialect),
        _safe_text_sql(Complaint.state), _flag_text(Complaint.restricted),
        _flag_text(Complaint.possible_duplicate), _utc_text(Complaint.first_triaged_at, dialect),
        _utc_text(Complaint.closed_at, dialect), files, maintain_column_froms=False)
    if not include_restricted:
        narrowed = narrowed.where(Complaint.restricted.is_(False))
    return narrowed


def case_text_rows(statement: Select[Any], *, include_restricted: bool,
                   batch_size: int = CASE_BATCH) -> Iterator[Sequence[Sequence[Any]]]:
    """Batches of case rows as the CSV shows them (text in `CASE_COLUMNS` order), each row
    written whole by the database in one statement, read through a server-side cursor
    without the ORM: Python only hands the rows to the CSV writer. Same rows and order as
    `iter_cases`."""
    dialect = db.session.get_bind().dialect.name
    narrowed = _case_text_statement(statement, include_restricted, dialect)
    # Options on the statement, not the connection: the session's connection keeps its own.
    result = db.session.connection().execute(narrowed.execution_options(
        stream_results=True, max_row_buffer=batch_size))
    try:
        while part := result.fetchmany(batch_size):
            yield part
    finally:
        result.close()  # the server-side cursor, also when the reader stops early


def copied_case_csv(statement: Select[Any], *, include_restricted: bool
                    ) -> Iterator[tuple[str, int]]:
    """PostgreSQL: the case rows as CSV written by the database itself (`COPY (SELECT …) TO
    STDOUT (FORMAT csv)`, the query's values bound by psycopg), in blocks of text of about
    256 kB with the number of rows each holds. The same bytes as Python's writer: empty values
    are NULLs, which COPY leaves unquoted as the writer does."""
    connection = db.session.connection()
    narrowed = _case_text_statement(statement, include_restricted, "postgresql")
    texts = list(narrowed.selected_columns)[:-1]  # the last one, the file count, is a number
    narrowed = narrowed.with_only_columns(
        *(func.nullif(column, literal("", String)) for column in texts),
        list(narrowed.selected_columns)[-1], maintain_column_froms=False)
    compiled = narrowed.compile(dialect=connection.dialect,
                                compile_kwargs={"render_postcompile": True})
    raw: Any = connection.connection.driver_connection
    decoder = codecs.getincrementaldecoder("utf-8")()
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY ({compiled.string}) TO STDOUT (FORMAT csv)",
                         dict(compiled.params)) as copy:
            buffer = bytearray()
            rows = 0
            # The server sends each row as one message, and psycopg hands each over as one
            # block: counting blocks counts rows, even when a value holds a line break.
            for block in copy:
                buffer += block
                rows += 1
                if len(buffer) >= _COPY_CHUNK:
                    yield decoder.decode(buffer), rows
                    buffer.clear()
                    rows = 0
        text = decoder.decode(buffer, final=True)
        if text:
            yield text, rows


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
