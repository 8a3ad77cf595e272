"""add transfers, data resets and data imports tables

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 07:24:01.233392
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("mapping", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("applied_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_data_imports_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_imports")),
    )
    with op.batch_alter_table("data_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_imports_user_id"), ["user_id"], unique=False)

    op.create_table(
        "data_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("undone_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("purged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_data_resets_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_resets")),
        sa.UniqueConstraint("request_key", name=op.f("uq_data_resets_request_key")),
    )
    with op.batch_alter_table("data_resets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_resets_user_id"), ["user_id"], unique=False)

    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("from_holding_id", sa.Integer(), nullable=True),
        sa.Column("to_holding_id", sa.Integer(), nullable=True),
        sa.Column("amount", app.models.Money(precision=28, scale=8), nullable=False),
        sa.Column("from_currency", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("fee", app.models.Money(precision=28, scale=8), nullable=False),
        sa.Column("received", app.models.Money(precision=28, scale=8), nullable=False),
        sa.Column("to_currency", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("from_entry_id", sa.Integer(), nullable=True),
        sa.Column("to_entry_id", sa.Integer(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["from_entry_id"],
            ["balance_entries.id"],
            name=op.f("fk_transfers_from_entry_id_balance_entries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["from_holding_id"],
            ["holdings.id"],
            name=op.f("fk_transfers_from_holding_id_holdings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_entry_id"],
            ["balance_entries.id"],
            name=op.f("fk_transfers_to_entry_id_balance_entries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_holding_id"],
            ["holdings.id"],
            name=op.f("fk_transfers_to_holding_id_holdings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_transfers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
        sa.UniqueConstraint("request_key", name=op.f("uq_transfers_request_key")),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index("ix_transfers_user_id_occurred_at", ["user_id", "occurred_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index("ix_transfers_user_id_occurred_at")

    op.drop_table("transfers")
    with op.batch_alter_table("data_resets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_resets_user_id"))

    op.drop_table("data_resets")
    with op.batch_alter_table("data_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_imports_user_id"))

    op.drop_table("data_imports")
