"""SQLModel tables. Money is Decimal in Python and NUMERIC in PostgreSQL; times are aware UTC
(sqlmodel's UTCDateTime: timestamptz on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SCALE = 8
_SQLITE_FACTOR = Decimal(10) ** SCALE


def utcnow() -> datetime:
    return datetime.now(UTC)


class Money(TypeDecorator[Decimal]):
    """NUMERIC(28, 8) on PostgreSQL; on SQLite an integer count of 1e-8 units, so SUM stays exact."""

    impl = sa.Numeric(28, SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(28, SCALE, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = Decimal(value)
        if dialect.name == "sqlite":
            return int((value * _SQLITE_FACTOR).to_integral_value())
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)) / _SQLITE_FACTOR
        return Decimal(value)


class ExactDecimal(TypeDecorator[Decimal]):
    """A high-precision decimal (exchange rates): NUMERIC(38, 18) on PostgreSQL, text on SQLite."""

    impl = sa.Numeric(38, 18)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(48))
        return dialect.type_descriptor(sa.Numeric(38, 18, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return str(Decimal(value)) if dialect.name == "sqlite" else Decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, sa_column_kwargs={"unique": True})
    password_hash: str = Field(max_length=255)
    display_currency: str = Field(default="USD", max_length=8)
    locale: str = Field(default="en_US", max_length=16)
    timezone: str = Field(default="UTC", max_length=64)
    session_version: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class Holding(SQLModel, table=True):
    """A poker site (kind "site") or any other place money is kept (kind "asset")."""

    __tablename__ = "holdings"
    __table_args__ = (
        sa.Index(
            "uq_holdings_live_name",
            "user_id",
            "kind",
            "name_key",
            unique=True,
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        ),
        sa.Index("ix_holdings_user_kind_position", "user_id", "kind", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    kind: str = Field(max_length=8)
    category: str | None = Field(default=None, max_length=16)
    name: str = Field(max_length=100)
    name_key: str = Field(max_length=100)
    currency: str = Field(max_length=8)
    position: int = Field(default=0)
    archived_at: datetime | None = None
    deleted_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    request_key: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})


class BalanceEntry(SQLModel, table=True):
    """The balance of a holding at a moment; the latest one is the current balance."""

    __tablename__ = "balance_entries"
    __table_args__ = (sa.Index("ix_balance_entries_holding_time", "holding_id", "recorded_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    holding_id: int = Field(foreign_key="holdings.id", ondelete="CASCADE")
    recorded_at: datetime
    balance: Decimal = Field(sa_type=Money)
    currency: str = Field(max_length=8)
    note: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    request_key: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})


class Flow(SQLModel, table=True):
    """Money the player put into poker (kind "deposit") or took out of it (kind "withdrawal")."""

    __tablename__ = "flows"
    __table_args__ = (sa.Index("ix_flows_user_kind_time", "user_id", "kind", "occurred_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)
    occurred_at: datetime
    amount: Decimal = Field(sa_type=Money)
    currency: str = Field(max_length=8)
    note: str | None = Field(default=None, max_length=500)
    holding_id: int | None = Field(default=None, foreign_key="holdings.id", ondelete="SET NULL")
    deleted_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    request_key: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})


class ExchangeRate(SQLModel, table=True):
    """Units of a currency per one euro on a day (the ECB's convention)."""

    __tablename__ = "exchange_rates"

    currency: str = Field(primary_key=True, max_length=8)
    day: date = Field(primary_key=True)
    units_per_eur: Decimal = Field(sa_type=ExactDecimal)
    source: str = Field(default="snapshot", max_length=32)


class ToolUse(SQLModel, table=True):
    """How often a signed-in player used each tool (for achievements): one counter row per tool."""

    __tablename__ = "tool_uses"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    tool: str = Field(max_length=40, primary_key=True)
    uses: int = Field(default=0)
    first_used_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime = Field(default_factory=utcnow)
