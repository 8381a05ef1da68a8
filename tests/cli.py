"""``python -m service.cli ARGS`` as a process, for the tests of the commands themselves (exit
codes, standard streams, what they leave in the home).

Each command is its own process — its pid, its stdin, stdout and stderr (pipes, as with
``subprocess.run(..., capture_output=True)``), the test's environment, working folder and
umask — forked from a server (``tests/cli_server.py``, one per test process, started on the
first call) that has already imported what the commands import: a new interpreter spent 0.5–1 s
of CPU on that per command, half of the command-line tests' time. What a cold start imports is
tested on its own (``test_cli_imports``, with ``subprocess``), as are commands that run until
stopped (``watch``, ``serve``: ``subprocess.Popen``).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

SERVER = Path(__file__).with_name("cli_server.py")
CHECKOUT = Path(__file__).resolve().parent.parent


class _Server:
    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="nastavnik-cli-")
        self.path = os.path.join(self.folder, "socket")
        self.pid = os.getpid()
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), self.path],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            cwd=CHECKOUT,
        )
        assert self.process.stdout is not None
        ready = self.process.stdout.readline()
        self.process.stdout.close()
        if ready != b"ready\n":
            raise RuntimeError(f"the command server did not start ({self.process.wait()})")

    def stop(self) -> None:
        if os.getpid() != self.pid:
            return
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_server: _Server | None = None
_lock = threading.Lock()


def stop() -> None:
    """Stop this process's server (at the end of the run, ``conftest.pytest_unconfigure``)."""
    global _server
    with _lock:
        if _server is not None:
            _server.stop()
            _server = None


def _started() -> _Server:
    global _server
    with _lock:
        if _server is None or _server.process.poll() is not None:
            _server = _Server()
            atexit.register(_server.stop)
        return _server


def _text(data: bytes) -> str:
    """As ``subprocess.run(..., text=True)`` reads it (UTF-8, universal newlines)."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def nastavnik(
    *args: str,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | str | None = None,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """``python -m service.cli *args`` run to its end, as ``subprocess.run([sys.executable,
    "-m", "service.cli", *args], input=input, env=env, cwd=cwd, capture_output=True,
    text=True, timeout=timeout)`` gives it."""
    server = _started()
    umask = os.umask(0)
    os.umask(umask)
    request = json.dumps(
        {
            "args": list(args),
            "env": dict(os.environ if env is None else env),
            "cwd": str(cwd if cwd is not None else os.getcwd()),
            "umask": umask,
        }
    ).encode()
    stdin_r, stdin_w = os.pipe()
    stdout_r, stdout_w = os.pipe()
    stderr_r, stderr_w = os.pipe()
    output: dict[int, bytes] = {}

    def read(fd: int) -> None:
        with open(fd, "rb") as stream:
            output[fd] = stream.read()

    def write() -> None:
        # a command that reads no input may end before it is written
        with open(stdin_w, "wb") as stream, contextlib.suppress(BrokenPipeError):
            stream.write((input or "").encode("utf-8"))

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(server.path)
        socket.send_fds(conn, [b"!"], [stdin_r, stdout_w, stderr_w])
        conn.sendall(struct.pack("!I", len(request)) + request)
        for fd in (stdin_r, stdout_w, stderr_w):
            os.close(fd)
        threads = [
            threading.Thread(target=read, args=(stdout_r,), daemon=True),
            threading.Thread(target=read, args=(stderr_r,), daemon=True),
            threading.Thread(target=write, daemon=True),
        ]
        for thread in threads:
            thread.start()
        conn.settimeout(timeout)
        replies = conn.makefile("rb")
        pid = int(replies.readline())
        try:
            status = int(replies.readline())
        except TimeoutError:
            os.kill(pid, signal.SIGKILL)
            raise subprocess.TimeoutExpired(["nastavnik", *args], timeout) from None
    for thread in threads:
        thread.join(timeout)
    return subprocess.CompletedProcess(
        [sys.executable, "-m", "service.cli", *args],
        os.waitstatus_to_exitcode(status),
        _text(output.get(stdout_r, b"")),
        _text(output.get(stderr_r, b"")),
    )
