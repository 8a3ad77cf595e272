"""Cursor pagination: `limit` (1–100, default 50) and an opaque `cursor` naming the last row seen.

A cursor is base64url JSON of the sort key of the last row returned (for example its time and id); the
next page is every row after it in the list's order, so rows added meanwhile never shift a page. It
is read only as a position: every query still filters by the token's player.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from starlette.requests import Request

from app.api.errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def encode(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, shape: tuple[type, ...]) -> list[Any]:
    """The key in a cursor, checked against the types expected; a 400 for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError):
        key = None
    if not isinstance(key, list) or len(key) != len(shape):
        raise ApiError(
            400, "That cursor is not valid: use next_cursor from a previous page.", code="bad_cursor"
        )
    for value, kind in zip(key, shape, strict=True):
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ApiError(
                400, "That cursor is not valid: use next_cursor from a previous page.", code="bad_cursor"
            )
    return key


def limit(request: Request) -> int:
    text = request.query_params.get("limit")
    if text is None or text == "":
        return DEFAULT_LIMIT
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise ApiError(
            422,
            f"limit must be a whole number from 1 to {MAX_LIMIT}.",
            fields={"limit": f"Use 1 to {MAX_LIMIT}."},
        )
    return int(text)


def cursor(request: Request, shape: tuple[type, ...]) -> list[Any] | None:
    text = request.query_params.get("cursor")
    return decode(text, shape) if text else None


def page(rows: list[Any], size: int, key_of: Any) -> tuple[list[Any], str | None]:
    """Given up to size + 1 rows: the page, and the cursor of its last row when there is more."""
    if len(rows) <= size:
        return rows, None
    shown = rows[:size]
    return shown, encode(key_of(shown[-1]))
