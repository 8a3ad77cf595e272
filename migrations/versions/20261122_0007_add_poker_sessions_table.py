"""add poker sessions table

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 07:40:21.229565
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "poker_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("game", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("holding_id", sa.Integer(), nullable=True),
        sa.Column("venue", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("small_blind", app.models.Money(precision=28, scale=8), nullable=True),
        sa.Column("big_blind", app.models.Money(precision=28, scale=8), nullable=True),
        sa.Column("buy_in", app.models.Money(precision=28, scale=8), nullable=False),
        sa.Column("fee", app.models.Money(precision=28, scale=8), nullable=False),
        sa.Column("re_entries", sa.Integer(), nullable=False),
        sa.Column("add_ons", app.models.Money(precision=28, scale=8), nullable=False),
        sa.Column("cash_out", app.models.Money(precision=28, scale=8), nullable=True),
        sa.Column("expenses", app.models.Money(precision=28, scale=8), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("paused_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("break_seconds", sa.Integer(), nullable=False),
        sa.Column("hands", sa.Integer(), nullable=True),
        sa.Column("tables", sa.Integer(), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("tags", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["holding_id"],
            ["holdings.id"],
            name=op.f("fk_poker_sessions_holding_id_holdings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_poker_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poker_sessions")),
        sa.UniqueConstraint("request_key", name=op.f("uq_poker_sessions_request_key")),
    )
    with op.batch_alter_table("poker_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_poker_sessions_user_started", ["user_id", "started_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("poker_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_poker_sessions_user_started")

    op.drop_table("poker_sessions")
