"""The JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of what the API sends and accepts.

Each is named here once and referenced by name from the operations (registry.Operation); the OpenAPI
document lists them under components/schemas, and the contract tests validate every response with them.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Schema], *, optional: tuple[str, ...] = (), description: str = "") -> Schema:
    schema: Schema = {
        "type": "object",
        "required": [name for name in properties if name not in optional],
        "properties": properties,
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "examples": ["1250.50"]}
CODE = {"type": "string", "pattern": r"^[A-Z]{3,4}$", "examples": ["USD"]}
INSTANT = {"type": "string", "format": "date-time", "examples": ["2026-12-01T18:30:00Z"]}
ID = {"type": "integer", "minimum": 1}
TEXT = {"type": "string"}
MONEY = ref("Money")

COMPONENTS: dict[str, Schema] = {
    "Money": obj(
        {"amount": DECIMAL, "currency": CODE},
        description="An amount as a decimal string (never a float) with its currency code.",
    ),
    "Error": obj(
        {
            "error": obj(
                {
                    "code": {"type": "string", "examples": ["validation_error"]},
                    "message": TEXT,
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
                optional=("fields",),
            )
        },
        description="Every error: a machine-readable code, a message for people, and per-field messages.",
    ),
    "Token": obj(
        {
            "name": TEXT,
            "scope": {"enum": ["read", "write"]},
            "created_at": INSTANT,
            "last_used_at": nullable(INSTANT),
            "display_currency": CODE,
            "timezone": TEXT,
        },
        description="The token making the request, and its player's display settings.",
    ),
    "Summary": obj(
        {
            "currency": CODE,
            "rates_date": {"type": "string", "format": "date"},
            "bankroll": MONEY,
            "sites": MONEY,
            "assets": MONEY,
            "deposits": MONEY,
            "withdrawals": MONEY,
            "bonuses": MONEY,
            "profit": MONEY,
            "poker_profit": MONEY,
            "breakdown": obj(
                {"poker": MONEY, "assets": MONEY, "exchange": MONEY, "bonuses": MONEY, "fees": MONEY}
            ),
        },
        description="The dashboard's totals, in the player's display currency.",
    ),
    "Holding": obj(
        {
            "id": ID,
            "kind": {"enum": ["site", "asset"]},
            "name": TEXT,
            "currency": CODE,
            "category": nullable({"enum": ["bank", "ewallet", "crypto", "cash", "other"]}),
            "position": {"type": "integer"},
            "archived_at": nullable(INSTANT),
            "created_at": INSTANT,
            "balance": nullable(MONEY),
            "value": nullable(MONEY),
            "updated_at": nullable(INSTANT),
        },
        description="A poker site or another asset; balance in its own currency, value in the display one.",
    ),
    "BalanceEntry": obj(
        {
            "id": ID,
            "holding_id": ID,
            "recorded_at": INSTANT,
            "balance": MONEY,
            "note": nullable(TEXT),
            "created_at": INSTANT,
        }
    ),
    "Flow": obj(
        {
            "id": ID,
            "kind": {"enum": ["deposit", "withdrawal"]},
            "occurred_at": INSTANT,
            "amount": MONEY,
            "holding_id": nullable(ID),
            "note": nullable(TEXT),
            "created_at": INSTANT,
        }
    ),
    "PokerSession": obj(
        {
            "id": ID,
            "game": TEXT,
            "format": TEXT,
            "live": {"type": "boolean"},
            "holding_id": nullable(ID),
            "venue": nullable(TEXT),
            "started_at": INSTANT,
            "ended_at": nullable(INSTANT),
            "break_seconds": {"type": "integer"},
            "small_blind": nullable(MONEY),
            "big_blind": nullable(MONEY),
            "buy_in": MONEY,
            "fee": MONEY,
            "re_entries": {"type": "integer"},
            "add_ons": MONEY,
            "cash_out": nullable(MONEY),
            "result": nullable(MONEY),
            "expenses": MONEY,
            "hands": nullable({"type": "integer"}),
            "tables": {"type": "integer"},
            "location": nullable(TEXT),
            "tags": {"type": "array", "items": TEXT},
            "notes": nullable(TEXT),
        },
        description="A poker session; ended_at is null while its timer runs. result = cash_out − cost.",
    ),
    "BalanceInput": {
        "type": "object",
        "required": ["balance"],
        "properties": {
            "balance": {**DECIMAL, "description": "The new balance, in the holding's currency."},
            "recorded_at": {
                "type": "string",
                "description": "ISO 8601; with an offset or Z, or else in your time zone. Default: now.",
                "examples": ["2026-12-01T18:30:00+01:00"],
            },
            "note": {"type": "string", "maxLength": 500},
        },
    },
    "FlowInput": {
        "type": "object",
        "required": ["amount", "currency"],
        "properties": {
            "amount": {**DECIMAL, "description": "More than zero, in `currency`."},
            "currency": CODE,
            "occurred_at": {
                "type": "string",
                "description": "ISO 8601; with an offset or Z, or else in your time zone. Default: now.",
                "examples": ["2026-12-01T18:30:00Z"],
            },
            "holding_id": {**nullable(ID), "description": "One of your sites or assets."},
            "note": {"type": "string", "maxLength": 500},
            "new_balance": {**DECIMAL, "description": "The holding's balance after this (needs holding_id)."},
        },
    },
}


def _page_of(name: str) -> Schema:
    return obj(
        {"data": {"type": "array", "items": ref(name)}, "next_cursor": nullable(TEXT)},
        description=f"One page of {name} rows; pass next_cursor as ?cursor= for the next (null at the end).",
    )


for _name in ("Holding", "BalanceEntry", "Flow", "PokerSession"):
    COMPONENTS[f"{_name}Page"] = _page_of(_name)
