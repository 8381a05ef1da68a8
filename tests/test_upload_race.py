"""Two people uploading the same workbook at once are each told what became of their own
upload."""

from __future__ import annotations

import io
import threading
import time

from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Batch
from service.web import jobs
from tests.test_dry_run import corrected
from tests.web_school import login


def test_the_same_workbook_uploaded_twice_at_once_is_once_a_duplicate(
    app, web_school, tmp_path, monkeypatch
):
    """attack17: two secretaries (or an API client and a secretary) uploading the same new
    workbook at once were both answered «accepted, batch 2» (202, duplicate false): the second
    upload, queued behind the first, took the batch the first was making for its own; it was
    then processed as a duplicate with nobody told. Now the second says it is a duplicate of
    the first one's batch."""
    monkeypatch.setattr(jobs, "WAIT_FOR_BATCH_SECONDS", 300.0)
    data = corrected(web_school.workbook, tmp_path / "Пары — исправление.xlsx").read_bytes()
    queue = app.extensions["nastavnik_uploads"]
    hold = threading.Event()
    queue.executor.submit(hold.wait)  # the worker is busy: both uploads wait in the queue
    answers: dict[str, tuple[int, dict]] = {}

    def upload(who: str) -> None:
        client = app.test_client()
        login(client, "secretary")
        response = client.post(
            "/api/batches",
            data={"file": (io.BytesIO(data), f"{who}.xlsx")},
            content_type="multipart/form-data",
        )
        answers[who] = response.status_code, response.get_json()

    first = threading.Thread(target=upload, args=("первая",))
    first.start()
    while queue.executor._work_queue.qsize() < 1:
        time.sleep(0.01)
    second = threading.Thread(target=upload, args=("вторая",))
    second.start()
    while queue.executor._work_queue.qsize() < 2:
        time.sleep(0.01)
    hold.set()
    first.join(300)
    second.join(300)
    status, body = answers["первая"]
    assert (status, body["batch"], body["duplicate"]) == (202, 2, False)
    status, body = answers["вторая"]
    assert (status, body["batch"], body["duplicate"]) == (200, 2, True)
    assert body["message"].startswith("Книга «вторая.xlsx» уже обработана (пакет № 2 от ")
    with session_scope(web_school.settings.database_url) as session:
        made = [(b.id, b.source_name, b.status) for b in session.scalars(select(Batch))]
    assert made[1:] == [(2, "первая.xlsx", "done")]
