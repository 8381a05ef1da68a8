"""Each document version keeps the context it was rendered from (canonical JSON) and the
SHA-256 of its template: a later workbook makes a new version only when either changed, and
signing renders an order from the stored context (issue 10, item 2). Versions made before
stay without them (None): an unsigned one of those is made again by the next workbook.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("document", sa.Column("context", sa.Text(), nullable=True))
    op.add_column("document", sa.Column("template_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_column("template_sha256")
        batch.drop_column("context")
