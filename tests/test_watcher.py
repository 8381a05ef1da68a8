"""The folder watcher end to end in a temporary home: real folders, real events."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from service.inbox import Inbox, is_ignored
from service.intake.demo import write_demo_workbook
from service.watcher import InboxWatcher


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def drop(source: Path, inbox: Path, name: str) -> Path:
    """Copy like a file manager does: a temporary name, then a rename into the inbox."""
    partial = inbox / f".{name}.part"
    shutil.copyfile(source, partial)
    target = inbox / name
    partial.rename(target)
    return target


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.xlsx"
    write_demo_workbook(path)
    return path


@pytest.fixture(params=[False, True], ids=["inotify", "polling"])
def running(request, settings):
    from dataclasses import replace

    s = replace(settings, watch_polling=request.param)
    watcher = InboxWatcher(s)
    yield s, watcher
    watcher.stop()


def test_drop_corrupt_lock_duplicate_and_file_present_before_start(running, demo):
    settings, watcher = running
    inbox = settings.inbox
    # dropped while the service was down
    shutil.copyfile(demo, inbox / "до запуска.xlsx")
    (inbox / "~$до запуска.xlsx").write_bytes(b"\x00lock")  # Excel's lock file
    watcher.start()
    wait_for(lambda: (settings.processed / "до запуска.xlsx").exists())
    batches = [p for p in settings.outbox.iterdir() if p.is_dir()]
    assert len(batches) == 1
    assert (batches[0] / "manifest.json").is_file()
    assert (batches[0] / "Приказ об утверждении наставников и наставнических пар.docx").is_file()

    # a corrupt workbook goes to failed/ with its report; the watcher keeps running
    (inbox / "битый.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    wait_for(lambda: (settings.failed / "битый.xlsx").exists())
    report = (settings.failed / "битый.xlsx.errors.txt").read_text(encoding="utf-8")
    assert "не принят" in report

    # a file that is not a workbook at all
    (inbox / "письмо.docx").write_bytes(b"hello")
    wait_for(lambda: (settings.failed / "письмо.docx.errors.txt").exists())

    # the same content again under another name: not processed twice
    drop(demo, inbox, "повтор.xlsx")
    # the name in processed/ is reserved before the note is written: wait for the inbox
    wait_for(lambda: not (inbox / "повтор.xlsx").exists())
    assert (settings.processed / "повтор.xlsx.повтор.txt").is_file()
    assert len([p for p in settings.outbox.iterdir() if p.is_dir()]) == 1

    # the lock file is never touched
    assert (inbox / "~$до запуска.xlsx").exists()
    assert not (settings.failed / "~$до запуска.xlsx").exists()
    leftovers = [p.name for p in inbox.iterdir() if p.is_file()]
    assert leftovers == ["~$до запуска.xlsx"]


def warm_then_stop(settings) -> None:
    """Start a watcher, wait until its warm-up froze what it loaded, and stop it."""
    import gc

    watcher = InboxWatcher(settings)
    watcher.start()
    try:
        wait_for(lambda: gc.get_freeze_count() > 10_000)
    finally:
        watcher.stop()


def test_what_the_watcher_warmed_is_frozen_until_it_stops(settings):
    """After its warm-up the watcher hides what it loaded from the garbage collector's full
    passes (they walked it again in every batch), and gives it back when it stops."""
    import gc

    warm_then_stop(settings)
    assert gc.get_freeze_count() == 0


def test_the_watcher_starts_its_render_workers_while_it_warms_up(settings):
    """A school dropped into a running watcher is rendered by workers started beforehand
    (this machine has more than one core), not by a pool started for a large batch only."""

    from service.documents import parallel

    parallel.shutdown()
    warm_then_stop(settings)
    assert (parallel._pool is not None) is (parallel.cores() > 1)


def test_burst_mode_drains_the_inbox(settings, demo):
    shutil.copyfile(demo, settings.inbox / "a.xlsx")
    (settings.inbox / "b.xlsx").write_bytes(b"")
    handled = Inbox(settings).drain()
    assert handled == 2
    assert (settings.processed / "a.xlsx").exists()
    assert (settings.failed / "b.xlsx").exists()


def test_a_crash_half_way_is_picked_up_at_the_next_start(
    settings, demo, monkeypatch, rendered_here
):
    from service import versions

    shutil.copyfile(demo, settings.inbox / "школа.xlsx")

    def die(*args, **kwargs):  # the process dies in the middle of rendering
        raise SystemExit("killed")

    monkeypatch.setattr(versions, "render_document", die)
    with pytest.raises(SystemExit):
        Inbox(settings).drain()
    assert (settings.inbox / "школа.xlsx").exists()  # not lost, not moved
    assert not [p for p in settings.outbox.iterdir() if p.is_dir()]
    monkeypatch.undo()
    assert Inbox(settings).drain() == 1
    assert (settings.processed / "школа.xlsx").exists()


def test_a_name_already_in_processed_is_not_overwritten(settings, demo, tmp_path):
    other = tmp_path / "other.xlsx"
    write_demo_workbook(other)
    shutil.copyfile(demo, settings.inbox / "книга.xlsx")
    Inbox(settings).drain()
    (settings.processed / "книга.xlsx").write_bytes(b"original")
    shutil.copyfile(demo, settings.inbox / "книга.xlsx")
    Inbox(settings).drain()
    assert (settings.processed / "книга.xlsx").read_bytes() == b"original"
    assert (settings.processed / "книга (2).xlsx").exists()


@pytest.mark.parametrize(
    "name,ignored",
    [
        ("~$книга.xlsx", True),
        (".книга.xlsx", True),
        (".~lock.книга.xlsx#", True),
        ("книга.xlsx.tmp", True),
        ("книга.xlsx", False),
        ("Книга.XLSX", False),
    ],
)
def test_lock_hidden_and_temporary_files_are_ignored(name, ignored):
    assert is_ignored(name) is ignored


def test_a_very_long_name_still_leaves_the_inbox(settings, demo):
    name = "Я" * 120 + ".xlsx"  # 245 bytes: a note beside it would pass the 255-byte limit
    shutil.copyfile(demo, settings.inbox / name)
    shutil.copyfile(demo, settings.inbox / ("Ю" * 120 + ".xlsx"))  # same content: a repeat
    assert Inbox(settings).drain() == 2
    assert not [p for p in settings.inbox.iterdir() if p.is_file()]
    moved = [p.name for p in settings.processed.iterdir()]
    assert sum(1 for n in moved if n.endswith(".xlsx")) == 2
    assert any(n.endswith(".повтор.txt") for n in moved)


def test_names_are_reserved_atomically(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from service.placing import reserve_name

    with ThreadPoolExecutor(8) as pool:
        names = list(pool.map(lambda _: reserve_name(tmp_path, "книга.xlsx"), range(50)))
    assert len(set(names)) == 50
