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

from complaints.domain.taxonomy import CATEGORIES, COMPONENTS
from complaints.extensions import db
from complaints.services import access, audit, case_exports
from complaints.services import queue as queue_service
from complaints.staff import bp
from complaints.stats import charts, exporters, queries, report

MEASURE_SERIES = {"received": 0, "opened": 1, "closed": 2}


def _label(value: Any) -> str:
    return "(none)" if value is None else str(value)


def _bars(table: queries.StatsTable) -> list[charts.Bar]:
    """One bar per row and measure, labelled by the row's dimension values."""
    bars = []
    for row in table.rows:
        label = " / ".join(_label(row.get(d)) for d in table.by)
        for measure in table.measures:
            if measure == "median_days":
                continue
            name = label if len(table.measures) == 1 else f"{label} – {measure}"
            bars.append(charts.Bar(name, row.get(measure), MEASURE_SERIES.get(measure, 0)))
    return bars


def _request_or_400() -> report.ReportRequest:
    try:
        return report.ReportRequest.from_args(request.args)
    except report.ReportError as exc:
        abort(Response(render_template("staff/stats_error.html", errors=exc.errors), 400))


@bp.get("/stats")
def stats() -> Any:
    if not access.may_view_stats(current_user):
        abort(403)
    try:
        wanted = report.ReportRequest.from_args(request.args)
        errors: dict[str, str] = {}
    except report.ReportError as exc:
        wanted, errors = report.ReportRequest(), exc.errors
    tables = report.build(wanted)
    figures = [(f"chart-{i}", title, table, charts.bar_chart(f"chart-{i}", title, _bars(table)))
               for i, (title, table) in enumerate(tables.items())]
    return render_template(
        "staff/stats.html", wanted=wanted, figures=figures, errors=errors,
        dimensions=queries.DIMENSIONS, categories=CATEGORIES, components=COMPONENTS,
        download_args=wanted.as_args(), times=queries.handling_times(wanted.date_from,
                                                                      wanted.date_to),
    ), (400 if errors else 200)


@bp.get("/stats/export.<fmt>")
def stats_export(fmt: str) -> Any:
    """Exactly the tables the page shows for the same parameters."""
    if not access.may_view_stats(current_user):
        abort(403)
    if fmt not in ("csv", "xlsx", "json"):
        abort(404)
    tables = report.build(_request_or_400())
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    body: str | bytes
    if fmt == "csv":
        body, mimetype = exporters.to_csv(tables), "text/csv"  # Werkzeug adds the charset
    elif fmt == "xlsx":
        body = exporters.to_xlsx(tables)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = json.dumps(exporters.to_json(tables), ensure_ascii=False, indent=2)
        mimetype = "application/json"
    response = Response(body, mimetype=mimetype)
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
