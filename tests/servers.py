"""A real ``nastavnik serve`` (waitress) on a free port, for the browser and concurrency tests."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from tests import cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``nastavnik serve`` for one home, stopped at the end of the test."""

    def __init__(self, home: Path, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **(env or {}), "NASTAVNIK_HOME": str(home)}
        env["NASTAVNIK_PORT"] = str(self.port)
        env["NASTAVNIK_HOST"] = "127.0.0.1"
        self.process = cli.Command(
            "serve", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
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


class AppServer:
    """What ``nastavnik serve`` runs — the home initialised, ``create_app`` and waitress with
    ``web_threads`` threads on a free port — inside the test process, for the browser tests
    that only need a school's web office: starting a ``nastavnik serve`` process costs about
    1.5 s of CPU (its imports) per test. ``Server`` above keeps the command itself under test
    (upload, the curator's pages, concurrency)."""

    def __init__(self, home: Path):
        from waitress import create_server

        from service.config import load_settings
        from service.home import initialise_home
        from service.web import create_app

        settings = load_settings({"home": home, "host": "127.0.0.1", "port": 0})
        initialise_home(settings)
        self.app = create_app(settings)
        self.server = create_server(
            self.app, host="127.0.0.1", port=0, threads=settings.web_threads, ident="nastavnik"
        )
        self.port = self.server.effective_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="nastavnik-serve")
        self.thread.start()

    def _serve(self) -> None:
        """waitress's own loop, in short rounds so that :meth:`stop` ends it from this thread
        (closing its sockets from another thread breaks the select under it)."""
        from waitress import wasyncore

        while not self._stopping.is_set():
            wasyncore.loop(timeout=0.05, map=self.server._map, count=1)
        self.server.task_dispatcher.shutdown()
        wasyncore.close_all(self.server._map)

    def stop(self) -> None:
        self._stopping.set()
        self.thread.join(timeout=15)
