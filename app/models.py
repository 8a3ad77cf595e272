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
    email_confirmed_at: datetime | None = None
    # Two-factor (TOTP): the base32 secret, set while setting up; enabled once a code was checked.
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_enabled_at: datetime | None = None
    totp_last_step: int | None = None  # the last accepted time step, so a code cannot be replayed
    # Granted and revoked only with `stakeeasy admin grant|revoke EMAIL`, never through the web.
    is_admin: bool = Field(default=False)
    disabled_at: datetime | None = None  # set by an admin: no login, no session, no API token works


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


class BankrollDay(SQLModel, table=True):
    """A pre-aggregated chart point: at the end of `day` (the player's time zone), the sum of the latest
    balances of the player's live holdings of one kind whose latest entry is in one currency.

    Written only for days on which some balance was recorded, each such day as a full snapshot (every
    kind and currency then held, zeros included), so the value on any day is the latest snapshot at or
    before it. Maintained by app.bankroll.daily on every change to entries, holdings or the time zone.
    """

    __tablename__ = "bankroll_days"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    day: date = Field(primary_key=True)
    kind: str = Field(max_length=8, primary_key=True)
    currency: str = Field(max_length=8, primary_key=True)
    total: Decimal = Field(sa_type=Money)


class BankrollMark(SQLModel, table=True):
    """The player's history valued once (app.bankroll.marks): at the end of `day` (the player's time
    zone), the running sums since the start, in the player's currency, each amount at the rate of its own
    day — deposits, withdrawals, bonuses, transfer fees, money moved in (−) and out (+) of each side
    (site: poker sites and amounts without a holding; asset: the other holdings), and each side's
    balance changes. Exact decimal text, so the sums never round. Written for days with anything in
    them, up to a day whose rates are final; BankrollMarkState says up to which day they hold.
    """

    __tablename__ = "bankroll_marks"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    day: date = Field(primary_key=True)
    deposits: str = Field(sa_type=sa.Text)
    withdrawals: str = Field(sa_type=sa.Text)
    bonuses: str = Field(sa_type=sa.Text)
    fees: str = Field(sa_type=sa.Text)
    moved_site: str = Field(sa_type=sa.Text)
    moved_asset: str = Field(sa_type=sa.Text)
    changes_site: str = Field(sa_type=sa.Text)
    changes_asset: str = Field(sa_type=sa.Text)


class BankrollMarkState(SQLModel, table=True):
    """What the player's bankroll_marks were valued with (display currency, time zone, a fingerprint
    of the rates), and the last day they hold for. Every change to the player's data lowers
    `valid_through` and bumps `version` in the writer's transaction."""

    __tablename__ = "bankroll_mark_states"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    currency: str = Field(max_length=8)
    timezone: str = Field(max_length=64)
    fingerprint: str = Field(max_length=64)
    codes: str = Field(default="", sa_type=sa.Text)  # every currency the marks valued, comma-separated
    rated_through: date  # the fingerprint is of the rates up to this day (the last day marks were made for)
    valid_through: date
    version: int = Field(default=0)


class Revision(SQLModel, table=True):
    """A counter bumped in the same transaction as a change that has no per-player version: "rates"
    counts every save of new exchange rates (part of the aggregate cache's keys)."""

    __tablename__ = "revisions"

    name: str = Field(primary_key=True, max_length=32)
    value: int = Field(default=0)


class EmailMessage(SQLModel, table=True):
    """Every e-mail the app sends: the development outbox, and in production the delivery record."""

    __tablename__ = "email_messages"
    __table_args__ = (sa.Index("ix_email_messages_to_address_created_at", "to_address", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="CASCADE", index=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    text_body: str = Field(sa_type=sa.Text)
    html_body: str = Field(sa_type=sa.Text)
    status: str = Field(default="pending", max_length=16)  # pending | sent | failed | outbox
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    provider_id: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


class AuditLog(SQLModel, table=True):
    """Who did what, when: every admin action (and every grant or revoke of the admin role).

    `actor_email` keeps the actor's address as it was, so the record outlives the actor's account;
    `actor_id` is None for the command line."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    actor_email: str = Field(max_length=254)
    action: str = Field(max_length=32)
    target_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL", index=True)
    detail: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class JobRun(SQLModel, table=True):
    """One run of a scheduled job ("rates"): when, how it was started, whether every part worked."""

    __tablename__ = "job_runs"
    __table_args__ = (sa.Index("ix_job_runs_job_started_at", "job", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=32)
    trigger: str = Field(max_length=16)  # schedule | command | admin
    started_at: datetime
    finished_at: datetime
    ok: bool
    detail: str = Field(default="", sa_type=sa.Text)


class UsedToken(SQLModel, table=True):
    """A signed e-mail link that has been used, so it cannot be used twice."""

    __tablename__ = "used_tokens"

    jti: str = Field(primary_key=True, max_length=64)
    user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=32)
    used_at: datetime = Field(default_factory=utcnow)


class RecoveryCode(SQLModel, table=True):
    """A single-use two-factor recovery code, stored as a hash."""

    __tablename__ = "recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=128)
    used_at: datetime | None = None


class OAuthAccount(SQLModel, table=True):
    """A Google or Facebook identity linked to a player."""

    __tablename__ = "oauth_accounts"
    __table_args__ = (sa.UniqueConstraint("provider", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    provider: str = Field(max_length=32)
    subject: str = Field(max_length=255)
    email: str | None = Field(default=None, max_length=254)
    created_at: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    """A personal access token for the JSON API: only the SHA-256 of the secret is stored (the secret
    is shown once); `prefix` is its first characters, so the player can tell tokens apart."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=100)
    scope: str = Field(max_length=8)  # read | write (write includes read)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class Transfer(SQLModel, table=True):
    """Money moved between two of the player's own holdings: neither a deposit nor a withdrawal.

    `amount` leaves the source (in its currency, the fee included); `received` arrives (in the
    destination's currency). Recording one adds a balance entry to each holding (from_entry_id,
    to_entry_id); profit moves only by what was lost on the way (the fee, or an exchange spread).
    """

    __tablename__ = "transfers"
    __table_args__ = (sa.Index("ix_transfers_user_id_occurred_at", "user_id", "occurred_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    occurred_at: datetime
    from_holding_id: int | None = Field(default=None, foreign_key="holdings.id", ondelete="SET NULL")
    to_holding_id: int | None = Field(default=None, foreign_key="holdings.id", ondelete="SET NULL")
    amount: Decimal = Field(sa_type=Money)
    from_currency: str = Field(max_length=8)
    fee: Decimal = Field(default=Decimal(0), sa_type=Money)
    received: Decimal = Field(sa_type=Money)
    to_currency: str = Field(max_length=8)
    from_entry_id: int | None = Field(default=None, foreign_key="balance_entries.id", ondelete="SET NULL")
    to_entry_id: int | None = Field(default=None, foreign_key="balance_entries.id", ondelete="SET NULL")
    note: str | None = Field(default=None, max_length=500)
    deleted_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    request_key: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})


class DataReset(SQLModel, table=True):
    """A "reset my bankroll data": every live holding, flow and transfer soft-deleted at `created_at`
    (that exact instant marks them), undoable until `created_at` + 24 h, then purged."""

    __tablename__ = "data_resets"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    undone_at: datetime | None = None
    purged_at: datetime | None = None
    request_key: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})


class DataImport(SQLModel, table=True):
    """An uploaded file waiting for the player's confirmation after its preview (then applied once)."""

    __tablename__ = "data_imports"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    format: str = Field(max_length=8)  # json | csv
    filename: str = Field(default="", max_length=200)
    payload: str = Field(sa_type=sa.Text)
    mapping: str | None = Field(default=None, max_length=2000)  # CSV column mapping, as JSON
    created_at: datetime = Field(default_factory=utcnow)
    applied_at: datetime | None = None


class Goal(SQLModel, table=True):
    """A player's goal: reach a bankroll or a profit (money, in `currency`), or update balances on
    `target` distinct days (volume) between `start_date` and `target_date`. Missed is derived (past the
    date, not completed), so extending the date revives it."""

    __tablename__ = "goals"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=8)  # bankroll | profit | volume
    target: Decimal = Field(sa_type=Money)
    currency: str = Field(max_length=8)
    start_date: date
    target_date: date
    completed_at: datetime | None = None
    completed_by: str | None = Field(default=None, max_length=8)  # auto | hand
    archived_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    request_key: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})


class Achievement(SQLModel, table=True):
    """An unlocked achievement; `notified` turns true once its toast has been shown."""

    __tablename__ = "achievements"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    key: str = Field(max_length=32, primary_key=True)
    unlocked_at: datetime = Field(default_factory=utcnow)
    notified: bool = Field(default=False)


class UserActionDay(SQLModel, table=True):
    """A day (in the player's time zone when the action was made) with at least one bankroll action:
    the streaks' storage, written idempotently by app.achievements.days on every write path."""

    __tablename__ = "user_action_days"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    day: date = Field(primary_key=True)


class DataExport(SQLModel, table=True):
    """One download of the player's data (json, zip or csv): the "first export" achievement's record."""

    __tablename__ = "data_exports"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    format: str = Field(max_length=8)
    created_at: datetime = Field(default_factory=utcnow)


class Article(SQLModel, table=True):
    """An article loaded from articles/*.md; `tags` is ",tag1,tag2," so one LIKE finds a tag."""

    __tablename__ = "articles"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    title: str = Field(max_length=200)
    summary: str = Field(max_length=500)
    tags: str = Field(default=",", max_length=300)
    body_text: str = Field(sa_type=sa.Text)
    body_html: str = Field(sa_type=sa.Text)
    reading_minutes: int = Field(default=1)
    published: date
    content_hash: str = Field(max_length=64)
    updated_at: datetime = Field(default_factory=utcnow)


class ArticleRead(SQLModel, table=True):
    __tablename__ = "article_reads"

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    article_id: int = Field(foreign_key="articles.id", ondelete="CASCADE", primary_key=True)
    read_at: datetime = Field(default_factory=utcnow)


class PokerSession(SQLModel, table=True):
    """A poker session the player played (or is playing: ended_at None means its timer is running).

    Cash games have blinds and a total buy-in; tournaments a buy-in + fee per entry, re-entries and
    add-ons. The result is cash_out − cost; expenses (travel, food, tips) are kept apart from it.
    """

    __tablename__ = "poker_sessions"
    __table_args__ = (sa.Index("ix_poker_sessions_user_started", "user_id", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    game: str = Field(max_length=8)  # NLH | PLO | PLO5 | Limit | mixed
    format: str = Field(max_length=8)  # cash | MTT | SNG | Spin
    live: bool = Field(default=False)
    holding_id: int | None = Field(default=None, foreign_key="holdings.id", ondelete="SET NULL")
    venue: str | None = Field(default=None, max_length=100)
    currency: str = Field(max_length=8)
    small_blind: Decimal | None = Field(default=None, sa_type=Money)
    big_blind: Decimal | None = Field(default=None, sa_type=Money)
    buy_in: Decimal = Field(default=Decimal(0), sa_type=Money)
    fee: Decimal = Field(default=Decimal(0), sa_type=Money)
    re_entries: int = Field(default=0)
    add_ons: Decimal = Field(default=Decimal(0), sa_type=Money)
    cash_out: Decimal | None = Field(default=None, sa_type=Money)
    expenses: Decimal = Field(default=Decimal(0), sa_type=Money)
    started_at: datetime
    ended_at: datetime | None = None
    paused_at: datetime | None = None
    break_seconds: int = Field(default=0)
    hands: int | None = None
    tables: int = Field(default=1)
    location: str | None = Field(default=None, max_length=100)
    tags: str | None = Field(default=None, max_length=300)  # ",tag,other," so a tag is one LIKE
    notes: str | None = Field(default=None, max_length=2000)
    deleted_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    request_key: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})
