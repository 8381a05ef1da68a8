"""The server behind :func:`tests.cli.nastavnik`: a Python that has imported what the commands
import, and forks one process per command. Run as ``python tests/cli_server.py SOCKET``.

A command started this way is a process of its own (its pid, its standard streams, exit code,
environment, working folder and umask, the ones the test gave) that skips the 0.5–1 s of CPU
a new interpreter spends importing SQLAlchemy, pyHanko, openpyxl and docxtpl. The server only
imports: it opens no database, starts no thread and keeps no state of a command.

Per connection the server forks a supervisor, which receives the request and the three
descriptors, forks the command and reports its pid, then its wait status (so that a command
killed by a signal is reported as ``subprocess`` reports one); the server waits for its
supervisors, so that the commands' CPU time counts in the test run's.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import signal
import socket
import struct
import sys

PRELOAD = (
    "service.cli",
    "service.cli.archive",
    "service.cli.documents",
    "service.cli.home",
    "service.cli.intake",
    "service.cli.running",
    "service.cli.signers",
    "service.cli.signing",
    "service.cli.templates",
    "service.cli.users",
    "service.pipeline",
    "service.register.db",
    "service.register.models",
    "service.signing.signers",
    "service.signing.workflow",
    "sqlalchemy.orm",
    "openpyxl",
    "docxtpl",
    "jinja2",
    "alembic.command",
)
"""Imported once here; a command imports whatever else it needs itself."""


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _command(request: dict, fds: list[int]) -> None:
    """In the command's process: its streams, folder, umask and environment, then
    ``python -m service.cli ARGS`` as the interpreter runs it; never returns."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    if request.get("new_session"):
        os.setsid()
    os.chdir(request["cwd"])
    os.umask(request["umask"])
    os.environ.clear()
    os.environ.update(request["env"])
    import time

    time.tzset()
    sys.path[0] = os.getcwd()  # as ``python -m`` sets it
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(
        io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8"
    )
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8"
    )
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
        encoding="utf-8",
        errors="backslashreplace",
        line_buffering=True,
    )
    sys.argv = ["-m", *request["args"]]
    code: object = 0
    try:
        import runpy

        runpy.run_module("service.cli", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    import atexit
    import threading

    threading._shutdown()  # type: ignore[attr-defined]  # as the interpreter ends: threads
    atexit._run_exitfuncs()  # then the exit functions
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        code = 120
    os._exit(code)


def _supervise(conn: socket.socket) -> None:
    """In the supervisor: receive the request, fork the command, report its pid and status."""
    _, fds, _, _ = socket.recv_fds(conn, 1, 3)
    (size,) = struct.unpack("!I", _read_exactly(conn, 4))
    request = json.loads(_read_exactly(conn, size))
    pid = os.fork()
    if pid == 0:
        conn.close()
        _command(request, fds)
    for fd in fds:
        os.close(fd)
    conn.sendall(f"{pid}\n".encode())
    _, status = os.waitpid(pid, 0)
    conn.sendall(f"{status}\n".encode())
    conn.close()


def _stop(*_: object) -> None:
    raise SystemExit(0)


def _reap(flags: int) -> None:
    """Wait for the supervisors that ended (all of them with ``flags`` 0): waited for, their
    CPU time — and their commands' — counts in this process's children's, and so in the
    test run's (``/usr/bin/time``), as a command started by ``subprocess`` does."""
    while True:
        try:
            pid, _ = os.waitpid(-1, flags)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main(path: str) -> None:
    import ctypes

    # ended with the test process that started it, even one that ends without its atexit
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    for name in PRELOAD:
        importlib.import_module(name)
    signal.signal(signal.SIGTERM, _stop)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    print("ready", flush=True)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the client stops reading after «ready»
    try:
        while True:
            conn, _ = listener.accept()
            _reap(os.WNOHANG)
            if os.fork() == 0:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                listener.close()
                try:
                    _supervise(conn)
                finally:
                    os._exit(0)
            conn.close()
    finally:
        _reap(0)


if __name__ == "__main__":
    sys.path[0] = os.getcwd()  # the checkout, as for ``python -m`` run there
    main(sys.argv[1])
