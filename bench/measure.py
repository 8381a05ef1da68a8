"""Measuring helpers: wall time and peak memory of a child process tree, percentiles, and
what machine the figures come from."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

BIN = Path(sys.executable).parent
NASTAVNIK = BIN / "nastavnik"


@dataclass
class ChildRun:
    """One measured child process."""

    command: list[str]
    returncode: int
    wall_s: float
    tree_peak_mb: float
    """Peak of the sum of RSS over the process and all its descendants (sampled every 20 ms;
    pages a forked worker shares with its parent count in both: an upper bound)."""
    tree_pss_peak_mb: float
    """Peak of the sum of PSS (shared pages split between the processes sharing them): the
    memory the tree actually holds. Sampled every 100 ms."""
    max_process_mb: float
    """Largest RSS of any single process of the tree (sampled)."""
    output: str
    high_water_mb: float = 0.0
    """The kernel's high-water mark of resident memory (``ru_maxrss`` from ``wait4``): the
    largest of the process and its descendants that it waited for; exact, not sampled."""
    cpu_s: float = 0.0
    """User and system CPU time of the process and the descendants it waited for (``wait4``):
    what the run cost whatever else the machine was doing."""


def _pss(pid: int) -> int:
    """Proportional set size of ``pid`` in bytes (0 if unknown)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return 0
    return 0


def _tree(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def _rss(members: list[psutil.Process]) -> list[int]:
    sizes = []
    for member in members:
        try:
            sizes.append(member.memory_info().rss)
        except psutil.Error:
            continue
    return sizes


def run_child(
    command: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> ChildRun:
    """Run ``command``, sampling the memory of its process tree until it exits."""
    handle, name = tempfile.mkstemp(prefix="bench-child-", suffix=".log")
    log = Path(name)
    with os.fdopen(handle, "wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        watched = psutil.Process(proc.pid)
        peak = pss_peak = single = 0
        status, samples, usage = 0, 0, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            members = _tree(watched)
            sizes = _rss(members)
            peak = max(peak, sum(sizes))
            single = max([single, *sizes])
            if samples % 5 == 0:
                pss_peak = max(pss_peak, sum(_pss(m.pid) for m in members))
            samples += 1
            time.sleep(0.02)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    output = log.read_text(encoding="utf-8", errors="replace")
    log.unlink(missing_ok=True)
    return ChildRun(
        command=[str(c) for c in command],
        returncode=proc.returncode,
        wall_s=wall,
        tree_peak_mb=peak / 2**20,
        tree_pss_peak_mb=pss_peak / 2**20,
        max_process_mb=single / 2**20,
        output=output,
        high_water_mb=(usage.ru_maxrss / 1024) if usage is not None else 0.0,
        cpu_s=(usage.ru_utime + usage.ru_stime) if usage is not None else 0.0,
    )


_SET_ASIDE: list[Path] = []


def set_aside(home: Path) -> None:
    """Done with a measured home: removed by :func:`remove_set_aside` once the section's
    timing is over, not now.

    On a file system without a journal — the ext4 of the machine the bench ran on in December
    — a new file skips every inode of its block group freed less than a minute ago (six while
    that part of the inode table is unwritten), each skip a look-up in the kernel: with three
    240-pair homes (about 3,500 files each) removed just before, a 60-pair drop's 1,000 new
    files cost up to a second of system CPU more, in the measured processes. Removing each
    home at once made every measurement of a section pay for the ones before it
    (docs/performance.md, «Issue 15 on 3 December, night»). The files are kept whole:
    emptying them dirties the inode table, where an unwritten part keeps the freed inodes
    beside them «recent» for six minutes (drops after emptied homes measured no better). The
    targets section keeps about 5 GB until it ends; a home set aside in a child process
    (``bench.child``) stays until the run removes its folder."""
    _SET_ASIDE.append(home)


def remove_set_aside() -> None:
    """Remove the homes :func:`set_aside` kept."""
    while _SET_ASIDE:
        shutil.rmtree(_SET_ASIDE.pop(), ignore_errors=True)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> dict[str, object]:
    """Cores, memory, CPU model, OS and Python of this machine."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": model,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


class Timer:
    """``with Timer() as t: …`` then ``t.seconds``."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def run_parallel(commands: list[list[str]], width: int) -> tuple[float, list[ChildRun]]:
    """Run ``commands`` ``width`` at a time; returns the total wall time and every run."""
    runs: list[ChildRun | None] = [None] * len(commands)
    queue = list(enumerate(commands))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                index, command = queue.pop(0)
            runs[index] = run_child(command)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(width)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, [r for r in runs if r is not None]
