"""A pair's former members (``pair_former_member``): a mentor replaced or a mentee who left
a pair mid-year is kept with the day the register learnt it, so the year's training order,
final-event order and final report still count those who took part. An earlier release kept
no such history: its registers start with none.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pair_former_member",
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["pair_id"], ["pair.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("pair_id", "person_id", "role"),
    )


def downgrade() -> None:
    op.drop_table("pair_former_member")
