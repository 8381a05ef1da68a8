"""A large batch's memory: its new versions go into the transaction a group at a time, the
collector's full passes wait for the batch's end, the latest versions are compared without
reading their contexts — and the register is the same as before."""

from __future__ import annotations

import gc
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import event, select, update

from service import versions
from service.collecting import FULL_COLLECTION_EVERY
from service.documents import canonical
from service.documents.catalogue import BY_ID
from service.documents.planning import context_digest, plan_documents
from service.home import initialise_home
from service.intake.demo import write_demo_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import get_engine, session_scope
from service.register.events import verify_chain
from service.register.models import Document, DocumentStatus, Event
from service.versions import pending_changes


@pytest.mark.postgresql
def test_versions_flushed_in_groups_keep_their_order_contexts_and_ledger(
    settings, tmp_path: Path, monkeypatch, rendered_here
):
    workbook = tmp_path / "школа.xlsx"
    write_demo_workbook(workbook)
    monkeypatch.setattr(versions, "FLUSH_EVERY", 5)
    thresholds = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    render = versions.render_document

    def render_and_look(*args):
        seen.append(gc.get_threshold())
        return render(*args)

    monkeypatch.setattr(versions, "render_document", render_and_look)

    result = process_workbook(settings, workbook)

    assert result.outcome == Outcome.DONE, result.message
    assert len(result.entries) == 36
    assert gc.get_threshold() == thresholds
    assert set(seen) == {(*thresholds[:2], max(thresholds[2], FULL_COLLECTION_EVERY))}
    assert len(seen) == 36
    with session_scope(settings.database_url) as session:
        documents = list(session.scalars(select(Document).order_by(Document.id)))
        made = [
            (e.document_id, e.details["sha256"])
            for e in session.scalars(
                select(Event).where(Event.kind == "document_generated").order_by(Event.id)
            )
        ]
        assert verify_chain(session) is None
        ids = [d.id for d in documents]
        assert ids == list(range(ids[0], ids[0] + 36))
        assert [(d.sha256, d.version) for d in documents] == [(e.sha256, 1) for e in result.entries]
        assert made == [(d.id, d.sha256) for d in documents]
        for document in documents:  # each context kept whole, though let go of in the batch
            context = canonical.loads(document.context)
            assert context["doc"]["version"] == 1
            assert context["doc"]["title"] == BY_ID[document.kind].title
            assert context_digest(context) == document.context_sha256


def test_latest_versions_are_compared_without_reading_their_contexts(settings, tmp_path: Path):
    workbook = tmp_path / "школа.xlsx"
    write_demo_workbook(workbook)
    assert process_workbook(settings, workbook).outcome == Outcome.DONE
    with session_scope(settings.database_url) as session:
        waiting = session.scalars(
            select(Document.id)
            .where(Document.status == DocumentStatus.AWAITING_SIGNATURE)
            .order_by(Document.id)
        ).first()
        session.execute(update(Document).where(Document.id == waiting).values(context=None))

    with session_scope(settings.database_url) as session:
        answers = pending_changes(settings, session, plan_documents(session))
        assert len(answers) == 36
        # only whether each has a context was read, not the context itself
        assert all("context" not in vars(latest) for latest, _ in answers)
        assert [latest.context_missing for latest, _ in answers].count(True) == 1
        # a version waiting for a signature without its context is made again; no other
        assert [latest.id for latest, new in answers if new] == [waiting]


def test_a_schools_rows_are_written_one_statement_a_table(settings, tmp_path: Path):
    """On SQLite every new row of a batch is numbered before it is written, so each table
    gets one INSERT (an executemany) however many rows the school has — not one each."""
    workbook = tmp_path / "школа.xlsx"
    write_demo_workbook(workbook)
    initialise_home(settings)
    inserts: Counter[str] = Counter()

    def count(_conn, _cursor, statement, _params, _context, _executemany) -> None:
        if statement.startswith("INSERT INTO "):
            inserts[statement.split()[2]] += 1

    engine = get_engine(settings.database_url)
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert process_workbook(settings, workbook).outcome == Outcome.DONE
    finally:
        event.remove(engine, "before_cursor_execute", count)

    # the batch's three ledger writes: received, its documents (one executemany), processed
    assert inserts == {
        "batch": 1,
        "event": 3,
        "organization": 1,
        "person": 1,
        "pair": 1,
        "pair_mentee": 1,
        "plan_item": 1,
        "training": 1,
        "final_event": 1,
        "result": 1,
        "document": 1,
    }


@pytest.mark.postgresql
def test_a_version_made_twice_in_a_batch_supersedes_the_one_just_made(settings):
    """A document planned twice: the version just made is superseded whether its row is
    still waiting to be written or was written with an earlier group (an UPDATE then); the
    rows get their ids in their order, on SQLite numbered, on PostgreSQL returned."""
    from datetime import datetime

    from service.register.models import Batch
    from service.register.new_versions import NewVersion, insert_versions, supersede

    def made(version: int) -> NewVersion:
        return NewVersion(
            {
                "kind": "pair_plan",
                "subject_key": "pair:1",
                "subject_label": "Пара 1",
                "version": version,
                "status": DocumentStatus.GENERATED,
                "sha256": f"{version}" * 64,
                "context_sha256": "c" * 64,
                "context": "{}",
                "template_sha256": None,
                "file_name": f"План {version}.docx",
                "batch_id": batch_id,
                "created_at": datetime(2026, 12, 1, 3, 0),
            }
        )

    with session_scope(settings.database_url) as session:
        batch = Batch(source_name="школа.xlsx", sha256="0" * 64, started_at=datetime.now())
        session.add(batch)
        session.flush()
        batch_id = batch.id
        first, second, third = made(1), made(2), made(3)
        insert_versions(session, [first])
        supersede(session, first)  # written already: an UPDATE
        supersede(session, second)  # not written yet: its row
        insert_versions(session, [second, third])
        assert "context" not in first.row
        ids = [first.id, second.id, third.id]

    assert ids == [ids[0], ids[0] + 1, ids[0] + 2]
    with session_scope(settings.database_url) as session:
        rows = session.execute(
            select(Document.id, Document.version, Document.status, Document.context)
            .where(Document.batch_id == batch_id)
            .order_by(Document.id)
        ).all()
    assert [tuple(row) for row in rows] == [
        (ids[0], 1, DocumentStatus.SUPERSEDED, "{}"),
        (ids[1], 2, DocumentStatus.SUPERSEDED, "{}"),
        (ids[2], 3, DocumentStatus.GENERATED, "{}"),
    ]
