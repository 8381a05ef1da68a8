"""`nastavnik run` as a user starts it: a real process serving HTTP and watching the inbox."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from service.intake.demo import write_demo_workbook


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8")


def test_run_serves_the_page_and_processes_a_dropped_workbook(tmp_path: Path):
    home = tmp_path / "школа"
    port = free_port()
    env = {**os.environ, "NASTAVNIK_HOME": str(home), "NASTAVNIK_PORT": str(port)}
    subprocess.run(
        [sys.executable, "-m", "service.cli", "init"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, page = get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                assert time.monotonic() < deadline, "the web service did not start"
                time.sleep(0.2)
        assert status == 200 and "Пакетов пока нет" in page
        workbook = tmp_path / "Наша школа.xlsx"
        write_demo_workbook(workbook)
        shutil.copyfile(workbook, home / "inbox" / ".part")
        (home / "inbox" / ".part").rename(home / "inbox" / "Наша школа.xlsx")
        deadline = time.monotonic() + 30
        while not (home / "inbox" / "processed" / "Наша школа.xlsx").exists():
            assert time.monotonic() < deadline, "the workbook was not processed"
            time.sleep(0.1)
        status, page = get(f"http://127.0.0.1:{port}/")
        assert "Наша школа.xlsx" in page and "обработан" in page
        batches = [p for p in (home / "outbox").iterdir() if p.is_dir()]
        assert len(batches) == 1 and (batches[0] / "Опись.xlsx").is_file()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
