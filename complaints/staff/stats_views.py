"""The statistics page (charts with their data tables), its downloads, and the case-level
export of the queue's current filter for supervisors."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from complaints.domain.letters import TEMPLATES
from complaints.domain.taxonomy import CATEGORY_REPORT_LABELS, COMPONENTS
from complaints.extensions import db
from complaints.services import access, audit, case_exports
from complaints.services import queue as queue_service
from complaints.staff import bp
from complaints.stats import charts, exporters, labels, periods, queries, report
from complaints.stats.correspondence import correspondence_stats

MEASURE_SERIES = {"received": 0, "opened": 1, "closed": 2}
EXPORT_TYPES = {
    "csv": "text/csv",  # Werkzeug adds the charset
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _bars(table: queries.StatsTable) -> list[charts.Bar]:
    """One bar per row and measure, labelled by the row's dimension labels."""
    bars = []
    for row in table.rows:
        label = " / ".join(labels.value(d, row.get(d)) for d in table.by)
        for measure in table.measures:
            if measure == "median_days":
                continue
            name = label if len(table.measures) == 1 else f"{label} – {labels.measure(measure)}"
            bars.append(charts.Bar(name, row.get(measure), MEASURE_SERIES.get(measure, 0)))
    return bars


def _groups(table: queries.StatsTable) -> list[tuple[str, list[charts.Bar]]]:
    """A group of bars per row (e.g. a month), one per measure (received, opened, closed)."""
    measures = [m for m in table.measures if m != "median_days"]
    return [(" / ".join(labels.value(d, row.get(d)) for d in table.by),
             [charts.Bar(labels.measure(m), row.get(m), i) for i, m in enumerate(measures)])
            for row in table.rows]


def _stacks(grid: report.Grid) -> tuple[list[charts.Stack], list[str]]:
    """The grid as stacked bars: the largest column values each a segment, the rest one."""
    first, second = grid.by
    sizes = {c: sum(grid.cells.get((r, c)) or 0 for r in grid.rows) for c in grid.columns}
    ranked = sorted(grid.columns, key=lambda c: -sizes[c])
    kept = ranked if len(ranked) <= charts.MAX_SEGMENTS else ranked[:charts.MAX_SEGMENTS - 1]
    kept = [c for c in grid.columns if c in kept]
    series = [labels.value(second, c) for c in kept]
    rest = [c for c in grid.columns if c not in kept]
    if rest:
        series.append(f"Other ({len(rest)} more)")
    stacks = []
    for r in grid.rows:
        segments = [charts.Segment(labels.value(second, c), grid.cells.get((r, c)) or 0)
                    for c in kept]
        if rest:
            segments.append(charts.Segment(series[-1],
                                           sum(grid.cells.get((r, c)) or 0 for c in rest)))
        total = grid.row_totals.get(r)
        shown = sum(s.value for s in segments)
        hidden = (total - shown) if (total is not None and grid.row_sums_exact) else 0
        stacks.append(charts.Stack(labels.value(first, r), tuple(segments), max(hidden, 0),
                                   total))
    return stacks, series


def _figures(result: report.Report) -> list[dict[str, Any]]:
    """What the page draws, in order: a chart and its table per table of the report."""
    figures = []
    for index, (title, table) in enumerate(result.shown()):
        chart_id = f"chart-{index}"
        figure: dict[str, Any] = {"id": chart_id, "title": title, "table": table,
                                  "grid": None, "previous": None}
        if title == result.main_title and result.grid is not None:
            stacks, series = _stacks(result.grid)
            figure["grid"] = result.grid
            figure["svg"] = charts.stacked_chart(chart_id, title, stacks, series)
        elif len([m for m in table.measures if m != "median_days"]) > 1:
            figure["svg"] = charts.grouped_chart(chart_id, title, _groups(table), [
                labels.measure(m) for m in table.measures if m != "median_days"])
        else:
            figure["svg"] = charts.bar_chart(chart_id, title, _bars(table))
        if title == result.main_title and result.previous is not None:
            figure["previous"] = _comparison(result.previous, table, result.grid)
        figures.append(figure)
    return figures


def _comparison(previous: queries.StatsTable, current: queries.StatsTable,
                grid: report.Grid | None) -> dict[Any, Any]:
    """Per value of the first dimension: (a year earlier, change), each None when hidden."""
    dimension = previous.by[0]
    before = {r.get(dimension): r.get("count") for r in previous.rows}
    if grid is not None:
        now = dict(grid.row_totals)
    else:
        now = {r.get(dimension): r.get("count") for r in current.rows}
    found: dict[Any, Any] = {}
    for value in now:
        earlier = before.get(value, 0)  # a value not found a year earlier had none
        found[value] = (earlier, _change(now[value], earlier))
    found["__total__"] = (previous.total, _change(current.total, previous.total))
    return found


def _change(now: int | None, before: int | None) -> str | None:
    if now is None or before is None:
        return None
    difference = now - before
    if before == 0:
        return f"{difference:+,}"
    return f"{difference:+,} ({difference / before:+.0%})"


def _request_or_400() -> report.ReportRequest:
    try:
        return report.ReportRequest.from_args(request.args)
    except report.ReportError as exc:
        abort(Response(render_template("staff/stats_error.html", errors=exc.errors), 400))


def _page(template: str) -> Any:
    if not access.may_view_stats(current_user):
        abort(403)
    try:
        wanted = report.ReportRequest.from_args(request.args)
        errors: dict[str, str] = {}
    except report.ReportError as exc:
        wanted, errors = report.ReportRequest(), exc.errors
    result = report.build_report(wanted)
    today = report.office_today()
    return render_template(
        template, wanted=wanted, result=result, figures=_figures(result), errors=errors,
        dimensions=queries.DIMENSIONS, categories=CATEGORY_REPORT_LABELS, components=COMPONENTS,
        presets=periods.presets(today), labels=labels,
        about=report.about(result, _who()),
        download_args=wanted.as_args(), times=_times(result),
        correspondence=correspondence_stats(wanted.date_from, wanted.date_to),
        template_labels={t.code: t.label for t in TEMPLATES},
    ), (400 if errors else 200)


def _who() -> str:
    return f"{current_user.name} <{current_user.email}>"


def _times(result: report.Report) -> dict[str, Any]:
    """The median handling times as shown (hidden with their counts)."""
    table = result.tables["Median days to first triage and to closure"]
    return {row["interval"]: row for row in table.rows}


@bp.get("/stats")
def stats() -> Any:
    return _page("staff/stats.html")


@bp.get("/stats/report")
def stats_report() -> Any:
    """The same report laid out for printing (or saving as PDF from the browser)."""
    return _page("staff/stats_report.html")


@bp.get("/stats/export.<fmt>")
def stats_export(fmt: str) -> Any:
    """Exactly the tables the page shows for the same parameters (with a crossed table's
    margins as tables of their own), suppressed alike, and what they are."""
    if not access.may_view_stats(current_user):
        abort(403)
    if fmt not in EXPORT_TYPES:
        abort(404)
    result = report.build_report(_request_or_400())
    about = report.about(result, _who())
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    body: str | bytes
    if fmt == "csv":
        body = exporters.to_csv(result.tables, about)
    elif fmt == "xlsx":
        grids = {result.main_title: result.grid} if result.grid else None
        body = exporters.to_xlsx(result.tables, about, grids)
    else:
        body = json.dumps(exporters.to_json(result.tables, about), ensure_ascii=False, indent=2)
    response = Response(body, mimetype=EXPORT_TYPES[fmt])
    response.headers["Content-Disposition"] = \
        f'attachment; filename="complaint-statistics-{stamp}.{fmt}"'
    return response


@bp.get("/export.<fmt>")
def cases_export(fmt: str) -> Any:
    """The queue's current filter, one row per complaint, streamed; restricted complaints only
    for holders of the grant; the export itself is audited."""
    if not access.may_export_cases(current_user):
        abort(403)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    filters = queue_service.QueueFilters.from_args(request.args)
    statement = queue_service.filtered(current_user, filters, walk=False)
    include_restricted = bool(current_user.restricted_access)
    audit.record("cases_exported", current_user.actor, None, format=fmt,
                 filters=filters.as_args(), include_restricted=include_restricted)
    db.session.commit()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    headers = {"Content-Disposition": f'attachment; filename="complaints-{stamp}.{fmt}"'}
    if fmt == "csv":
        app = current_app._get_current_object()  # type: ignore[attr-defined]

        def rows() -> Iterator[str]:
            # A context of its own: the request's is gone while the body streams.
            with app.app_context():
                try:
                    yield from exporters.stream_cases_csv(
                        statement, include_restricted=include_restricted)
                finally:
                    db.session.remove()

        return Response(rows(), mimetype="text/csv", headers=headers)  # charset added
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    exporters.write_cases_xlsx(statement, path, include_restricted=include_restricted)

    def chunks() -> Iterator[bytes]:
        try:
            with open(path, "rb") as source:
                while block := source.read(64 * 1024):
                    yield block
        finally:
            os.unlink(path)

    return Response(chunks(), headers=headers,
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.post("/export-jobs")
def request_case_export() -> Any:
    """Prepare an export of the queue's current filter in the background (for large ones:
    the file is complete or not offered at all); the queue page lists it when ready."""
    if not access.may_export_cases(current_user):
        abort(403)
    fmt = request.form.get("format", "csv")
    if fmt not in case_exports.FORMATS:
        abort(400)
    filters = queue_service.QueueFilters.from_args(request.args)
    job = case_exports.request_export(current_user, filters, fmt)
    case_exports.start(job.id)
    flash(_("Your export is being prepared. It will be listed on this page, with a link to "
            "download it, when it is complete."), "success")
    query = urlencode(filters.as_args())
    return redirect(url_for("staff.queue") + (f"?{query}" if query else ""))


@bp.get("/export-jobs/<int:ident>")
def download_case_export(ident: int) -> Any:
    if not access.may_export_cases(current_user):
        abort(403)
    found = case_exports.file_for(current_user, ident)
    if found is None:
        abort(404)
    job, path = found
    mimetype = ("text/csv" if job.format == "csv" else
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return send_file(path, mimetype=mimetype, as_attachment=True,
                     download_name=job.file_name)
