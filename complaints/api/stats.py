"""GET /api/v1/stats: the aggregate counts of `export-stats`, for analysts and supervisors.

Parameters: `by` (one dimension or two separated by a comma), `from`, `to` (YYYY-MM-DD,
inclusive, by date received), and optionally `category`, `component` (narrow to complaints
with that category or component) and `suppress` (hide counts below N, and the complementary
cells of the statistics page's report for the same request). Each row carries the codes, their
labels (`label`, or `<dimension>_label` when crossed) and `count` (null with `"suppressed":
true` when hidden). Bad parameters: 422
with `{"errors": {param: [message]}}`. The API reads them exactly as the OpenAPI document
describes them: unknown, repeated or empty ones, dates in another ISO form and spaces around
values are refused (the statistics page is more forgiving).
"""

from __future__ import annotations

import re

from flask import Response, jsonify, request

from complaints.api import bp
from complaints.api.auth import allowed, token_required
from complaints.api.openapi import BY_VALUES
from complaints.services import access
from complaints.stats import exporters, queries, report

KNOWN_PARAMETERS = frozenset({"by", "from", "to", "category", "component", "suppress"})
_ISO_DAY = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile("[0-9]{1,4}")


@bp.get("/api/v1/stats")
@token_required
@allowed(access.may_view_stats)
def stats() -> Response:
    args = request.args
    errors: dict[str, list[str]] = {}
    for name in args:
        if name not in KNOWN_PARAMETERS:
            errors[name[:60]] = ["Unknown parameter."]
        elif len(args.getlist(name)) > 1:
            errors[name] = ["Give this parameter once."]
        elif not args[name] or args[name] != args[name].strip():
            errors[name] = ["Give a value without spaces around it, or leave this parameter "
                            "out."]
    for name in ("from", "to"):
        if args.get(name) and not _ISO_DAY.fullmatch(args[name]):
            errors.setdefault(name, ["Use YYYY-MM-DD."])
    if args.get("suppress") and not _NUMBER.fullmatch(args["suppress"]):
        errors.setdefault("suppress", ["Give a whole number from 2 to 1000."])
    if args.get("by") not in BY_VALUES:
        errors.setdefault("by", ["Give one dimension, or two separated by a comma: "
                                 + ", ".join(queries.DIMENSIONS) + "."])
    try:
        wanted = report.ReportRequest.from_args(request.args)
    except report.ReportError as exc:
        errors.update({name: [message] for name, message in exc.errors.items()
                       if name not in errors})
    if errors:
        response = jsonify({"errors": errors})
        response.status_code = 422
        return response
    if wanted.suppress_below:
        # Suppressed as part of the whole report (the page's tables, margins and totals for
        # the same request), so the API never shows a cell the page hides.
        table = report.build_report(wanted).main
    else:
        table = queries.aggregate(wanted.by, wanted.date_from, wanted.date_to, None,
                                  queries.selection(wanted.category, wanted.component))
    return jsonify(exporters.table_json(table))
