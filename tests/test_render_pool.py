"""Point 5 of issue 11: render workers exit with the process that started them, even after
``kill -9`` (which gives it no chance to stop them) — started by the fork server (the watcher,
the web service) or forked at the start of ``nastavnik process`` (issue 15)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service.health import process_identity

STARTER = """
import os, sys, time
from pathlib import Path
from service.documents import parallel

if __name__ == "__main__":
    if sys.argv[2] == "fork":  # as `nastavnik process` starts them
        assert parallel.fork_workers(Path(sys.argv[1]))
    else:
        assert parallel.prestart(Path(sys.argv[1]), 10_000)
    pool = parallel._executor()
    pool.submit(parallel._noop).result()
    pids = [*pool._processes]
    if sys.argv[2] == "fork":
        parents = {int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
                   for pid in pids}
        assert parents == {os.getpid()}, parents  # forked by this process itself
    else:
        from multiprocessing import forkserver
        pids.append(forkserver._forkserver._forkserver_pid)
    print(*pids, flush=True)
    time.sleep(600)
"""


@pytest.mark.parametrize("method", ["forkserver", "fork"])
def test_workers_exit_after_their_owner_is_killed(tmp_path: Path, request, method: str):
    from service.config import load_settings

    script = tmp_path / "starter.py"
    script.write_text(STARTER, encoding="utf-8")
    templates = load_settings({"home": tmp_path}).templates_dir
    with subprocess.Popen(
        [sys.executable, str(script), str(templates), method], stdout=subprocess.PIPE, text=True
    ) as owner:
        pids = [int(p) for p in owner.stdout.readline().split()]
        request.addfinalizer(lambda: _kill_left(pids))
        # at least one worker, and the fork server if it started them
        assert len(pids) >= (2 if method == "forkserver" else 1)
        assert all(process_identity(pid) is not None for pid in pids)
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait(timeout=10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(process_identity(p) for p in pids):
            time.sleep(0.1)
        assert [p for p in pids if process_identity(p) is not None] == []


def _kill_left(pids: list[int]) -> None:
    """A failed test must not leave its workers running."""
    for pid in pids:
        if process_identity(pid) is not None:
            os.kill(pid, signal.SIGKILL)


def process_demo(tmp_path: Path, prefix: list[str] | None = None) -> tuple[subprocess.Popen, str]:
    """``nastavnik -v process`` of the demo school in a new home (run under ``prefix``):
    the finished process and its log."""
    from service.intake.demo import write_demo_workbook

    workbook = tmp_path / "школа.xlsx"
    write_demo_workbook(workbook)
    command = [*(prefix or []), sys.executable, "-m", "service.cli", "-v"]
    with subprocess.Popen(
        [*command, "--home", str(tmp_path / "home"), "process", str(workbook)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as owner:
        _, log = owner.communicate(timeout=120)
    assert owner.returncode == 0, log
    return owner, log


def test_process_renders_a_small_school_in_a_worker_it_forked(tmp_path: Path):
    """``nastavnik process`` forks its render worker at its start (issue 15): even the demo
    school's 36 documents go to it — a child of the command's own process (a worker of the
    fork server would be the server's child), the worker that said it was ready. The command's
    process renders the chunks the worker has not started when it would otherwise wait
    (``share``), so it may appear beside the worker, never another process. The log has no
    library chatter (it had a line per name declined, hundreds for a school)."""
    owner, log = process_demo(tmp_path)
    ready = re.findall(r"процесс отрисовки (\d+) готов \(его запустил процесс (\d+)\)", log)
    assert len(ready) == 1, log
    worker, parent = (int(pid) for pid in ready[0])
    assert parent == owner.pid != worker
    (said,) = re.findall(r"документы отрисованы процессами \(номер — документов\): (.*)", log)
    rendered = {int(pid): int(count) for pid, count in re.findall(r"(\d+) — (\d+)", said)}
    assert rendered[worker] > 0
    assert set(rendered) <= {worker, owner.pid}
    assert sum(rendered.values()) == 36
    # the worker, idle until the documents come, read the workbook's sheets while the command
    # made the home, and made the outbox's inventory while the command wrote the batch's rows
    assert re.findall(r"(\w+) выполнено процессом (\d+)", log) == [
        ("read_sheets", str(worker)),
        ("inventory_xlsx", str(worker)),
    ]
    # ``-v`` says what the service does, not each name the grammar library declines
    assert "pytrovich" not in log


def test_a_zombie_or_a_missing_process_has_no_identity():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while process_identity(child.pid) is not None and time.monotonic() < deadline:
        time.sleep(0.05)  # exited, not yet reaped: a zombie
    assert process_identity(child.pid) is None
    child.wait()
    assert process_identity(child.pid) is None
    assert process_identity(os.getpid()) is not None


def test_a_process_limited_to_one_core_renders_alone(tmp_path: Path):
    """A container or `taskset` giving the service one core of a larger host: no worker is
    forked (it would only take turns with the command on that core), every document is
    rendered by the command itself. The pool was sized by the host's cores before."""
    _, log = process_demo(tmp_path, ["taskset", "-c", "0"])
    assert "процесс отрисовки" not in log
    limited = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-c"]
        + ["from service.documents import parallel; print(parallel.cores(), parallel.workers())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert limited.stdout == "1 1\n"


BESIDE = """
import os, signal, sys, time
from pathlib import Path
from service.documents import parallel

if __name__ == "__main__":
    assert parallel.fork_workers(Path(sys.argv[1]))
    workers = set(parallel._executor()._processes)
    print(parallel.run_beside(os.getpid)() in workers, flush=True)
    parallel._executor().submit(time.sleep, 60)  # the worker is busy, then killed
    answer = parallel.run_beside(os.getpid)
    for worker in workers:
        os.kill(worker, signal.SIGKILL)
    print(answer() == os.getpid(), flush=True)  # the call made here instead
    print(parallel.run_beside(os.getpid)() == os.getpid(), flush=True)  # no pool to send to
"""


WATCHER_BESIDE = """
import os, sys
from pathlib import Path
from service.documents import parallel


def imported(name):
    return name in sys.modules


if __name__ == "__main__":
    assert parallel.start(Path(sys.argv[1]))  # the watcher's pool: from the fork server
    workers = set(parallel._executor()._processes)
    print(parallel.run_beside(os.getpid)() in workers, flush=True)
    print(parallel._executor().submit(imported, "openpyxl").result(), flush=True)
"""


def test_the_watchers_worker_makes_the_inventory_beside(tmp_path: Path):
    """The watcher's pool (started by the fork server, not forked) does what ``run_beside``
    is given too: a 60-pair school's inventory (40–70 ms of openpyxl) cost the pipeline's
    process while its worker stood idle. The worker has openpyxl imported when it starts, so
    the first batch's inventory does not wait for the import."""
    from service.config import load_settings

    script = tmp_path / "watcher_beside.py"
    script.write_text(WATCHER_BESIDE, encoding="utf-8")
    templates = load_settings({"home": tmp_path}).templates_dir
    done = subprocess.run(
        [sys.executable, str(script), str(templates)], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout) == (0, "True\nTrue\n"), done.stderr


def test_what_the_worker_does_beside_is_done_here_when_it_dies(tmp_path: Path):
    """``run_beside`` (``nastavnik process`` has its worker read the workbook and make the
    inventory): a worker killed before it answers does not lose the call — it is made in the
    calling process — and a broken pool is not sent more."""
    from service.config import load_settings

    script = tmp_path / "beside.py"
    script.write_text(BESIDE, encoding="utf-8")
    templates = load_settings({"home": tmp_path}).templates_dir
    done = subprocess.run(
        [sys.executable, str(script), str(templates)], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout) == (0, "True\nTrue\nTrue\n"), done.stderr
    assert "процесс отрисовки не выполнил getpid" in done.stderr
