"""The pedagogical council that adopted the regulation: the optional «Организация» rows
«Положение принято педсоветом (дата / протокол №)», printed in the regulation's «ПРИНЯТО».

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("organization", sa.Column("regulation_adopted_on", sa.Date(), nullable=True))
    op.add_column(
        "organization", sa.Column("regulation_protocol", sa.String(length=50), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.drop_column("regulation_protocol")
        batch.drop_column("regulation_adopted_on")
