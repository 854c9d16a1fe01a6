"""The OpenAPI 3 description of /api/v1, built from the intake field definitions so the document
cannot drift from the rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from complaints.domain.taxonomy import (
    CATEGORY_CODES,
    CHANNEL_CODES,
    COMPONENT_CODES,
    DISPOSITION_CODES,
    PRIORITY_CODES,
    PUBLIC_STATUSES,
    SECTION_CODES,
    STATUS_CODES,
)
from complaints.i18n import LOCALE_CODES
from complaints.services import intake_patterns as patterns
from complaints.services.intake_rules import FIELD_BY_NAME, FIELDS, FieldSpec, today_anywhere
from complaints.stats.queries import DIMENSIONS

# The statistics' `by`: one dimension, or two different ones crossed.
BY_VALUES: tuple[str, ...] = (*DIMENSIONS, *(f"{a},{b}" for a in DIMENSIONS for b in DIMENSIONS
                                             if a != b))

# The staff list's filters and the values each takes (the queue service decides what it
# accepts; tests check that it accepts every value written here).
LIST_FILTER_CHOICES: dict[str, tuple[str, ...]] = {
    "status": ("all", "open", *STATUS_CODES),
    "section": SECTION_CODES,
    "category": CATEGORY_CODES,
    "component": COMPONENT_CODES,
    "priority": PRIORITY_CODES,
    "language": LOCALE_CODES,
    "channel": CHANNEL_CODES,
    "restricted": ("yes", "no"),
    "assigned": ("me", "none"),
}
LIST_FILTER_DESCRIPTIONS: dict[str, str] = {
    "status": "A status; `open` is every status but closed. Default: every status.",
    "category": "Primary or secondary category.",
    "component": "One of the components involved.",
    "language": "The complaint's language.",
    "channel": "How it was received.",
    "restricted": "Only restricted (`yes`) or unrestricted (`no`) complaints.",
    "assigned": "Assigned to the token's account (`me`) or to nobody (`none`).",
}


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional field: also null, and the empty string, which both mean "not given"."""
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], ""]
    elif "pattern" in schema:
        schema["pattern"] = f"^$|{schema['pattern']}"
    return {**schema, "nullable": True}


def _field_schema(spec: FieldSpec, today: date) -> dict[str, Any]:
    """Exactly what intake_rules accepts for one field, as JSON Schema."""
    schema: dict[str, Any]
    if spec.kind == "choices":
        schema = {"type": "array", "items": {"type": "string", "enum": list(spec.choices)},
                  "description": "Repeated codes count once."}
        if spec.required:
            schema["minItems"] = 1
        else:
            schema["nullable"] = True
    elif spec.kind == "choice":
        schema = {"type": "string", "enum": list(spec.accepted)}
    elif spec.kind == "bool":
        schema = {"type": "boolean"}
        if spec.name == "privacy_acknowledged":
            schema["enum"] = [True]
    elif spec.kind == "day":
        schema = {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 31},
                            {"type": "string", "pattern": f"^$|{patterns.DAY_STRING}"}],
                  "description": "Day of the month, if known: 1 to 31, as a number or a "
                                 "string of digits. It must exist in `incident_month` and "
                                 "not be after today."}
    elif spec.kind == "month":
        schema = {"type": "string", "pattern": patterns.months_through(today),
                  "description": "Month and year it happened, YYYY-MM, from 1900 to this "
                                 "month."}
    elif spec.kind == "date":
        schema = {"type": "string", "pattern": patterns.dates_through(today),
                  "description": "YYYY-MM-DD, a real date from 1900 to today."}
    elif spec.kind == "phone":
        schema = {"type": "string", "pattern": patterns.PHONE}
    elif spec.kind == "a_number":
        schema = {"type": "string", "pattern": patterns.A_NUMBER}
    elif spec.kind == "email":
        schema = {"type": "string", "anyOf": [{"format": "email"}, {"maxLength": 0}],
                  "nullable": True}
    else:
        schema = {"type": "string"}
        if spec.required:
            schema.update(minLength=1, pattern=patterns.NON_BLANK)
    if spec.max_length:
        schema["maxLength"] = spec.max_length
    if spec.description and "description" not in schema:
        schema["description"] = spec.description
    if not spec.required and spec.kind not in ("choices", "bool", "day", "email"):
        schema = _optional(schema)
    elif not spec.required and spec.kind in ("bool", "day"):
        schema["nullable"] = True
    return schema


def intake_schema(today: date) -> dict[str, Any]:
    """The filing body. Filing for someone else needs who files, how they are related and
    their attestation that the person agreed; otherwise those fields are ignored."""
    properties = {f.name: _field_schema(f, today) for f in FIELDS}
    filer = properties["filer_name"]
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in FIELDS if f.required],
        "properties": properties,
        "anyOf": [
            {"properties": {"filing_for_other": {"enum": [False, None]}}},
            {"required": ["filing_for_other", "filer_name", "filer_relationship",
                          "consent_attested"],
             "properties": {
                 "filing_for_other": {"enum": [True]},
                 "filer_name": {"type": "string", "maxLength": filer["maxLength"],
                                "pattern": patterns.NON_BLANK},
                 "filer_relationship": {"type": "string",
                                        "enum": list(FIELD_BY_NAME["filer_relationship"].choices)},
                 "consent_attested": {"enum": [True]}}},
        ],
    }


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again",
                               "schema": {"type": "integer", "minimum": 0}}}


def _error(description: str, **headers: Any) -> dict[str, Any]:
    """A refusal answered with `{"error", "message"}`."""
    answer: dict[str, Any] = {"description": description, "content": _json("Error")}
    if headers:
        answer["headers"] = headers
    return answer


def _public_refusals() -> dict[str, Any]:
    return {
        "429": _error("Too many requests from this address; try again after Retry-After "
                      "seconds", **RETRY_AFTER),
        "503": _error("The database is unavailable or too busy: nothing was stored; try "
                      "again after Retry-After seconds", **RETRY_AFTER),
    }


def _null_in_nullable_enums(node: Any) -> Any:
    """OpenAPI 3.0 validators check `enum` before `nullable`: list null where it is allowed."""
    if isinstance(node, dict):
        if node.get("nullable") and "enum" in node and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
        for value in node.values():
            _null_in_nullable_enums(value)
    elif isinstance(node, list):
        for value in node:
            _null_in_nullable_enums(value)
    return node


def openapi_document(today: date | None = None) -> dict[str, Any]:
    """The document as of `today` (dates in the future are refused, so it changes daily)."""
    return _null_in_nullable_enums(_document(today or today_anywhere()))


def _document(today: date) -> dict[str, Any]:
    string, boolean = {"type": "string"}, {"type": "boolean"}
    public_status = {
        "type": "object",
        "required": ["receipt", "public_status", "public_status_text", "needs_information",
                     "updated_at"],
        "properties": {
            "receipt": {"type": "string", "example": "CR-7K4M-9QX2"},
            "public_status": {"type": "string", "enum": list(PUBLIC_STATUSES)},
            "public_status_text": {"type": "string",
                                   "description": "In the language of Accept-Language."},
            "needs_information": boolean,
            "updated_at": {"type": "string", "format": "date-time"},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Civil rights complaints API",
            "version": "1.0.0",
            "description": "File civil rights complaints and check their public status. "
                           "Messages follow the Accept-Language header. Every field, length "
                           "and choice below is exactly what the server checks; rules that "
                           "join two fields are in their descriptions.",
        },
        "paths": {
            "/api/v1/complaints": {"get": _staff_list(), "post": {
                "summary": "File a complaint",
                "description": "As JSON, or as multipart/form-data with the same JSON in a "
                               "part `complaint` and up to the configured number of files in "
                               "parts `files` (PDF, JPEG, PNG, HEIC, plain text, Word .docx; "
                               "the type is decided from the content). One refused file, or "
                               "an invalid complaint, stores nothing: 422 with the reasons "
                               "under `files`.",
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Intake"}},
                    "multipart/form-data": {
                        "schema": {"$ref": "#/components/schemas/IntakeWithFiles"},
                        "encoding": {"complaint": {"contentType": "application/json"},
                                     "files": {"contentType": "application/octet-stream"}}},
                }},
                "responses": {
                    "201": {"description": "Filed", "content": _json("Filed"), "headers": {
                        "Location": {"description": "The complaint's public status",
                                     "schema": string}}},
                    "413": _error("The body is larger than the server accepts"),
                    "422": {"description": "Invalid: `errors` names each field and what is "
                                           "wrong with it (a body that is not a JSON object "
                                           "is reported under `body`)",
                            "content": _json("Errors")},
                    **_public_refusals(),
                },
            }},
            "/api/v1/complaints/{receipt}/status": {"get": {
                "summary": "Public status of a complaint",
                "parameters": [
                    {"name": "receipt", "in": "path", "required": True,
                     "description": "As printed (CR-7K4M-9QX2); case, spaces and dashes do "
                                    "not matter.", "schema": string},
                    {"name": "X-Access-Code", "in": "header", "required": True,
                     "schema": string},
                ],
                "responses": {
                    "200": {"description": "Found", "content": _json("PublicStatus")},
                    "404": _error("Unknown receipt, or a missing or wrong access code (the "
                                  "same answer for each)"),
                    **_public_refusals(),
                },
            }},
            **_staff_paths(),
            "/api/v1/complaints/{receipt}/messages": _messages(),
            "/api/v1/stats": {"get": _stats()},
            "/healthz": {"get": {
                "summary": "Health check",
                "description": "`degraded` while the rate-limit storage does not answer "
                               "(limits are then counted by each process).",
                "responses": {"200": {"description": "The database answers",
                                      "content": _json("Health")},
                              "503": {"description": "The database does not answer",
                                      "content": _json("Health")}},
            }},
        },
        "components": {"securitySchemes": STAFF_SECURITY_SCHEMES, "schemas": {
            "Intake": intake_schema(today),
            "Filed": {
                "type": "object",
                "required": ["receipt", "access_code", "status", "language", "public_status",
                             "public_status_text", "needs_information"],
                "properties": {
                    "receipt": {"type": "string", "example": "CR-7K4M-9QX2"},
                    "access_code": {"type": "string",
                                    "description": "Shown once; only its hash is stored."},
                    "status": {"type": "string", "enum": ["received"]},
                    "language": {"type": "string", "enum": list(LOCALE_CODES)},
                    "public_status": {"type": "string", "enum": list(PUBLIC_STATUSES)},
                    "public_status_text": string,
                    "needs_information": boolean,
                    "attachments": {"type": "array",
                                    "description": "Multipart filings only: the files kept.",
                                    "items": {"$ref": "#/components/schemas/AttachmentSummary"}},
                },
            },
            "IntakeWithFiles": {
                "type": "object", "required": ["complaint"], "additionalProperties": False,
                "properties": {
                    "complaint": {"$ref": "#/components/schemas/Intake"},
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                },
            },
            "AttachmentSummary": {
                "type": "object", "required": ["id", "name", "type", "size"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string", "description": "As sent; for display only."},
                    "type": {"type": "string", "description": "Of the copy kept: images are "
                             "re-encoded without metadata (HEIC as JPEG)."},
                    "size": {"type": "integer"},
                },
            },
            "PublicStatus": public_status,
            "Errors": {
                "type": "object",
                "required": ["errors"],
                "properties": {"errors": {"type": "object", "additionalProperties": {
                    "type": "array", "items": string}}},
            },
            "Error": {"type": "object", "required": ["error", "message"],
                      "properties": {"error": {"type": "integer"}, "message": string}},
            "Health": {
                "type": "object", "required": ["status", "checks"],
                "properties": {
                    "status": {"type": "string", "enum": ["ok", "degraded", "unavailable"]},
                    "checks": {"type": "object", "required": ["database", "rate_limits"],
                               "properties": {
                                   "database": {"type": "string",
                                                "enum": ["ok", "unavailable"]},
                                   "rate_limits": {"type": "string",
                                                   "enum": ["ok", "fallback", "disabled"]}}},
                },
            },
            **_staff_schemas(),
            **_message_schemas(today),
        }},
    }


# -- correspondence with the filer -------------------------------------------------------------

MESSAGES_AUTH = ("With `Authorization: Bearer <staff token>` this is the staff's (same roles, "
                 "grants and audit as the case page); without it, the filer's, who sends the "
                 "access code in `X-Access-Code` and is rate limited like the status look-up. "
                 "For the filer, an unknown receipt and a missing or wrong code give the same "
                 "404.")


def _messages() -> dict[str, Any]:
    parameters = [RECEIPT_PARAMETER,
                  {"name": "X-Access-Code", "in": "header", "required": False,
                   "description": "The filer's access code (when no staff token is sent).",
                   "schema": {"type": "string"}}]
    security: list[dict[str, Any]] = [{"bearerAuth": []}, {}]
    refusals = {**_refusals(401, 403, 404), **_public_refusals()}
    refusals["404"]["description"] = ("Staff: no complaint has that receipt number. Filer: "
                                      "unknown receipt, or a missing or wrong access code.")
    return {
        "get": {
            "summary": "The messages between the office and the filer",
            "description": "Newest first, bodies in the language they were written in (letters "
                           "in the filer's). Staff also see each message's template, note, "
                           "author, delivery and read and printed marks. " + MESSAGES_AUTH,
            "security": security,
            "parameters": parameters,
            "responses": {"200": {"description": "The conversation",
                                  "content": _json("Messages")}, **refusals},
        },
        "post": {
            "summary": "Write to the filer (staff) or to the office (filer)",
            "description": "Staff send a letter template (`template`, with `note` for its free "
                           "part; `request_information` needs the questions in `note` and "
                           "moves the complaint to awaiting_information) or free text (`body` "
                           "with its `language`). The filer sends `body` only; an answer to a "
                           "complaint awaiting information moves it to intake_review. "
                           "`status` is the complaint's status afterwards (for the filer, its "
                           "public status). " + MESSAGES_AUTH,
            "security": security,
            "parameters": parameters,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "oneOf": [{"$ref": "#/components/schemas/LetterMessage"},
                          {"$ref": "#/components/schemas/FreeTextMessage"},
                          {"$ref": "#/components/schemas/FilerMessage"}]}}}},
            "responses": {"201": {"description": "Sent", "content": _json("MessageSent")},
                          **refusals, **_refusals(409, 422)},
        },
    }


def _message_schemas(today: date) -> dict[str, Any]:
    from complaints.domain.letters import TEMPLATE_CODES
    from complaints.services.intake_rules import NARRATIVE_MAX

    string = {"type": "string"}
    nullable_string = {"type": "string", "nullable": True}
    date_time = {"type": "string", "format": "date-time"}
    body = _field_schema(FieldSpec("body", "longtext", NARRATIVE_MAX, required=True), today)
    return {
        "LetterMessage": {
            "type": "object", "additionalProperties": False, "required": ["template"],
            "description": "Staff: a letter template, rendered in the complaint's language.",
            "properties": {
                "template": {"type": "string", "enum": list(TEMPLATE_CODES)},
                "note": {**nullable_string, "maxLength": 5000,
                         "description": "The letter's free part (the questions asked, where "
                                        "to get help); required for request_information."},
            },
        },
        "FreeTextMessage": {
            "type": "object", "additionalProperties": False, "required": ["body", "language"],
            "description": "Staff: free text, in the language given.",
            "properties": {"body": body,
                           "language": {"type": "string", "enum": list(LOCALE_CODES)}},
        },
        "FilerMessage": {
            "type": "object", "additionalProperties": False, "required": ["body"],
            "description": "The filer's message (with X-Access-Code), checked by the same "
                           "rules as the intake's text.",
            "properties": {"body": body},
        },
        "MessageSent": {
            "type": "object", "required": ["id", "language", "template", "status"],
            "properties": {"id": {"type": "integer"},
                           "language": {"type": "string", "enum": list(LOCALE_CODES)},
                           "template": {"type": "string", "enum": list(TEMPLATE_CODES),
                                        "nullable": True},
                           "status": string},
        },
        "Messages": {
            "type": "object", "required": ["messages"],
            "properties": {"messages": {"type": "array", "items": {
                "type": "object", "required": ["id", "from", "body", "language", "sent_at"],
                "properties": {
                    "id": {"type": "integer"},
                    "from": {"type": "string", "enum": ["office", "filer"]},
                    "body": string,
                    "language": {"type": "string", "enum": list(LOCALE_CODES)},
                    "sent_at": date_time,
                    "template": {**nullable_string, "description": "Staff only"},
                    "note": {**nullable_string, "description": "Staff only"},
                    "author": {**nullable_string, "description": "Staff only"},
                    "actor": {**string, "description": "Staff only"},
                    "delivery": {"type": "string", "enum": ["email", "print"],
                                 "nullable": True, "description": "Staff only"},
                    "read_at": {**date_time, "nullable": True, "description": "Staff only"},
                    "printed_at": {**date_time, "nullable": True,
                                   "description": "Staff only"},
                }}}},
        },
    }


def _stats() -> dict[str, Any]:
    date_parameter = {"type": "string", "format": "date",
                      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    return {
        "summary": "Aggregate counts (analysts and supervisors)",
        "description": "Counts of complaints by one dimension or two crossed, by date "
                       "received; no personal data. `from` may not be after `to`. Unknown, "
                       "repeated or empty parameters are refused with 422.",
        "security": [{"bearerAuth": []}],
        "parameters": [
            {"name": "by", "in": "query", "required": True,
             "description": "One dimension, or two separated by a comma.",
             "schema": {"type": "string", "enum": list(BY_VALUES)}},
            {"name": "from", "in": "query", "required": False,
             "description": "First day (inclusive).", "schema": date_parameter},
            {"name": "to", "in": "query", "required": False,
             "description": "Last day (inclusive).", "schema": date_parameter},
            {"name": "category", "in": "query", "required": False,
             "schema": {"type": "string", "enum": list(CATEGORY_CODES)}},
            {"name": "component", "in": "query", "required": False,
             "schema": {"type": "string", "enum": list(COMPONENT_CODES)}},
            {"name": "suppress", "in": "query", "required": False,
             "description": "Suppress counts below this for publication, and further "
                            "counts so that none can be worked out from the totals or the "
                            "other tables of the same report (a suppressed count is null "
                            "with `suppressed: true`; `total` too when it must be hidden).",
             "schema": {"type": "integer", "minimum": 2, "maximum": 1000}},
        ],
        "responses": {"200": {"description": "The counts", "content": _json("StatsTable")},
                      **_refusals(401, 403, 422)},
    }


# -- staff endpoints ---------------------------------------------------------------------------

STAFF_SECURITY_SCHEMES = {"bearerAuth": {
    "type": "http", "scheme": "bearer",
    "description": "A staff API token (`flask --app complaints create-token EMAIL`); it acts "
                   "with the account's role and grants.",
}}

def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _refusals(*codes: int) -> dict[str, Any]:
    texts = {
        401: "No token, or an unknown or revoked one, or its account is disabled "
             "(WWW-Authenticate: Bearer)",
        403: "The role may not do this (analysts and admins never may), the complaint is outside "
             "the account's section, or it is restricted and the account lacks the grant",
        404: "No complaint has that receipt number",
        409: "The workflow forbids the move (the message says why), or the complaint changed "
             "since `version`",
        422: "Invalid request; `errors` names each problem",
    }
    return {str(code): {"description": texts[code], "content": _json(
        "Errors" if code == 422 else "StaffError")} for code in codes}


RECEIPT_PARAMETER = {"name": "receipt", "in": "path", "required": True,
                     "schema": {"type": "string", "example": "CR-7K4M-9QX2"}}


def _staff_list() -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "query", "required": False,
         "description": LIST_FILTER_DESCRIPTIONS.get(name, "") + " Leave it out for no filter.",
         "schema": {"type": "string", "enum": list(choices)}}
        for name, choices in LIST_FILTER_CHOICES.items()
    ]
    parameters += [
        {"name": "q", "in": "query", "required": False,
         "description": "Full-text search of narratives: every word must appear (the first "
                        "200 characters count).",
         "schema": {"type": "string", "minLength": 1}},
        {"name": "limit", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
        {"name": "after", "in": "query", "required": False,
         "description": "The `next` of the previous page (anything else is refused with 422).",
         "schema": {"type": "string", "minLength": 1, "maxLength": 200}},
    ]
    return {
        "summary": "List complaints (staff)",
        "description": "Newest first (by date received), in the account's scope "
                       "(investigators: their section). Keyset pagination: pass `next` as "
                       "`after`. Unknown, repeated or empty parameters and values not listed "
                       "are refused with 422. A restricted complaint's category is null unless "
                       "the account holds the restricted grant.",
        "security": [{"bearerAuth": []}],
        "parameters": parameters,
        "responses": {"200": {"description": "One page", "content": _json("ComplaintPage")},
                      **_refusals(401, 403, 422)},
    }


def _staff_paths() -> dict[str, Any]:
    return {
        "/api/v1/complaints/{receipt}": {"get": {
            "summary": "A complaint's whole record (staff)",
            "description": "Every view of a restricted complaint is audited, refused or not.",
            "security": [{"bearerAuth": []}],
            "parameters": [RECEIPT_PARAMETER],
            "responses": {"200": {"description": "The record", "content": _json("CaseRecord")},
                          **_refusals(401, 403, 404)},
        }},
        "/api/v1/attachments/{attachment_id}": {"get": {
            "summary": "Download one file of a complaint (staff)",
            "description": "The kept copy, as an attachment (Content-Disposition), never "
                           "sniffed. Only for accounts that may read the complaint (restricted "
                           "ones need the grant); every request is audited, refused or not.",
            "security": [{"bearerAuth": []}],
            "parameters": [{"name": "attachment_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "The file", "content": {
                kind: {"schema": {"type": "string", "format": "binary"}} for kind in (
                    "application/pdf", "image/jpeg", "image/png", "text/plain",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            }}, **_refusals(401, 403, 404)},
        }},
        "/api/v1/complaints/{receipt}/transitions": {"post": {
            "summary": "Move a complaint through the workflow (staff)",
            "security": [{"bearerAuth": []}],
            "parameters": [RECEIPT_PARAMETER],
            "requestBody": {"required": True, "content": _json("Transition")},
            "responses": {"200": {"description": "Moved; the new record",
                                  "content": _json("CaseRecord")},
                          **_refusals(401, 403, 404, 409, 422)},
        }},
        "/api/v1/complaints/{receipt}/assignment": {"post": {
            "summary": "Send a complaint to a section and/or a person (staff)",
            "description": "Only the members given change. A new section without `assignee` "
                           "clears the assignee: the complaint goes back to that section's "
                           "queue.",
            "security": [{"bearerAuth": []}],
            "parameters": [RECEIPT_PARAMETER],
            "requestBody": {"required": True, "content": _json("Assignment")},
            "responses": {"200": {"description": "Changed; the new record",
                                  "content": _json("CaseRecord")},
                          **_refusals(401, 403, 404, 409, 422)},
        }},
    }


def _staff_schemas() -> dict[str, Any]:
    string, boolean = {"type": "string"}, {"type": "boolean"}
    stats_row = {"type": "object", "required": ["count"],
                 "description": "The code of each dimension under its name, its human label "
                                "beside it (`label`, or `<dimension>_label` when two are "
                                "crossed), and the count.",
                 "additionalProperties": {"nullable": True},
                 "properties": {"count": {"type": "integer", "nullable": True,
                                          "description": "Null when suppressed"},
                                "label": {"type": "string",
                                          "description": "The label of the code (one "
                                                         "dimension)"},
                                "suppressed": {"type": "boolean",
                                               "description": "True when the count is "
                                                              "suppressed for publication"}}}
    nullable_string = {"type": "string", "nullable": True}
    date_time = {"type": "string", "format": "date-time"}
    nullable_date_time = {**date_time, "nullable": True}
    version = {"type": "integer", "nullable": True,
               "description": "The record's `version` as read; when given, the change is "
                              "refused with 409 if someone changed the complaint since."}
    intake = {f.name: _field_schema(f, today_anywhere()) for f in FIELDS}
    intake.pop("privacy_acknowledged", None)
    return {
        "StaffError": {
            "type": "object", "required": ["error", "message"],
            "properties": {"error": {"type": "integer"}, "message": string,
                           "receipt": {**string, "description": "Restricted complaints only"},
                           "status": string, "restricted": boolean},
        },
        "ComplaintSummary": {
            "type": "object",
            "properties": {
                "receipt": string,
                "status": {"type": "string", "enum": list(STATUS_CODES)},
                "section": {"type": "string", "enum": list(SECTION_CODES)},
                "priority": {"type": "string", "enum": list(PRIORITY_CODES)},
                "primary_category": {"type": "string", "enum": list(CATEGORY_CODES),
                                     "nullable": True,
                                     "description": "Null for a restricted complaint unless "
                                                    "the account holds the grant."},
                "language": string,
                "restricted": boolean,
                "created_at": date_time,
                "received_at": date_time,
            },
        },
        "ComplaintPage": {
            "type": "object", "required": ["items", "next"],
            "properties": {
                "items": {"type": "array",
                          "items": {"$ref": "#/components/schemas/ComplaintSummary"}},
                "next": {**nullable_string, "description": "Cursor of the next page, or null "
                                                           "on the last one."},
            },
        },
        "RoutingReason": {
            "type": "object",
            "properties": {"decision": {"type": "string",
                                        "enum": ["section", "priority", "restricted", "flag"]},
                           "value": string, "rule": string, "reason": string,
                           "by": {**string, "description": "Staff overrides only"}},
        },
        "AuditEvent": {
            "type": "object",
            "properties": {"at": date_time, "kind": string,
                           "actor": {**string, "description": "public, api, system or "
                                                              "staff:<id>"},
                           "from_status": nullable_string, "to_status": nullable_string,
                           "note": nullable_string, "data": {"type": "object"}},
        },
        "CaseRecord": {
            "type": "object",
            "description": "Every intake field under its intake name (`categories` are the "
                           "secondary ones), with the workflow, routing and audit trail.",
            "properties": {
                **intake,
                "privacy_acknowledged": boolean,
                "receipt": string,
                "channel": {"type": "string", "enum": list(CHANNEL_CODES)},
                "status": {"type": "string", "enum": list(STATUS_CODES)},
                "disposition": {"type": "string", "enum": list(DISPOSITION_CODES),
                                "nullable": True},
                "duplicate_of": {**nullable_string, "description": "Receipt of the original"},
                "section": {"type": "string", "enum": list(SECTION_CODES)},
                "priority": {"type": "string", "enum": list(PRIORITY_CODES)},
                "restricted": boolean,
                "possible_duplicate": boolean,
                "flags": {"type": "array", "items": string},
                "assignee": {**nullable_string, "format": "email"},
                "received_at": date_time,
                "created_at": date_time,
                "updated_at": date_time,
                "first_triaged_at": nullable_date_time,
                "closed_at": nullable_date_time,
                "version": {"type": "integer"},
                "routing": {"type": "object", "properties": {
                    "section": string, "priority": string, "restricted": boolean,
                    "flags": {"type": "array", "items": string},
                    "reasons": {"type": "array",
                                "items": {"$ref": "#/components/schemas/RoutingReason"}}}},
                "notes": {"type": "array", "items": {"type": "object", "properties": {
                    "created_at": date_time, "author": string, "body": string}}},
                "attachments": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "name": string, "type": string,
                    "size": {"type": "integer"}, "detected_type": string, "sha256": string,
                    "scan": {"type": "string", "enum": ["clean", "not_scanned"]},
                    "created_at": date_time}}},
                "events": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEvent"}},
            },
        },
        "StatsTable": {
            "type": "object", "required": ["by", "rows", "total"],
            "properties": {"by": {"type": "array", "items": string},
                           "rows": {"type": "array", "items": stats_row},
                           "total": {"type": "integer", "nullable": True},
                           "suppressed": boolean,
                           "suppress_below": {"type": "integer"}},
        },
        "Transition": {
            "type": "object", "additionalProperties": False, "required": ["to"],
            "properties": {
                "to": {"type": "string", "enum": list(STATUS_CODES)},
                "note": {**nullable_string, "maxLength": 5000,
                         "description": "Required to reopen (supervisors only)."},
                "disposition": {"type": "string", "enum": list(DISPOSITION_CODES),
                                "nullable": True, "description": "Required to close."},
                "duplicate_of": {**nullable_string,
                                 "description": "Receipt of the original; required with the "
                                                "disposition `duplicate`."},
                "version": version,
            },
        },
        "Assignment": {
            "type": "object", "additionalProperties": False,
            "anyOf": [{"required": ["section"]}, {"required": ["assignee"]}],
            "properties": {
                "section": {"type": "string", "enum": list(SECTION_CODES)},
                "assignee": {"oneOf": [{"type": "string", "nullable": True},
                                       {"type": "integer"}],
                             "description": "A staff member's email or id; null unassigns."},
                "version": version,
            },
        },
    }
