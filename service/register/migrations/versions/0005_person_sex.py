"""A person's sex as the school gives it: the optional «Пол» of «Наставники» and
«Наставляемые» («м»/«ж»). None (every person registered before) means the ФИО tells, as ever.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("person", sa.Column("sex", sa.String(length=1), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("sex")
