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
import select
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


class Command:
    """``python -m service.cli ARGS`` started and left running, as ``subprocess.Popen`` starts
    it (the same arguments for the streams: ``subprocess.PIPE``, ``subprocess.DEVNULL``,
    ``subprocess.STDOUT`` for stderr, None for the test's own; ``text`` for text pipes;
    ``start_new_session``), with the parts of
    ``Popen`` the tests use: ``pid``, ``stdout``/``stderr``, ``poll``, ``wait``,
    ``communicate``, ``send_signal``/``terminate``/``kill``, ``returncode``, ``with``."""

    def __init__(
        self,
        *args: str,
        env: Mapping[str, str] | None = None,
        cwd: Path | str | None = None,
        stdin: int | None = None,
        stdout: int | None = None,
        stderr: int | None = None,
        text: bool = False,
        start_new_session: bool = False,
    ) -> None:
        server = _started()
        umask = os.umask(0)
        os.umask(umask)
        self.args = [sys.executable, "-m", "service.cli", *args]
        self.returncode: int | None = None
        request = json.dumps(
            {
                "args": list(args),
                "env": dict(os.environ if env is None else env),
                "cwd": str(cwd if cwd is not None else os.getcwd()),
                "umask": umask,
                "new_session": start_new_session,
            }
        ).encode()
        given: list[int] = []  # the command's ends, closed here once sent
        ours: list[object] = []
        for number, how in enumerate((stdin, stdout, stderr)):
            if how == subprocess.PIPE:
                read_end, write_end = os.pipe()
                mine, theirs = (write_end, read_end) if number == 0 else (read_end, write_end)
                mode = ("w" if number == 0 else "r") + ("" if text else "b")
                stream = open(mine, mode, encoding="utf-8" if text else None)  # noqa: SIM115
                ours.append(stream)
                given.append(theirs)
            elif how == subprocess.STDOUT and number == 2:
                ours.append(None)
                given.append(os.dup(given[1]))
            else:
                ours.append(None)
                if how == subprocess.DEVNULL:
                    given.append(os.open(os.devnull, os.O_RDWR))
                else:
                    given.append(os.dup(number))
        self.stdin, self.stdout, self.stderr = ours
        self._conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._conn.connect(server.path)
            socket.send_fds(self._conn, [b"!"], given)
            self._conn.sendall(struct.pack("!I", len(request)) + request)
        finally:
            for fd in given:
                os.close(fd)
        self._replies = b""
        self.pid = int(self._reply())

    def _reply(self) -> bytes:
        """The server's next line (the command's pid, then its wait status)."""
        while b"\n" not in self._replies:
            data = self._conn.recv(64)
            if not data:
                raise RuntimeError("the command server went away")
            self._replies += data
        line, self._replies = self._replies.split(b"\n", 1)
        return line

    def _status(self, timeout: float | None) -> int | None:
        if self.returncode is None:
            if b"\n" not in self._replies:
                ready, _, _ = select.select([self._conn], [], [], timeout)
                if not ready:
                    return None
            self.returncode = os.waitstatus_to_exitcode(int(self._reply()))
            self._conn.close()
        return self.returncode

    def poll(self) -> int | None:
        return self._status(0)

    def wait(self, timeout: float | None = None) -> int:
        code = self._status(timeout)
        if code is None:
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return code

    def communicate(
        self, input: str | bytes | None = None, timeout: float | None = None
    ) -> tuple[object, object]:
        """Write ``input``, read both pipes to their end, wait (as ``Popen.communicate``)."""
        output: dict[str, object] = {}

        def read(name: str, stream) -> None:
            output[name] = stream.read()
            stream.close()

        def write() -> None:
            with self.stdin, contextlib.suppress(BrokenPipeError):  # it may end first
                if input:
                    self.stdin.write(input)

        threads = [
            threading.Thread(target=read, args=(name, stream), daemon=True)
            for name, stream in (("stdout", self.stdout), ("stderr", self.stderr))
            if stream is not None
        ]
        if self.stdin is not None:
            threads.append(threading.Thread(target=write, daemon=True))
        for thread in threads:
            thread.start()
        try:
            self.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        for thread in threads:
            thread.join(timeout)
        return output.get("stdout"), output.get("stderr")

    def send_signal(self, number: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, number)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def __enter__(self) -> Command:
        return self

    def __exit__(self, *exc: object) -> None:
        for stream in (self.stdin, self.stdout, self.stderr):
            if stream is not None:
                stream.close()
        self.wait()


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
    command = Command(
        *args,
        env=env,
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = command.communicate((input or "").encode("utf-8"), timeout)
    assert isinstance(out, bytes) and isinstance(err, bytes)
    return subprocess.CompletedProcess(command.args, command.wait(), _text(out), _text(err))
