"""The OpenAPI 3.1 document, built from the operations' own declarations (registry.Operation)."""

from __future__ import annotations

from typing import Any

from app.api import schemas
from app.api.errors import MESSAGES
from app.api.registry import Operation

BASE = "/api/v1"
ALWAYS = (401, 403, 429)


def _error(status: int) -> dict[str, Any]:
    return {
        "description": MESSAGES.get(status, "Conflict."),
        "content": {"application/json": {"schema": schemas.ref("Error")}},
    }


def _operation(op: Operation) -> dict[str, Any]:
    success: dict[str, Any] = {"schema": schemas.ref(op.response)}
    if op.example is not None:
        success["example"] = op.example
    item: dict[str, Any] = {
        "operationId": op.name,
        "summary": op.summary,
        "tags": [op.tag],
        "security": [{"bearerToken": []}],
        "x-scope": op.scope,
        "responses": {str(op.status): {"description": op.summary, "content": {"application/json": success}}},
    }
    if op.description or op.handler.__doc__:
        item["description"] = op.description or op.handler.__doc__
    if op.params:
        item["parameters"] = [
            {
                "name": p.name,
                "in": p.where,
                "required": p.required,
                "description": p.description,
                "schema": p.schema,
            }
            for p in op.params
        ]
    if op.body:
        body: dict[str, Any] = {"schema": schemas.ref(op.body)}
        if op.example_body is not None:
            body["example"] = op.example_body
        item["requestBody"] = {"required": True, "content": {"application/json": body}}
        item["responses"]["200"] = {
            "description": "Sent before with the same Idempotency-Key: the first result.",
            "content": {"application/json": {"schema": schemas.ref(op.response)}},
        }
    for status in sorted(
        {*ALWAYS, *op.errors, *((400, 422) if any(p.name == "cursor" for p in op.params) else ())}
    ):
        item["responses"][str(status)] = _error(status)
    return item


def document(operations: list[Operation]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.doc_path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "StakeEasy API",
            "version": "1",
            "description": "Your bankroll, sites, assets, histories, deposits, withdrawals and poker "
            "sessions. "
            "Create a personal access token in Settings → API tokens and send it as "
            "`Authorization: Bearer se_…`. Amounts are decimal strings with a currency code; times are "
            "ISO 8601. Lists are paged with `limit` and an opaque `cursor` (`next_cursor`).",
        },
        "servers": [{"url": BASE}],
        "paths": paths,
        "components": {
            "schemas": schemas.COMPONENTS,
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal access token (se_…); read tokens get 403 on changes.",
                }
            },
        },
    }
