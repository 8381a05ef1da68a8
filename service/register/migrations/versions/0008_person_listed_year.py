"""The school year a person was last listed in (``person.listed_year``): a participant of last
year listed again in September, before this year's pairs, is this year's and gets this year's
consents; one registered last year and not listed again is not. Registers of earlier releases
start with none (the old rule: a person in no pair yet is this year's).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("person", sa.Column("listed_year", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("listed_year")
