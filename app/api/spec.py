"""The OpenAPI 3.1 document, built from the operations ``core.operation`` registered.

Pydantic v2 emits JSON Schema 2020-12, which is what OpenAPI 3.1 uses, so the models
the routes validate with go into ``components.schemas`` unchanged.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.api.core import OPERATIONS, Operation
from app.api.schemas import MAX_ID, ErrorBody

REF = "#/components/schemas/{model}"
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
ERROR_TEXT = {
    400: "Malformed request (e.g. a body that is not JSON).",
    401: "No token, or an unknown, revoked or expired one.",
    403: "The token or its user may not do this.",
    404: "No such object (objects of other associations read as not found).",
    409: "The object is not in a state that allows this.",
    422: "Input that fails validation; `fields` names each problem.",
    429: "Rate limited; retry after the number of seconds in Retry-After.",
}


def openapi_path(rule: str) -> tuple[str, dict[str, dict]]:
    """``/records/<int:record_id>`` -> ``/records/{record_id}`` and its parameter schemas."""
    params: dict[str, dict] = {}

    def swap(match: re.Match) -> str:
        converter, name = match.group(1) or "string", match.group(2)
        params[name] = (
            {"type": "integer", "minimum": 0, "maximum": MAX_ID}
            if converter == "int"
            else {"type": "string", "pattern": "^[^/]+$"}
        )
        return "{" + name + "}"

    return "/api/v1" + CONVERTER.sub(swap, rule), params


def _error_statuses(op: Operation) -> list[int]:
    statuses = {429, *op.errors}
    if not op.is_public:
        statuses |= {401, 403, 404}
    if op.query is not None or op.body is not None:
        statuses.add(422)
    if op.body is not None:
        statuses.add(400)
    if op.is_write and not op.is_public:
        statuses |= {409, 422}
    return sorted(statuses)


def _query_parameters(model: type[BaseModel], schema: dict) -> list[dict]:
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(op: Operation, schemas: dict, query_schemas: dict) -> dict:
    path, params = openapi_path(op.rule)
    parameters = [{"name": n, "in": "path", "required": True, "schema": s} for n, s in params.items()]
    if op.query is not None:
        parameters += _query_parameters(op.query, query_schemas[op.query])
    if not op.is_public:
        parameters.append(
            {
                "name": "X-Association-Id",
                "in": "header",
                "required": False,
                "description": "For personal tokens of people in several associations.",
                "schema": {"type": "string", "pattern": "^[0-9]{1,9}$"},
            }
        )
    if op.is_idempotent:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Repeat the POST with the same key to get the same result, not a duplicate.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 200},
            }
        )
    if op.response is None:
        ok: dict = {"description": "Done."}
    elif op.media_type == "application/json":
        ok = {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": REF.format(model=op.response.__name__)}}},
        }
    else:
        ok = {
            "description": "OK",
            "content": {op.media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
    responses = {str(op.status): ok}
    for status in _error_statuses(op):
        responses[str(status)] = {
            "description": ERROR_TEXT[status],
            "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorBody")}}},
        }
    document = {
        "operationId": op.endpoint.removeprefix("api."),
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
    }
    if op.description:
        document["description"] = op.description
    if op.is_public:
        document["security"] = []
    if op.body is not None:
        document["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF.format(model=op.body.__name__)}}},
        }
    return path, document


@cache
def document() -> dict:
    """The whole OpenAPI document (built once per process; operations never change at run time)."""
    models: list[tuple[type[BaseModel], str]] = [(ErrorBody, "serialization")]
    for op in OPERATIONS:
        if op.body is not None:
            models.append((op.body, "validation"))
        if op.response is not None and op.media_type == "application/json":
            models.append((op.response, "serialization"))
    _keys, defs = models_json_schema(list(dict.fromkeys(models)), ref_template=REF)
    query_schemas = {op.query: op.query.model_json_schema() for op in OPERATIONS if op.query is not None}
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        path, entry = _operation(op, defs, query_schemas)
        paths.setdefault(path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Stillpoint API",
            "version": "1.0.0",
            "description": (
                "Everything a person can do in Stillpoint's pages, with the same rules. "
                "Authenticate with 'Authorization: Bearer <token>' (tokens are made in the account page). "
                "Lists return {items, next_cursor}; pass next_cursor back as `cursor` for the next page."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": defs.get("$defs", {}),
        },
        "paths": paths,
    }
