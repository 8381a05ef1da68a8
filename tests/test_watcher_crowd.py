"""Many files dropped into the inbox at once: the waits are side by side, not in a queue.

Each workbook that is not yet a whole zip is given ``damaged_wait_seconds`` (5 s) more before
it is called damaged. Those waits were taken one file after another, the good workbook dropped
with them waiting behind: 2,000 such files kept the inbox busy for about three hours. The clock
here is a counted one (it moves only when the inbox waits), so nothing depends on the machine's
speed."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import replace
from types import SimpleNamespace

from service import settling
from service.inbox import Inbox
from service.pipeline import Outcome
from tests import test_watcher

demo = test_watcher.demo  # the demo workbook (a fixture)

DAMAGED = 30


class CountedClock:
    """``time`` for the inbox: ``monotonic`` moves only by the waits asked of it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_good_workbook_is_not_kept_waiting_behind_damaged_ones(settings, demo, monkeypatch):
    crowd = replace(settings, settle_seconds=0.05, damaged_wait_seconds=5.0)
    long_ago = time.time() - 3600
    names = [f"битый {n:02d}.xlsx" for n in range(1, DAMAGED + 1)]
    for n, name in enumerate(names):
        path = crowd.inbox / name
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 5000)
        os.utime(path, (long_ago + n, long_ago + n))  # older than the good one: taken first
    shutil.copyfile(demo, crowd.inbox / "Школа.xlsx")

    clock = CountedClock()
    monkeypatch.setattr(
        settling,
        "time",
        SimpleNamespace(monotonic=clock.monotonic, sleep=clock.sleep, time=time.time),
    )
    results: list[tuple[str, Outcome, float]] = []
    inbox = Inbox(crowd, lambda path, r: results.append((path.name, r.outcome, clock.now)))
    inbox.stop.wait = lambda timeout=None: clock.sleep(timeout or 0) or inbox.stop.is_set()

    assert inbox.drain() == DAMAGED + 1
    assert [(name, outcome) for name, outcome, _ in results] == [
        ("Школа.xlsx", Outcome.DONE),
        *((name, Outcome.REJECTED) for name in names),
    ]
    # the good one at once; every damaged one after its own wait, all of them waited together
    started = 1000.0
    good_at = results[0][2] - started
    damaged_at = [at - started for _, _, at in results[1:]]
    assert good_at < 1.0
    assert min(damaged_at) >= 5.0 and max(damaged_at) < 10.0
    assert sorted(os.listdir(crowd.processed)) == ["Школа.xlsx"]
    for name in names:
        assert "Файл повреждён" in (crowd.failed / f"{name}.errors.txt").read_text("utf-8")
