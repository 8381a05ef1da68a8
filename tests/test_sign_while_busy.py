"""The director signs on the web page while the register is held by another writer longer than
the busy timeout (a workbook of a thousand pairs being processed: since a batch takes the
register's lock from its start, a signing waits for its end). She is told in Russian that the
register is busy and to try again (503, «Retry-After»), never a 500; nothing is signed."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

from service.register import db
from service.register.db import session_scope
from service.register.models import Document, DocumentStatus
from service.register.reading import sqlite_file
from tests.test_web_pages import texts
from tests.web_school import KEY_PASSWORD, login


def test_a_signing_during_a_long_batch_is_told_to_try_again(client, web_school, monkeypatch):
    url = web_school.settings.database_url
    order = web_school.doc_id("order_pairs")
    login(client, "director")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 1)
    monkeypatch.setattr(db, "time", SimpleNamespace(sleep=lambda seconds: None))
    db.get_engine(url).dispose()  # the connections take the busy timeout when made
    holder = sqlite3.connect(sqlite_file(url), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # the batch, holding the register
        answer = client.post("/director/sign", data={"document": str(order),
                                                     "password": KEY_PASSWORD})  # fmt: skip
    finally:
        holder.close()
        db.get_engine(url).dispose()
    assert (answer.status_code, answer.headers.get("Retry-After")) == (503, "5")
    assert (
        "Реестр занят другой записью (например, подписью или обработкой книги; большая книга "
        "обрабатывается несколько минут): повторите чуть позже. Ничего не изменено."
    ) in texts(answer)
    with session_scope(url) as s:
        assert s.get(Document, order).status == DocumentStatus.AWAITING_SIGNATURE
