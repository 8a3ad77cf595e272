"""add bankroll marks and revisions tables

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 17:15:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bankroll_marks",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("deposits", sa.Text(), nullable=False),
        sa.Column("withdrawals", sa.Text(), nullable=False),
        sa.Column("bonuses", sa.Text(), nullable=False),
        sa.Column("fees", sa.Text(), nullable=False),
        sa.Column("moved_site", sa.Text(), nullable=False),
        sa.Column("moved_asset", sa.Text(), nullable=False),
        sa.Column("changes_site", sa.Text(), nullable=False),
        sa.Column("changes_asset", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_bankroll_marks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_bankroll_marks")),
    )
    op.create_table(
        "bankroll_mark_states",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("codes", sa.Text(), nullable=False),
        sa.Column("rated_through", sa.Date(), nullable=False),
        sa.Column("valid_through", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_bankroll_mark_states_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_bankroll_mark_states")),
    )

    op.create_table(
        "revisions",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_revisions")),
    )
    # A random epoch per database: cached aggregates of another database (a test run's, say) sharing
    # the same Redis can never match this one's keys.
    revisions = sa.table("revisions", sa.column("name", sa.String), sa.column("value", sa.Integer))
    op.bulk_insert(revisions, [{"name": "epoch", "value": secrets.randbelow(2**31)}])


def downgrade() -> None:
    op.drop_table("revisions")
    op.drop_table("bankroll_mark_states")
    op.drop_table("bankroll_marks")
