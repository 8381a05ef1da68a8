"""The school's ОГРН (``organization.ogrn``), printed in the requisites of a contract with an
external mentor. Registers of earlier releases have none until a workbook gives it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("organization", sa.Column("ogrn", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.drop_column("ogrn")
