"""Keys and sessions (issue 11): whether a signing key has its owner's own password, the key's
run of wrong passwords and its lock, and the login session generation that logout moves on.

A key of release 0.1 whose owner already replaced the administrator's password (a ledger entry
``signer_password_changed`` naming its serial) keeps signing; every other key waits for its
owner's password, as a key issued now does.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "signer",
        sa.Column("owner_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "signer",
        sa.Column("failed_key_attempts", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("signer", sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.add_column(
        "user",
        sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"),
    )
    event = sa.table("event", sa.column("kind", sa.String), sa.column("details", sa.JSON))
    signer = sa.table("signer", sa.column("serial", sa.String), sa.column("owner_password"))
    bind = op.get_bind()
    serials: set[str] = set()
    changed = sa.select(event.c.details).where(event.c.kind == "signer_password_changed")
    for (details,) in bind.execute(changed):
        if isinstance(details, str):
            details = json.loads(details)
        serials.update(str(s) for s in (details or {}).get("serials", []))
    if serials:
        bind.execute(
            signer.update().where(signer.c.serial.in_(sorted(serials))).values(owner_password=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("session_generation")
    with op.batch_alter_table("signer") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_key_attempts")
        batch.drop_column("owner_password")
