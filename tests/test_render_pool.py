"""Point 5 of issue 11: render workers exit with the process that started them, even after
``kill -9`` (which gives it no chance to stop them)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from service.health import process_identity

STARTER = """
import sys, time
from pathlib import Path
from service.documents import parallel

if __name__ == "__main__":
    assert parallel.prestart(Path(sys.argv[1]), 10_000)
    pool = parallel._executor()
    pool.submit(parallel._noop).result()
    from multiprocessing import forkserver
    pids = [*pool._processes, forkserver._forkserver._forkserver_pid]
    print(*pids, flush=True)
    time.sleep(600)
"""


def test_workers_exit_after_their_owner_is_killed(tmp_path: Path, request):
    from service.config import load_settings

    script = tmp_path / "starter.py"
    script.write_text(STARTER, encoding="utf-8")
    templates = load_settings({"home": tmp_path}).templates_dir
    with subprocess.Popen(
        [sys.executable, str(script), str(templates)], stdout=subprocess.PIPE, text=True
    ) as owner:
        pids = [int(p) for p in owner.stdout.readline().split()]
        request.addfinalizer(lambda: _kill_left(pids))
        assert len(pids) >= 2  # at least one worker and the fork server
        assert all(process_identity(pid) is not None for pid in pids)
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait(timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(process_identity(p) for p in pids):
            time.sleep(0.1)
        assert [p for p in pids if process_identity(p) is not None] == []


def _kill_left(pids: list[int]) -> None:
    """A failed test must not leave its workers running."""
    for pid in pids:
        if process_identity(pid) is not None:
            os.kill(pid, signal.SIGKILL)


def test_a_zombie_or_a_missing_process_has_no_identity():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while process_identity(child.pid) is not None and time.monotonic() < deadline:
        time.sleep(0.05)  # exited, not yet reaped: a zombie
    assert process_identity(child.pid) is None
    child.wait()
    assert process_identity(child.pid) is None
    assert process_identity(os.getpid()) is not None
