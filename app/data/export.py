"""Export everything the player owns: one JSON document (the versioned format import reads back) or a
zip with one CSV per table. Both stream: rows are read in batches and sent as they come.

Format "stakeeasy-export", version 1 (documented in the README):
{"format": "stakeeasy-export", "version": 1, "exported_at": ISO time,
 "account": {"email", "display_currency", "locale", "timezone"},
 "holdings": [...], "balance_entries": [...], "flows": [...], "transfers": [...], "tool_uses": [...],
 "goals": [...], "achievements": [...], "poker_sessions": [...]}
Each table is a list of objects with the columns of TABLES; ids are references inside the file only
(import gives every record a new id). Amounts are decimal strings, times ISO 8601 in UTC.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from app import money
from app.models import (
    Achievement,
    BalanceEntry,
    Flow,
    Goal,
    Holding,
    Money,
    PokerSession,
    ToolUse,
    Transfer,
    User,
    utcnow,
)

FORMAT = "stakeeasy-export"
VERSION = 1
BATCH = 500
ACCOUNT = ("email", "display_currency", "locale", "timezone")
# table -> [(column, type)]; types: ref (an id inside the file), text, code (currency), amount, time, int
TABLES: dict[str, list[tuple[str, str]]] = {
    "holdings": [
        ("id", "ref"),
        ("kind", "text"),
        ("name", "text"),
        ("currency", "code"),
        ("category", "text"),
        ("position", "int"),
        ("archived_at", "time"),
        ("created_at", "time"),
    ],
    "balance_entries": [
        ("id", "ref"),
        ("holding_id", "ref"),
        ("recorded_at", "time"),
        ("balance", "amount"),
        ("currency", "code"),
        ("note", "text"),
    ],
    "flows": [
        ("id", "ref"),
        ("kind", "text"),
        ("occurred_at", "time"),
        ("amount", "amount"),
        ("currency", "code"),
        ("holding_id", "ref"),
        ("note", "text"),
    ],
    "transfers": [
        ("id", "ref"),
        ("occurred_at", "time"),
        ("from_holding_id", "ref"),
        ("to_holding_id", "ref"),
        ("amount", "amount"),
        ("from_currency", "code"),
        ("fee", "amount"),
        ("received", "amount"),
        ("to_currency", "code"),
        ("from_entry_id", "ref"),
        ("to_entry_id", "ref"),
        ("note", "text"),
    ],
    "tool_uses": [("tool", "text"), ("uses", "int"), ("first_used_at", "time"), ("last_used_at", "time")],
}
# Other features' tables, exported column by column as their models define them (without ids).
EXTRA_MODELS: dict[str, type[SQLModel]] = {
    "goals": Goal,
    "achievements": Achievement,
    "poker_sessions": PokerSession,
}
_SKIPPED = {"id", "user_id", "request_key", "deleted_at"}


def _kind(column: sa.Column[Any]) -> str:
    """The export type of a model column."""
    kind = column.type
    if column.name == "holding_id":
        return "ref"
    if column.name == "currency":
        return "code"
    if isinstance(kind, Money):
        return "amount"
    if isinstance(kind, sa.Boolean):
        return "bool"
    if isinstance(kind, sa.Integer):
        return "int"
    if isinstance(kind, sa.DateTime | UTCDateTime):
        return "time"
    if isinstance(kind, sa.Date):
        return "date"
    return "text"


for _table, _model in EXTRA_MODELS.items():
    _columns = _model.__table__.columns  # type: ignore[attr-defined]
    TABLES[_table] = [(c.name, _kind(c)) for c in _columns if c.name not in _SKIPPED]
# The currency column that goes with each amount column.
AMOUNT_CURRENCY = {
    "balance": "currency",
    "amount": "currency",
    "fee": "from_currency",
    "received": "to_currency",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

H = Holding.__table__.c  # type: ignore[attr-defined]
E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
F = Flow.__table__.c  # type: ignore[attr-defined]
T = Transfer.__table__.c  # type: ignore[attr-defined]
U = ToolUse.__table__.c  # type: ignore[attr-defined]


def _query(table: str, user_id: int) -> sa.Select[Any]:
    """The player's live rows of a table, oldest id first, columns in TABLES order."""
    live_holdings = sa.select(H.id).where(H.user_id == user_id, H.deleted_at.is_(None))
    if table == "holdings":
        return sa.select(*(H[c] for c, _ in TABLES[table])).where(H.id.in_(live_holdings)).order_by(H.id)
    if table == "balance_entries":
        query = sa.select(*(E[c] for c, _ in TABLES[table])).where(E.holding_id.in_(live_holdings))
        return query.order_by(E.id)
    if table == "flows":
        query = sa.select(*(F[c] for c, _ in TABLES[table])).where(
            F.user_id == user_id, F.deleted_at.is_(None)
        )
        return query.order_by(F.id)
    if table == "transfers":
        query = sa.select(*(T[c] for c, _ in TABLES[table])).where(
            T.user_id == user_id, T.deleted_at.is_(None)
        )
        return query.order_by(T.id)
    if table == "tool_uses":
        return sa.select(*(U[c] for c, _ in TABLES[table])).where(U.user_id == user_id).order_by(U.tool)
    columns = EXTRA_MODELS[table].__table__.c  # type: ignore[attr-defined]
    query = sa.select(*(columns[c] for c, _ in TABLES[table])).where(columns.user_id == user_id)
    if "deleted_at" in columns:
        query = query.where(columns.deleted_at.is_(None))
    if "holding_id" in columns:  # a row tied to a deleted holding keeps no reference to it
        query = query.where(sa.or_(columns.holding_id.is_(None), columns.holding_id.in_(live_holdings)))
    return query.order_by(*EXTRA_MODELS[table].__table__.primary_key.columns)  # type: ignore[attr-defined]


def amount_text(value: Decimal, code: str | None) -> str:
    """An amount as plain decimal text: with the currency's decimals when that is exact."""
    if code is not None and money.is_currency(code):
        shown = money.quantize(value, code)
        if shown == value:
            return f"{shown:f}"
    text = f"{value.normalize():f}"
    return text if text != "-0" else "0"


def _record(table: str, row: sa.Row[Any]) -> dict[str, Any]:
    """One row as the JSON object of the format (amounts as text, times in ISO 8601)."""
    values = dict(zip([c for c, _ in TABLES[table]], row, strict=True))
    for column, kind in TABLES[table]:
        value = values[column]
        if value is None:
            continue
        if kind == "amount":
            values[column] = amount_text(Decimal(value), values.get(AMOUNT_CURRENCY.get(column, "currency")))
        elif kind in ("time", "date"):
            values[column] = value.isoformat()
    return values


def account(user: User) -> dict[str, str]:
    return {name: getattr(user, name) for name in ACCOUNT}


async def records(session: AsyncSession, table: str, user_id: int) -> AsyncIterator[list[dict[str, Any]]]:
    """The player's records of one table, in batches (read with a server-side cursor where there is one)."""
    result = await session.stream(_query(table, user_id))
    async for batch in result.partitions(BATCH):
        yield [_record(table, row) for row in batch]


async def document(session: AsyncSession, user: User) -> dict[str, Any]:
    """The whole export in memory (for tests and small accounts; the download streams)."""
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "account": account(user)}
    for table in TABLES:
        data[table] = [record async for batch in records(session, table, user.id) for record in batch]  # type: ignore[arg-type]
    return data


def filename(user: User, extension: str) -> str:
    return f"stakeeasy-export-{utcnow().date().isoformat()}.{extension}"


async def json_chunks(sessionmaker: async_sessionmaker[AsyncSession], user: User) -> AsyncIterator[bytes]:
    """The JSON document, a batch of records at a time."""
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utcnow().isoformat(),
        "account": account(user),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1].encode()  # the object stays open
    async with sessionmaker() as session:
        for table in TABLES:
            yield f', "{table}": ['.encode()
            first = True
            async for batch in records(session, table, user.id):  # type: ignore[arg-type]
                parts = [json.dumps(record, ensure_ascii=False) for record in batch]
                yield (("" if first else ",") + ",".join(parts)).encode()
                first = False
            yield b"]"
    yield b"}\n"


# ---- CSV ----------------------------------------------------------------------------------------


def cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([[cell(value) for value in row] for row in rows])
    return out.getvalue()


class _Sink(io.RawIOBase):
    """A write-only, unseekable stream collecting what zipfile writes until it is drained."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


README = """StakeEasy export ({day})

One CSV file per table, UTF-8, comma separated, first line the column names. Amounts are decimal
numbers with a point, in the currency of the row; times are ISO 8601 in UTC. The ids are references
between these files (holding_id points at holdings.csv). Text that starts like a spreadsheet formula
(=, +, -, @) is prefixed with an apostrophe. For a complete backup that StakeEasy can import again,
use the JSON export.
"""


async def zip_chunks(sessionmaker: async_sessionmaker[AsyncSession], user: User) -> AsyncIterator[bytes]:
    """A zip with account.csv and one CSV per table, written and sent a batch at a time."""
    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED)
    archive.writestr("README.txt", README.format(day=utcnow().date().isoformat()))
    with archive.open("account.csv", "w") as member:
        member.write(
            (
                "\ufeff" + csv_text([["setting", "value"], *(list(item) for item in account(user).items())])
            ).encode()
        )
    yield sink.drain()
    async with sessionmaker() as session:
        for table, columns in TABLES.items():
            with archive.open(f"{table}.csv", "w", force_zip64=True) as member:
                member.write(("\ufeff" + csv_text([[name for name, _ in columns]])).encode())
                async for batch in records(session, table, user.id):  # type: ignore[arg-type]
                    rows = [[record[name] for name, _ in columns] for record in batch]
                    member.write(csv_text(rows).encode())
                    yield sink.drain()
            yield sink.drain()
    archive.close()
    yield sink.drain()


def parse_time(text: str) -> datetime:
    """An exported time back (aware UTC); ValueError when it is not one."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("a time without its zone")
    return value


Chunks = Callable[[async_sessionmaker[AsyncSession], User], AsyncIterator[bytes]]
