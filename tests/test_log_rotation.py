"""``var/nastavnik.log`` is rotated by size and kept to a bounded number of files (the settings
``log_max_mb`` and ``log_files``; it grew without end before), and the processes that append to
it at once (``serve``, ``watch``, a command) neither lose nor repeat a record when one of them
rotates it (service/logfile.py). Real processes writing a real file; nothing is mocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from service.logfile import MB

SETUP = """
import logging, sys
from service.cli.common import setup_logging
from service.config import load_settings
setup_logging(load_settings({"home": sys.argv[1]}))
logging.getLogger("nastavnik").info("новая запись")
"""

WRITER = """
import logging, sys
from service.logfile import SharedRotatingFileHandler
handler = SharedRotatingFileHandler(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
handler.setFormatter(logging.Formatter("%(message)s"))
log = logging.getLogger("w")
log.addHandler(handler)
log.propagate = False
print("ready", flush=True)
sys.stdin.read(1)  # both processes start writing together
for n in range(int(sys.argv[5])):
    log.warning("%s запись %04d", sys.argv[4], n)
"""


def test_a_full_log_is_rotated_and_the_oldest_file_dropped(settings):
    """At ``log_max_mb`` the next record starts a new file; ``log_files`` = 3 keeps
    nastavnik.log, .1 and .2: the old .2 is gone, nothing else is."""
    (settings.home / "nastavnik.toml").write_text("log_max_mb = 1\nlog_files = 3\n")
    log = settings.log_file
    full = "".join(f"старая запись {n:06d}\n" for n in range(MB // 28 + 1)).encode()
    assert len(full) > MB
    log.write_bytes(full)
    log.with_name("nastavnik.log.1").write_text("вчерашняя\n")
    log.with_name("nastavnik.log.2").write_text("позавчерашняя\n")
    done = subprocess.run(
        [sys.executable, "-c", SETUP, str(settings.home)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith(" INFO nastavnik: новая запись\n")
    assert log.read_text(encoding="utf-8") == done.stderr  # the same line, in a new file
    assert log.with_name("nastavnik.log.1").read_bytes() == full
    assert log.with_name("nastavnik.log.2").read_text() == "вчерашняя\n"
    assert sorted(p.name for p in log.parent.glob("nastavnik.log*")) == [
        "nastavnik.log",
        "nastavnik.log.1",
        "nastavnik.log.2",
        "nastavnik.log.lock",
    ]


def test_two_processes_rotating_one_log_lose_and_repeat_nothing(tmp_path):
    """Two processes write 400 records each into one log of 2,000-byte files at the same time:
    every record is in exactly one file, in its own order, and no file has more than the limit
    and the one record another process wrote beside it. (With the standard library's handler
    alone each process rotates by its own position, so files renamed under a process take its
    later records, and they were found in older files than earlier ones.)"""
    path, limit, records = tmp_path / "nastavnik.log", 2000, 400
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(limit), "100", name, str(records)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        for name in ("первый", "второй")
    ]
    for writer in writers:
        assert writer.stdout.readline() == "ready\n"
    for writer in writers:
        writer.stdin.write("x")
        writer.stdin.close()
    for writer in writers:
        assert writer.wait(timeout=120) == 0
        writer.stdout.close()
    files = sorted(
        (p for p in tmp_path.glob("nastavnik.log*") if not p.name.endswith(".lock")),
        key=lambda p: -int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0,
    )  # the oldest first
    lines = [line for p in files for line in p.read_text(encoding="utf-8").splitlines()]
    record = len("второй запись 0000\n".encode())
    for name in ("первый", "второй"):
        assert [x for x in lines if x.startswith(name)] == [
            f"{name} запись {n:04d}" for n in range(records)
        ]
    assert len(lines) == 2 * records
    assert len(files) >= 2 * records * record // limit
    assert all(p.stat().st_size <= limit + record for p in files), [p.stat().st_size for p in files]
