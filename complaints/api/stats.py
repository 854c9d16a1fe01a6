"""GET /api/v1/stats: the aggregate counts of `export-stats`, for analysts and supervisors.

Parameters: `by` (one dimension or two separated by a comma), `from`, `to` (YYYY-MM-DD,
inclusive, by date received), and optionally `category`, `component` (narrow to complaints
with that category or component) and `suppress` (hide counts below N). Bad parameters: 422
with `{"errors": {param: [message]}}`.
"""

from __future__ import annotations

from flask import Response, jsonify, request

from complaints.api import bp
from complaints.api.auth import allowed, token_required
from complaints.services import access
from complaints.stats import queries, report

KNOWN_PARAMETERS = frozenset({"by", "from", "to", "category", "component", "suppress"})


@bp.get("/api/v1/stats")
@token_required
@allowed(access.may_view_stats)
def stats() -> Response:
    unknown = sorted(set(request.args) - KNOWN_PARAMETERS)
    errors = {name[:60]: ["Unknown parameter."] for name in unknown}
    if "by" not in request.args:
        errors["by"] = ["Give one dimension, or two separated by a comma: "
                        + ", ".join(queries.DIMENSIONS) + "."]
    try:
        wanted = report.ReportRequest.from_args(request.args)
    except report.ReportError as exc:
        errors.update({name: [message] for name, message in exc.errors.items()})
    if errors:
        response = jsonify({"errors": errors})
        response.status_code = 422
        return response
    table = queries.aggregate(wanted.by, wanted.date_from, wanted.date_to,
                              wanted.suppress_below,
                              queries.selection(wanted.category, wanted.component))
    return jsonify(table.as_dict())
