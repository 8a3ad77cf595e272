"""add tool uses table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 06:50:57.921207
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tool_uses",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("tool", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("first_used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tool_uses_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "tool", name=op.f("pk_tool_uses")),
    )


def downgrade() -> None:
    op.drop_table("tool_uses")
