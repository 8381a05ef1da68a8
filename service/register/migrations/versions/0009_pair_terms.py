"""A pair's earlier terms (``pair_term``): a pair continued next school year under its code
kept only its present term, its previous plan and «Итоги» deleted when the new term began.
Each earlier term is now kept with its dates, people, plan and results. Registers of earlier
releases have lost those already: they start with none.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pair_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.String(length=20), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_ids", sa.JSON(), nullable=False),
        sa.Column("form", sa.String(length=200), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["mentor_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["pair_id"], ["pair.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_pair_term_pair_id"), "pair_term", ["pair_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_pair_term_pair_id"), table_name="pair_term")
    op.drop_table("pair_term")
