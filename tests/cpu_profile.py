"""Where the suite's CPU goes, per test: a pytest plugin, not a test (docs/testing.md, «Time»).

    export PYTHONPATH=. NASTAVNIK_CPU_PROFILE=/tmp/cpu
    .venv/bin/python -m pytest -q -n 2 -p tests.cpu_profile
    .venv/bin/python -m tests.cpu_profile /tmp/cpu-*.json        # the modules, most CPU first

Around each phase (setup, call, teardown) of each test it reads the process's CPU time and
that of its children waited for (``getrusage``: LibreOffice, openssl, pip, a Chromium closed at
the end of its module), the wall time and the main thread's scheduler counters
(``/proc/thread-self/schedstat``): time on a core and time waiting for one. What is left of the
wall time is time the test waited for something else (a process, a thread, a sleep), which a
loaded machine stretches too. Each process writes ``<NASTAVNIK_CPU_PROFILE>-<worker>.json`` at
the end. Not counted: commands forked by tests/cli_server.py (until that server stops), render
pool workers, the PostgreSQL server.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

_tests: dict[str, dict] = {}


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _scheduled() -> tuple[float, float]:
    """The main thread's seconds on a core and waiting for one."""
    try:
        on_core, waiting, _ = Path("/proc/thread-self/schedstat").read_text().split()
    except OSError:  # not Linux
        return 0.0, 0.0
    return int(on_core) / 1e9, int(waiting) / 1e9


def _measured(phase: str, item: pytest.Item) -> Iterator[None]:
    wall, (own, children), (on_core, waiting) = time.monotonic(), _cpu(), _scheduled()
    yield
    own2, children2 = _cpu()
    on_core2, waiting2 = _scheduled()
    elapsed = time.monotonic() - wall
    row = _tests.setdefault(item.nodeid, {"own": 0.0, "children": 0.0, "wall": 0.0})
    row["own"] += own2 - own
    row["children"] += children2 - children
    row["wall"] += elapsed
    row["waited_for_a_core"] = row.get("waited_for_a_core", 0.0) + waiting2 - waiting
    row["blocked"] = row.get("blocked", 0.0) + elapsed - (on_core2 - on_core) - (waiting2 - waiting)
    row[phase] = own2 - own + children2 - children
    row.setdefault("started", time.time() - elapsed)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    return (yield from _measured("setup", item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    return (yield from _measured("call", item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    return (yield from _measured("teardown", item))


def pytest_sessionfinish(session: pytest.Session) -> None:
    prefix = os.environ.get("NASTAVNIK_CPU_PROFILE")
    if not prefix or not _tests:
        return
    own, children = _cpu()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    Path(f"{prefix}-{worker}.json").write_text(
        json.dumps({"own": own, "children": children, "tests": _tests})
    )


def summary(files: list[str], top: int = 40) -> str:
    """The modules of the profiles ``files``, most CPU first."""
    cpu: Counter[str] = Counter()
    setup: Counter[str] = Counter()
    count: Counter[str] = Counter()
    lines = []
    for name in files:
        data = json.loads(Path(name).read_text())
        rows = data["tests"].values()
        lines.append(
            f"{Path(name).name}: {len(rows)} tests, CPU {data['own'] + data['children']:.0f} s "
            f"(in tests {sum(r['own'] + r['children'] for r in rows):.0f} s)"
        )
        for test, row in data["tests"].items():
            module = test.split("::")[0]
            cpu[module] += row["own"] + row["children"]
            setup[module] += row.get("setup", 0.0)
            count[module] += 1
    for module, seconds in cpu.most_common(top):
        lines.append(
            f"{seconds:7.1f} s  setup {setup[module]:5.1f} s  {count[module]:4d}  {module}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(sys.argv[1:]))
