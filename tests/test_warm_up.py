"""The running watcher's warm-up batch (service/warm_up.py): a sample school processed before
the first file, on a stand-in of the home's register (service/register/stand_in.py) — the
register's engine and compiled statements, none of its data, no write, no lock."""

from __future__ import annotations

import gc
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DatabaseError

from service.collecting import FULL_COLLECTION_EVERY, few_full_collections
from service.home import one_writer
from service.intake.demo import write_demo_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import get_engine, session_scope
from service.register.reading import sqlite_file
from service.register.revision import HEAD_REVISION
from service.register.stand_in import stand_in
from service.warm_up import warm_up_batch
from service.watcher import InboxWatcher


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.xlsx"
    write_demo_workbook(path)
    return path


def _rows(settings) -> list[str]:
    """Every row of the register, as SQL."""
    with sqlite3.connect(sqlite_file(settings.database_url)) as database:
        return list(database.iterdump())


def _files(settings) -> list[str]:
    """Every file of the home but the database's own (its WAL changes as it is read)."""
    return sorted(
        str(p.relative_to(settings.home))
        for p in settings.home.rglob("*")
        if p.is_file() and not p.name.startswith("nastavnik.db")
    )


class Compiled:
    """The statements the register's engine had to compile (not found in its cache)."""

    def __init__(self, settings) -> None:
        self.engine = get_engine(settings.database_url)
        self.statements: list[str] = []
        event.listen(self.engine, "after_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if context is not None and context.cache_hit == context.dialect.CACHE_MISS:
            self.statements.append(statement)

    def close(self) -> None:
        event.remove(self.engine, "after_cursor_execute", self._seen)


def test_warm_up_sees_and_changes_nothing_of_the_register_and_waits_for_no_lock(settings, demo):
    # a home whose register holds a school already, its files in outbox/ and the store
    inbox_copy = settings.inbox / "школа.xlsx"
    shutil.copyfile(demo, inbox_copy)
    assert process_workbook(settings, inbox_copy).outcome == Outcome.DONE
    rows, files = _rows(settings), _files(settings)
    # another writer holds the register's write lock all along (a long signing)
    holder = sqlite3.connect(sqlite_file(settings.database_url), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = warm_up_batch(settings)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # the same school again, yet all new: the register's rows were not seen
    assert result.outcome == Outcome.DONE
    assert "новых документов и версий — 36, без изменений: 0" in result.message
    assert result.batch_id == 1
    assert _rows(settings) == rows
    assert _files(settings) == files


def test_a_batch_after_the_warm_up_compiles_no_statement(settings, demo):
    compiled = Compiled(settings)
    try:
        warm_up_batch(settings)
        assert len(compiled.statements) > 40  # compiled by the warm-up, for this engine
        compiled.statements.clear()
        inbox_copy = settings.inbox / "школа.xlsx"
        shutil.copyfile(demo, inbox_copy)
        assert process_workbook(settings, inbox_copy).outcome == Outcome.DONE
    finally:
        compiled.close()
    assert compiled.statements == []


def test_a_stand_in_refuses_to_write_the_register(settings):
    with stand_in(settings.database_url, "sqlite:////nowhere/stand-in.db") as ready:
        assert ready
        with session_scope("sqlite:////nowhere/stand-in.db") as session:
            # the register's tables are hidden by empty copies, which take the rows written
            assert session.execute(text("SELECT * FROM alembic_version")).all() == []
            session.execute(text("INSERT INTO alembic_version VALUES ('x')"))
            assert session.execute(text("SELECT * FROM alembic_version")).all() == [("x",)]
            # the real table named: refused
            with pytest.raises(DatabaseError, match="not authorized"):
                session.execute(text("INSERT INTO main.alembic_version VALUES ('y')"))
            # nor its file's header or settings, nor another file attached (attack22: the
            # register's user_version became 77); its tables described as before
            for written in (
                "PRAGMA main.user_version = 77",
                "PRAGMA main.journal_mode = DELETE",
                f"ATTACH DATABASE '{settings.var / 'other.db'}' AS other",
            ):
                with pytest.raises(DatabaseError, match="not authorized"):
                    session.execute(text(written))
            assert session.execute(text("PRAGMA main.table_info(alembic_version)")).all()
    with session_scope(settings.database_url) as session:
        assert session.execute(text("SELECT * FROM alembic_version")).all() == [(HEAD_REVISION,)]
        assert session.execute(text("PRAGMA user_version")).scalar() == 0
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert not (settings.var / "other.db").exists()


def test_the_watcher_warms_up_at_start_and_its_first_batch_compiles_nothing(settings, demo):
    watcher = InboxWatcher(settings)
    compiled = Compiled(settings)
    try:
        watcher.start()
        assert watcher.warmed.wait(120)
        assert compiled.statements  # the warm-up's
        compiled.statements.clear()
        shutil.copyfile(demo, settings.home / "staged.xlsx")
        (settings.home / "staged.xlsx").rename(settings.inbox / "школа.xlsx")
        deadline = time.monotonic() + 120
        while not (settings.processed / "школа.xlsx").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        watcher.stop()
        compiled.close()
    assert (settings.processed / "школа.xlsx").exists()
    assert compiled.statements == []
    # the home has the one batch dropped, nothing of the warm-up
    with session_scope(settings.database_url) as session:
        assert session.execute(text("SELECT id, source_name FROM batch")).all() == [
            (1, "школа.xlsx")
        ]
    assert len(list(settings.outbox.iterdir())) == 1


def test_two_batches_at_once_leave_the_collectors_thresholds_as_they_were():
    """The warm-up's batch and a file dropped meanwhile are written at once: each holds off the
    collector's full passes; the first to end must not give them back while the other runs,
    the last must give back the thresholds of before (not the raised ones)."""
    before = gc.get_threshold()
    first, second = few_full_collections(), few_full_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the warm-up ends first
    assert gc.get_threshold() == (*before[:2], FULL_COLLECTION_EVERY)
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_the_warm_up_neither_waits_for_nor_takes_the_process_s_turn_to_write(settings):
    """A file dropped during the warm-up was kept waiting for its end: the warm-up took the
    process's turn to write (home.one_writer), one batch at a time in a process. It guards a
    home's register and folders; the warm-up's are a stand-in and a scratch home."""
    results: list = []
    with one_writer(settings):  # a batch of the home is being written in this process
        warming = threading.Thread(target=lambda: results.append(warm_up_batch(settings)))
        warming.start()
        warming.join(120)
        assert not warming.is_alive()
    assert results[0].outcome == Outcome.DONE
