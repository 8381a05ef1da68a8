"""A throw-away PostgreSQL server for the tests: Debian's ``postgresql`` package (installed by
``make test``), a cluster made by ``initdb`` in a temporary folder, listening on a unix socket
in that folder only (no TCP port, so parallel test runs never meet), stopped and removed at
the end of the session. Run as the ``postgres`` account when the tests run as root (``initdb``
refuses root)."""

from __future__ import annotations

import getpass
import itertools
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg


def _bin_dir() -> Path:
    """The newest installed server's programs (Debian keeps them off PATH)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not found:
        raise RuntimeError(
            "PostgreSQL не установлен: тесты поднимают свой сервер из пакета Debian "
            "«postgresql» (make test ставит его сам: sudo apt-get install postgresql)."
        )
    return found[-1].parent


class PostgresServer:
    """One cluster; :meth:`new_database` gives each test its own empty database."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="nastavnik-pg-"))
        self.data = self.root / "data"
        self.socket = self.root
        self.account = "postgres" if os.geteuid() == 0 else getpass.getuser()
        self._names = itertools.count(1)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(self.account)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", self.account, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{program}: {done.stdout}{done.stderr}")

    def start(self) -> PostgresServer:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--no-locale", "--no-sync")  # fmt: skip
        options = (
            f"-k {self.socket} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")  # fmt: skip
        self._stop_when_orphaned()
        return self

    def _stop_when_orphaned(self) -> None:
        """A killed test run never reaches the fixture's teardown: a small watcher stops the
        server and removes its folder once this process is gone."""
        stop = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
        if os.geteuid() == 0:
            stop = ["runuser", "-u", self.account, "--", *stop]
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 2; done; "
            f'"$@" >/dev/null 2>&1; rm -rf {shlex.quote(str(self.root))}'
        )
        self._watcher = subprocess.Popen(
            ["sh", "-c", script, "sh", *stop],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self._watcher.kill()
            self._watcher.wait()

    def url(self, database: str = "postgres") -> str:
        """An SQLAlchemy URL (psycopg 3) to ``database`` over the unix socket."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket}"

    def new_database(self, template: str = "template0") -> str:
        """A new database (as a municipality gives each school one), empty or a copy of the
        database ``template`` (which nobody may be connected to); its URL."""
        name = f"school_{next(self._names)}"
        with psycopg.connect(
            host=str(self.socket), user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)
