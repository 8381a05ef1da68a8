"""A real ``nastavnik serve`` (waitress) on a free port, for the browser and concurrency tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``nastavnik serve`` for one home, stopped at the end of the test."""

    def __init__(self, home: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "NASTAVNIK_HOME": str(home), "NASTAVNIK_PORT": str(self.port)}
        env["NASTAVNIK_HOST"] = "127.0.0.1"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=2):
                    break
            except OSError:
                assert self.process.poll() is None, "nastavnik serve stopped"
                assert time.monotonic() < deadline, "nastavnik serve did not start"
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
