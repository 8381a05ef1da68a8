"""A workbook arriving while another writer holds the register — the director signing a
hundred documents at once, each order rendered again with its number — waited the busy timeout
(30 s) and then failed as «Внутренняя ошибка … сообщите администратору», the workbook put in
failed/. Since a batch takes the register's write lock from its start (and, on PostgreSQL,
waits for it no longer than SQLite would), any long signing did that. A batch is all or nothing:
it now tries again while the register stays busy, and when it gives up says so in Russian."""

from __future__ import annotations

import logging
import sqlite3
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, func, select, text

from service import pipeline
from service.intake.demo import write_demo_workbook
from service.pipeline import Outcome, process_workbook
from service.register import db
from service.register.db import REGISTER_LOCK, session_scope
from service.register.models import Batch, Document
from service.register.reading import sqlite_file
from tests.test_signing_workflow import build_school


@pytest.fixture
def school(homes, database_kind, tmp_path, request, monkeypatch):
    settings = homes.copy(request, build_school, database_kind, tmp_path / "home")
    # SQLite's busy wait, PostgreSQL's lock_timeout (250 ms): each attempt of a batch waits so long
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 0.25)
    db.get_engine(settings.database_url).dispose()  # SQLite's connections take it when made
    yield settings
    db.get_engine(settings.database_url).dispose()


class Holder:
    """Another writer holding the register's write lock until :meth:`release`."""

    def __init__(self, url: str) -> None:
        self.released = False
        database = sqlite_file(url)
        if database is not None:
            self.sqlite = sqlite3.connect(database, isolation_level=None)
            self.sqlite.execute("BEGIN IMMEDIATE")
        else:
            self.engine = create_engine(url)
            self.connection = self.engine.connect()
            self.connection.execute(text(f"SELECT pg_advisory_xact_lock({REGISTER_LOCK})"))

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        if hasattr(self, "sqlite"):
            self.sqlite.execute("ROLLBACK")
            self.sqlite.close()
        else:
            self.connection.rollback()
            self.connection.close()
            self.engine.dispose()


def changed_workbook(tmp_path):
    path = tmp_path / "новая цель.xlsx"
    write_demo_workbook(path)
    book = load_workbook(path)
    book["Пары"]["I2"] = "Новая цель пары"
    book.save(path)
    return path


def documents(settings) -> int:
    with session_scope(settings.database_url) as s:
        return s.scalar(select(func.count()).select_from(Document))


@pytest.mark.postgresql
def test_a_batch_waits_while_the_register_is_busy(school, tmp_path, monkeypatch):
    before = documents(school)
    holder = Holder(school.database_url)
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # between two attempts: the signing ends now
        waits.append(seconds)
        holder.release()

    monkeypatch.setattr(db, "time", SimpleNamespace(sleep=sleep))
    try:
        result = process_workbook(school, changed_workbook(tmp_path))
    finally:
        holder.release()
    assert (result.outcome, len(waits)) == (Outcome.DONE, 1), result.message
    assert documents(school) == before + 1  # П-01's programme, made again


@pytest.mark.postgresql
def test_a_batch_that_found_the_register_busy_too_long_says_so(
    school, database_kind, tmp_path, monkeypatch
):
    before = documents(school)
    holder = Holder(school.database_url)
    monkeypatch.setattr(db, "time", SimpleNamespace(sleep=lambda seconds: None))
    monkeypatch.setattr(pipeline, "BATCH_RETRIES", 2)  # 9 in service: 10 busy waits of 30 s

    class Release(logging.Handler):  # the batch has given up: the signing ends now
        def emit(self, record: logging.LogRecord) -> None:
            holder.release()

    handler = Release(logging.WARNING)
    logging.getLogger(pipeline.__name__).addHandler(handler)
    try:
        result = process_workbook(school, changed_workbook(tmp_path))
    finally:
        logging.getLogger(pipeline.__name__).removeHandler(handler)
        holder.release()
    minutes = int(db.BUSY_TIMEOUT_SECONDS * (pipeline.BATCH_RETRIES + 1) // 60)
    message = (
        "Файл «новая цель.xlsx» не обработан: реестр был занят другой операцией (например, "
        f"подписанием документов) дольше {minutes} мин. Реестр не изменён. Положите файл в "
        "папку inbox или загрузите его снова."
    )
    assert (result.outcome, result.message) == (Outcome.FAILED, message)
    assert documents(school) == before
    with session_scope(school.database_url) as s:
        batches = s.scalars(select(Batch).where(Batch.id > 1)).all()
        # SQLite: not even its batch could be written; PostgreSQL: its batch says why it failed
        assert [(b.status, b.report) for b in batches] == (
            [] if database_kind == "sqlite" else [("failed", message)]
        )
