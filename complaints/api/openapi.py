"""The OpenAPI 3 description of /api/v1, built from the intake field definitions so the document
cannot drift from the rules."""

from __future__ import annotations

from typing import Any

from complaints.domain.taxonomy import PUBLIC_STATUSES
from complaints.services.intake_rules import FIELDS, FieldSpec


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
            "/api/v1/complaints": {"post": {
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
            "/healthz": {"get": {
                "summary": "Health check",
                "responses": {"200": {"description": "The database answers"},
                              "503": {"description": "The database does not answer"}},
            }},
        },
        "components": {"schemas": {
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
        }},
    }
