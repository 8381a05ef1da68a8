"""Release 0.1: the register as it was before migrations (the baseline).

On an empty database it creates every table. On a database made by release 0.1 (tables, no
``alembic_version``) it adopts what is there and creates only the tables such a home lacks
(homes older than the archive have no ``archive_item`` / ``destruction_act``). A frozen copy of
``models.py`` as it stood at release 0.1: never edit it, add a revision instead.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _table(name: str, *elements, indexes: tuple | list = ()) -> None:
    """Create ``name`` with its indexes, unless a release 0.1 home already has it."""
    if name in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(name, *elements)
    for index, columns in indexes:
        op.create_index(index, name, columns)


def upgrade() -> None:
    _table(
        "batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("folder", sa.String(length=500), nullable=True),
        sa.Column("report", sa.Text(), nullable=True),
        sa.Column("manifest", sa.JSON(), nullable=True),
        sa.Column("documents_total", sa.Integer(), nullable=False),
        sa.Column("documents_done", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_batch_sha256", ["sha256"])],
    )

    _table(
        "destruction_act",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signature_sha256", sa.String(length=64), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    _table(
        "final_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    _table(
        "ledger_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("signature_sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )

    _table(
        "organization",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("short_name", sa.String(length=300), nullable=False),
        sa.Column("locality", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("inn", sa.String(length=20), nullable=True),
        sa.Column("head_name", sa.String(length=200), nullable=False),
        sa.Column("head_position", sa.String(length=300), nullable=False),
        sa.Column("curator_name", sa.String(length=200), nullable=False),
        sa.Column("curator_position", sa.String(length=300), nullable=False),
        sa.Column("coordinator_name", sa.String(length=200), nullable=True),
        sa.Column("coordinator_position", sa.String(length=300), nullable=True),
        sa.Column("school_year", sa.String(length=20), nullable=False),
        sa.Column("students_total", sa.Integer(), nullable=True),
        sa.Column("teachers_total", sa.Integer(), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )

    _table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=True),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("position", sa.String(length=300), nullable=True),
        sa.Column("is_external", sa.Boolean(), nullable=False),
        sa.Column("workplace", sa.Text(), nullable=True),
        sa.Column("experience_years", sa.Float(), nullable=True),
        sa.Column("competences", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("identity_document", sa.Text(), nullable=True),
        sa.Column("request", sa.Text(), nullable=True),
        sa.Column("guardian_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["guardian_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("role", "code", name="uq_person_role_code"),
        indexes=[("ix_person_full_name", ["full_name"]), ("ix_person_role", ["role"])],
    )

    _table(
        "roadmap_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("activities", sa.Text(), nullable=False),
        sa.Column("term_date", sa.Date(), nullable=True),
        sa.Column("term_text", sa.String(length=200), nullable=True),
        sa.Column("responsible", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )

    _table(
        "training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("form", sa.Text(), nullable=True),
        sa.Column("responsible", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    _table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=True),
        sa.Column("api_token_hash", sa.String(length=200), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login"),
    )

    _table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("subject_key", sa.String(length=100), nullable=False),
        sa.Column("subject_label", sa.String(length=300), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("context_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=True),
        sa.Column("reg_date", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "subject_key", "version", name="uq_doc_version"),
        indexes=[
            ("ix_document_batch_id", ["batch_id"]),
            ("ix_document_kind", ["kind"]),
            ("ix_document_sha256", ["sha256"]),
            ("ix_document_subject_key", ["subject_key"]),
        ],
    )

    _table(
        "pair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=200), nullable=False),
        sa.Column("variant", sa.String(length=300), nullable=True),
        sa.Column("mode", sa.String(length=100), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("tasks", sa.JSON(), nullable=False),
        sa.Column("expected_results", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )

    _table(
        "signer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("position", sa.String(length=300), nullable=False),
        sa.Column("serial", sa.String(length=80), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("chain_pem", sa.Text(), nullable=False),
        sa.Column("key_pem", sa.Text(), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("not_after", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revocation_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("serial"),
        indexes=[("ix_signer_user_id", ["user_id"])],
    )

    _table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("prev_hash"),
    )

    _table(
        "order_journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id"),
        sa.UniqueConstraint("year", "sequence", name="uq_journal_year_seq"),
        indexes=[("ix_order_journal_year", ["year"])],
    )

    _table(
        "pair_mentee",
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["pair.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("pair_id", "person_id"),
    )

    _table(
        "plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("term_date", sa.Date(), nullable=True),
        sa.Column("term_text", sa.String(length=200), nullable=True),
        sa.Column("form", sa.Text(), nullable=True),
        sa.Column("responsible", sa.Text(), nullable=True),
        sa.Column("expected_result", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["pair.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_plan_item_pair_id", ["pair_id"])],
    )

    _table(
        "result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("achieved", sa.Text(), nullable=False),
        sa.Column("conclusions", sa.Text(), nullable=True),
        sa.Column("proposals", sa.Text(), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("swot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["pair.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pair_id"),
    )

    _table(
        "signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("signer_id", sa.Integer(), nullable=True),
        sa.Column("signer_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"],
            ["signer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_signature_document_id", ["document_id"])],
    )

    _table(
        "archive_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.String(length=20), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("retain_until", sa.Date(), nullable=True),
        sa.Column("destroyed_at", sa.DateTime(), nullable=True),
        sa.Column("act_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["act_id"],
            ["destruction_act.id"],
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id"),
        indexes=[("ix_archive_item_school_year", ["school_year"])],
    )


def downgrade() -> None:
    for name in [
        "archive_item",
        "signature",
        "result",
        "plan_item",
        "pair_mentee",
        "order_journal",
        "event",
        "signer",
        "pair",
        "document",
        "user",
        "training",
        "roadmap_item",
        "person",
        "organization",
        "ledger_checkpoint",
        "final_event",
        "destruction_act",
        "batch",
    ]:
        op.drop_table(name)
