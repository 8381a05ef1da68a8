"""Issue 15: a workbook that inotify says is whole — renamed into the inbox, or closed after
being written — is taken without the settle wait; anything else still waits until it stops
changing. Real folders, real inotify events (watchdog's native observer)."""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from pathlib import Path

import pytest
from openpyxl import Workbook

from service.settling import Settling
from service.watcher import Arrivals, InboxWatcher, _inotify_observer, _WakeHandler
from tests.test_watcher import wait_for


@pytest.fixture
def watched(tmp_path: Path):
    """An inbox watched by the watcher's own handler: (inbox, arrivals, settle), where
    ``settle()`` returns once every event so far has been dealt with."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    arrivals = Arrivals()
    observer = _inotify_observer()
    observer.schedule(_WakeHandler(threading.Event(), inbox, arrivals), str(inbox))
    observer.start()
    numbers = itertools.count()

    def settle() -> None:
        # events come in order: once a sentinel closed after this is whole, all before it
        # have been seen
        sentinel = inbox / f"метка-{next(numbers)}.xlsx"
        sentinel.write_bytes(b"PK")
        wait_for(lambda: arrivals.is_whole(sentinel), timeout=60)
        sentinel.unlink()

    yield inbox, arrivals, settle
    observer.stop()
    observer.join(5)


def marked(arrivals: Arrivals) -> set[str]:
    """Names with a mark, the sentinels aside."""
    return {Path(p).name for p in arrivals._marks if "метка-" not in p}


def test_the_events_say_which_workbooks_are_whole(watched, tmp_path):
    inbox, arrivals, settle = watched
    being_written = inbox / "копируется.xlsx"
    with being_written.open("wb") as handle:
        handle.write(b"PK" * 1000)
        handle.flush()
        settle()
        assert not arrivals.is_whole(being_written)  # created and written, still open
    settle()
    assert arrivals.is_whole(being_written)  # IN_CLOSE_WRITE

    with being_written.open("ab") as handle:  # written again: no longer known to be whole
        handle.write(b"more")
        handle.flush()
        settle()
        assert not arrivals.is_whole(being_written)
    settle()
    assert arrivals.is_whole(being_written)  # closed again

    outside = tmp_path / "готово.xlsx"
    outside.write_bytes(b"PK" * 100)
    renamed = inbox / "переименована.xlsx"
    os.rename(outside, renamed)  # IN_MOVED_TO from a folder that is not watched
    (tmp_path / "копия.xlsx").write_bytes(b"PK" * 200)
    shutil.copy2(tmp_path / "копия.xlsx", inbox / "копия.xlsx")  # its time set after closing
    shutil.copyfile(renamed, inbox / ".файл.xlsx.part")
    os.rename(inbox / ".файл.xlsx.part", inbox / "файл.xlsx")  # a file manager's copy
    (inbox / "~$файл.xlsx").write_bytes(b"\x00lock")  # Excel's lock file: never taken
    settle()
    assert arrivals.is_whole(renamed)
    assert arrivals.is_whole(inbox / "копия.xlsx")
    assert arrivals.is_whole(inbox / "файл.xlsx")
    assert not arrivals.is_whole(inbox / ".файл.xlsx.part")
    assert not arrivals.is_whole(inbox / "~$файл.xlsx")
    assert marked(arrivals) == {"копируется.xlsx", "переименована.xlsx", "копия.xlsx", "файл.xlsx"}

    os.rename(renamed, tmp_path / "унесена.xlsx")  # moved away, then another file by its name
    (inbox / "копия.xlsx").unlink()
    being_written.unlink()
    settle()
    assert marked(arrivals) == {"файл.xlsx"}  # nothing kept of files gone
    with renamed.open("wb") as handle:
        handle.write(b"PK")
        handle.flush()
        settle()
        assert not arrivals.is_whole(renamed)


def test_a_workbook_renamed_in_is_taken_without_the_settle_wait(settings, tmp_path, monkeypatch):
    """A file found at start has no event and waits to settle; one renamed in does not."""
    waited = []
    ready = Settling.ready

    def spy(self, path):
        now = ready(self, path)
        if not now:  # looked at again later: waited for
            waited.append(path.name)
        return now

    monkeypatch.setattr(Settling, "ready", spy)
    book = tmp_path / "пустая.xlsx"
    Workbook().save(book)  # a whole zip, refused by the reader at once (no sheets of ours)
    shutil.copyfile(book, settings.inbox / "до запуска.xlsx")
    watcher = InboxWatcher(settings)
    watcher.start()
    try:
        wait_for(lambda: (settings.failed / "до запуска.xlsx").exists())
        os.rename(book, settings.inbox / "переименована.xlsx")
        wait_for(lambda: (settings.failed / "переименована.xlsx.errors.txt").exists())
    finally:
        watcher.stop()
    assert set(waited) == {"до запуска.xlsx"}
    assert "не принят" in (settings.failed / "переименована.xlsx.errors.txt").read_text("utf-8")


def test_the_polling_observer_keeps_the_settle_wait(settings):
    from dataclasses import replace

    assert InboxWatcher(replace(settings, watch_polling=True)).inbox.settling.known_whole is None
    watcher = InboxWatcher(settings)
    assert watcher.inbox.settling.known_whole == watcher.arrivals.is_whole
