"""Schemathesis hooks for test_openapi_conformance (loaded with SCHEMATHESIS_HOOKS).

A few rules join two values or depend on stored data, which JSON Schema cannot say; the
document says them in words. Before a valid request is sent it is brought in line with those
rules, using the stored data named in COMPLAINTS_CONFORMANCE_WORLD (JSON), so the check that
valid data is accepted covers every other constraint. Invalid requests are sent as generated.
"""

from __future__ import annotations

import calendar
import json
import os
from typing import Any

import schemathesis
from schemathesis.generation.modes import GenerationMode

from complaints.services.intake_rules import today_anywhere


def _world() -> dict[str, Any]:
    return dict(json.loads(os.environ["COMPLAINTS_CONFORMANCE_WORLD"]))


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: Any) -> None:
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    if any(info.mode != GenerationMode.POSITIVE for info in case.meta.components.values()):
        return  # a case with one invalid part (coverage phase) is sent as generated
    within_documented_rules(case, _world())


def within_documented_rules(case: Any, world: dict[str, Any]) -> None:
    query = case.query if isinstance(case.query, dict) else {}
    if case.path_parameters and "receipt" in case.path_parameters:
        case.path_parameters["receipt"] = world["receipt"]
    if case.path.endswith("/status") and case.headers and "X-Access-Code" in case.headers:
        case.headers["X-Access-Code"] = world["access_code"]
    if "after" in query:  # only a `next` from an earlier answer is a cursor
        query["after"] = world["cursor"]
    if query.get("from") and query.get("to") and query["from"] > query["to"]:
        query["from"], query["to"] = query["to"], query["from"]
    body = case.body if isinstance(case.body, dict) else None
    if body is None:
        return
    if isinstance(body.get("complaint"), dict):  # a multipart filing: its files must be
        # files of an accepted kind (decided from their content, which a schema cannot say)
        if "files" in body:
            body["files"] = ["Notes about the visit, written the same day.\n"]
        body = body["complaint"]
    if case.path.endswith("/messages"):
        # Requests carry the staff token, so they are the staff's: free text says its
        # language, and a request for information asks something.
        if "body" in body and "language" not in body:
            body["language"] = "en"
        if body.get("template") == "request_information" and not (body.get("note") or
                                                                   "").strip():
            body["note"] = "On what date did it happen?"
    if body.get("assignee") is not None:  # a staff member who exists
        body["assignee"] = world["staff_email"]
    if body.get("duplicate_of"):  # a complaint that exists
        body["duplicate_of"] = world["other_receipt"]
    day, month = body.get("incident_day"), body.get("incident_month")
    if day not in (None, "") and isinstance(month, str):
        year, number = (int(part) for part in month.split("-"))
        today = today_anywhere()
        last = calendar.monthrange(year, number)[1]
        if (year, number) == (today.year, today.month):
            last = min(last, today.day)
        if int(day) > last:  # the day must exist in that month and not be in the future
            body["incident_day"] = last
