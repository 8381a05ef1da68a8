"""A destruction act run twice at once (attack22: «nastavnik archive destroy» started again
while the first was signing, two administrators' scripts): both read the documents as not yet
destroyed, both made, signed and recorded an act — two acts «№ 1/32» for the same documents,
two «document_destroyed» entries for each in the ledger kept for ever."""

from __future__ import annotations

import contextlib
import threading

from sqlalchemy import func, select

from service.archive import destruction
from service.archive.errors import ArchiveError
from service.register.archive import archive_item_of
from service.register.archive_models import DestructionAct
from service.register.db import session_scope
from service.register.models import Event
from tests.archive_school import copy_home, destroy_as_director, document_id


def test_two_acts_at_once_for_the_same_documents_make_one(exported, tmp_path, monkeypatch):
    settings = copy_home(exported[0], tmp_path / "школа")
    consent = document_id(settings, "consent_adult")
    with session_scope(settings.database_url) as s:
        due = archive_item_of(s, consent).retain_until
    # each act waits (up to 3 s) for the other to have read the documents as well: the race
    # made certain, not left to the scheduler
    both = threading.Barrier(2, timeout=3)
    made = destruction.act_docx

    def act_docx(*args, **kwargs) -> bytes:
        with contextlib.suppress(threading.BrokenBarrierError):  # the other waits for the lock
            both.wait()
        return made(*args, **kwargs)

    monkeypatch.setattr(destruction, "act_docx", act_docx)
    outcomes: list[object] = []

    def destroy() -> None:
        try:
            act = destroy_as_director(settings, [consent], due)
            outcomes.append(act.number)
        except ArchiveError as refused:
            outcomes.append(refused.message)

    runs = [threading.Thread(target=destroy) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=60)
    with session_scope(settings.database_url) as s:
        acts = s.scalar(select(func.count()).select_from(DestructionAct))
        destroyed = s.scalar(
            select(func.count()).where(
                Event.kind == "document_destroyed", Event.document_id == consent
            )
        )
    assert sorted(outcomes, key=str) == sorted(
        [f"1/{due:%y}", f"Документа № {consent} нет в архиве (или он уничтожен)."], key=str
    )
    assert (acts, destroyed) == (1, 1)
