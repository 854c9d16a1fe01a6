"""The OpenAPI 3 description of /api/v1, built from the intake field definitions so the document
cannot drift from the rules."""

from __future__ import annotations

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
from complaints.services.intake_rules import FIELDS, FieldSpec

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


def _field_schema(spec: FieldSpec) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": spec.json_type}
    if spec.kind == "choices":
        schema["items"] = {"type": "string", "enum": list(spec.choices)}
        schema["uniqueItems"] = True
    elif spec.choices:
        schema["enum"] = list(spec.choices)
    if spec.kind == "month":
        schema["pattern"] = r"^\d{4}-\d{2}$"
    elif spec.kind == "date":
        schema["format"] = "date"
    elif spec.kind == "email":
        schema["format"] = "email"
    elif spec.kind == "day":
        schema.update(minimum=1, maximum=31)
    elif spec.kind == "a_number":
        schema["pattern"] = r"^[Aa]?[\s\-]?(\d[\s\-]?){8,9}$"
    if spec.max_length:
        schema["maxLength"] = spec.max_length
    if spec.description:
        schema["description"] = spec.description
    if not spec.required and spec.kind not in ("choices",):
        schema["nullable"] = True
    return schema


def openapi_document() -> dict[str, Any]:
    public_status = {
        "type": "object",
        "properties": {
            "receipt": {"type": "string", "example": "CR-7K4M-9QX2"},
            "public_status": {"type": "string", "enum": list(PUBLIC_STATUSES)},
            "public_status_text": {"type": "string",
                                   "description": "In the language of Accept-Language."},
            "needs_information": {"type": "boolean"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    }
    errors = {
        "type": "object",
        "required": ["errors"],
        "properties": {"errors": {"type": "object", "additionalProperties": {
            "type": "array", "items": {"type": "string"}}}},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Civil rights complaints API",
            "version": "1.0.0",
            "description": "File civil rights complaints and check their public status. "
                           "Messages follow the Accept-Language header.",
        },
        "paths": {
            "/api/v1/complaints": {"get": _staff_list(), "post": {
                "summary": "File a complaint",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Intake"}}}},
                "responses": {
                    "201": {"description": "Filed", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Filed"}}}},
                    "422": {"description": "Invalid", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Errors"}}}},
                    "413": {"description": "Body too large"},
                    "429": {"description": "Too many requests; see Retry-After"},
                },
            }},
            "/api/v1/complaints/{receipt}/status": {"get": {
                "summary": "Public status of a complaint",
                "parameters": [
                    {"name": "receipt", "in": "path", "required": True,
                     "schema": {"type": "string"}},
                    {"name": "X-Access-Code", "in": "header", "required": True,
                     "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "Found", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/PublicStatus"}}}},
                    "404": {"description": "Unknown receipt or wrong access code"},
                    "429": {"description": "Too many requests; see Retry-After"},
                },
            }},
            **_staff_paths(),
            "/healthz": {"get": {
                "summary": "Health check",
                "responses": {"200": {"description": "The database answers"},
                              "503": {"description": "The database does not answer"}},
            }},
        },
        "components": {"securitySchemes": STAFF_SECURITY_SCHEMES, "schemas": {
            "Intake": {
                "type": "object",
                "additionalProperties": False,
                "required": [f.name for f in FIELDS if f.required],
                "properties": {f.name: _field_schema(f) for f in FIELDS},
            },
            "Filed": {
                "type": "object",
                "properties": {
                    "receipt": {"type": "string"},
                    "access_code": {"type": "string",
                                    "description": "Shown once; only its hash is stored."},
                    "status": {"type": "string", "enum": ["received"]},
                    "language": {"type": "string"},
                    "public_status": {"type": "string", "enum": list(PUBLIC_STATUSES)},
                    "public_status_text": {"type": "string"},
                    "needs_information": {"type": "boolean"},
                },
            },
            "PublicStatus": public_status,
            "Errors": errors,
            **_staff_schemas(),
        }},
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
         "description": LIST_FILTER_DESCRIPTIONS.get(name, "") + " Empty means no filter.",
         "schema": {"type": "string", "enum": list(choices)}}
        for name, choices in LIST_FILTER_CHOICES.items()
    ]
    parameters += [
        {"name": "q", "in": "query", "required": False,
         "description": "Full-text search of narratives: every word must appear.",
         "schema": {"type": "string"}},
        {"name": "limit", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
        {"name": "after", "in": "query", "required": False,
         "description": "The `next` of the previous page.", "schema": {"type": "string"}},
    ]
    return {
        "summary": "List complaints (staff)",
        "description": "Newest first (by date received), in the account's scope "
                       "(investigators: their section). Keyset pagination: pass `next` as "
                       "`after`. Unknown or repeated parameters and values not listed are "
                       "refused with 422. A restricted complaint's category is null unless "
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
    nullable_string = {"type": "string", "nullable": True}
    date_time = {"type": "string", "format": "date-time"}
    nullable_date_time = {**date_time, "nullable": True}
    version = {"type": "integer", "nullable": True,
               "description": "The record's `version` as read; when given, the change is "
                              "refused with 409 if someone changed the complaint since."}
    intake = {f.name: _field_schema(f) for f in FIELDS}
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
                "events": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEvent"}},
            },
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
            "properties": {
                "section": {"type": "string", "enum": list(SECTION_CODES)},
                "assignee": {"oneOf": [{"type": "string", "nullable": True},
                                       {"type": "integer"}],
                             "description": "A staff member's email or id; null unassigns."},
                "version": version,
            },
        },
    }
