"""add export records and streak days

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 17:15:00

user_action_days is backfilled from the creation instants of the bankroll actions already stored
(balance entries, flows, transfers and poker sessions, soft-deleted ones too: the action happened),
each converted to the player's current time zone, as the streaks counted them before.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_action_days",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_action_days_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_user_action_days")),
    )
    op.create_table(
        "data_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_data_exports_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_exports")),
    )
    with op.batch_alter_table("data_exports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_exports_user_id"), ["user_id"], unique=False)
    _backfill()


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _backfill() -> None:
    """Every player's action days, one player at a time (a few thousand instants at most each)."""
    bind = op.get_bind()
    at = sqlmodel.sql.sqltypes.UTCDateTime()
    users = sa.table("users", sa.column("id", sa.Integer()), sa.column("timezone", sa.String()))
    holdings = sa.table("holdings", sa.column("id", sa.Integer()), sa.column("user_id", sa.Integer()))
    entries = sa.table("balance_entries", sa.column("holding_id", sa.Integer()), sa.column("created_at", at))
    days = sa.table("user_action_days", sa.column("user_id", sa.Integer()), sa.column("day", sa.Date()))

    def own(name: str) -> sa.TableClause:
        return sa.table(name, sa.column("user_id", sa.Integer()), sa.column("created_at", at))

    flows, transfers, sessions = own("flows"), own("transfers"), own("poker_sessions")
    for user_id, timezone in bind.execute(sa.select(users.c.id, users.c.timezone)).all():
        query = sa.union_all(
            sa.select(entries.c.created_at.label("at"))
            .join(holdings, holdings.c.id == entries.c.holding_id)
            .where(holdings.c.user_id == user_id),
            *(sa.select(t.c.created_at).where(t.c.user_id == user_id) for t in (flows, transfers, sessions)),
        )
        tz = _zone(timezone)
        found = set()
        for (moment,) in bind.execute(query):
            if isinstance(moment, str):  # a text column read without its type (should not happen)
                moment = datetime.fromisoformat(moment)
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            found.add(moment.astimezone(tz).date())
        if found:
            bind.execute(sa.insert(days), [{"user_id": user_id, "day": day} for day in sorted(found)])


def downgrade() -> None:
    with op.batch_alter_table("data_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_exports_user_id"))
    op.drop_table("data_exports")
    op.drop_table("user_action_days")
