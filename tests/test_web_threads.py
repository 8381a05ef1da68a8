"""Slow downloads do not hold up the pages: ``nastavnik serve`` ran waitress with four threads,
so four ZIP packs being built from a slow disk (or four previews) left every other request
waiting in the queue. The number of threads is the setting ``web_threads`` (8 by default,
docs/settings.md). Here four pair packs of a real ``nastavnik serve`` are held inside the
server — each pair's programme in the store is a named pipe, which the pack's read waits on
until the test writes the file's bytes into it — and a page asked for meanwhile answers at once.
No sleeps: the test waits for the server to open each pipe, as the pack reads it. (Run with
``NASTAVNIK_WEB_THREADS=4``, the page did not answer within the test's 120 seconds.)"""

from __future__ import annotations

import io
import os
import threading
import urllib.request
import zipfile
from pathlib import Path

from sqlalchemy import select

from service.cli.running import MAX_WEB_THREADS
from service.register.db import session_scope
from service.register.models import Document, Pair
from service.register.users import find_user, issue_api_token
from service.store import FileStore
from tests import cli
from tests.servers import Server

WAIT = 120


class Held:
    """A pair's pack asked for in a thread, its programme's store file a named pipe."""

    def __init__(
        self, server: Server, token: str, pair_id: int, fifo: Path, data: bytes, name: str
    ):
        self.fifo, self.data, self.name = fifo, data, name
        self.answer: tuple[int, bytes] | None = None
        self.writer = None
        self.opened = threading.Event()  # the server opened the pipe, or the download ended
        self.done = threading.Event()
        request = urllib.request.Request(
            f"{server.url}/api/packs/pairs/{pair_id}", headers={"Authorization": f"Bearer {token}"}
        )
        threading.Thread(target=self._download, args=(request,), daemon=True).start()
        threading.Thread(target=self._open_pipe, daemon=True).start()

    def _download(self, request) -> None:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            self.answer = (response.status, response.read())
        self.done.set()
        self.opened.set()  # a pack that never read its pipe does not hold the test

    def _open_pipe(self) -> None:
        # returns when the server opens it to read; closed by release()
        self.writer = open(self.fifo, "wb")  # noqa: SIM115
        self.opened.set()

    def release(self) -> None:
        """The file's bytes into the pipe: the pack reads them and is sent."""
        with self.writer:
            self.writer.write(self.data)


def test_four_slow_packs_leave_a_page_free(web_school):
    settings = web_school.settings
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        token = issue_api_token(s, find_user(s, "curator"))
        pairs = {p.code: p.id for p in s.scalars(select(Pair))}
        programmes = {
            d.subject_label: (d.sha256, d.file_name)
            for d in s.scalars(select(Document).where(Document.kind == "program"))
        }
    assert sorted(pairs) == sorted(programmes) == ["П-01", "П-02", "П-03", "П-04"]
    held_files = {}
    for code, (digest, _) in programmes.items():
        path = store.path_for(digest)
        held_files[code] = (path, path.read_bytes())
        path.unlink()
        os.mkfifo(path, 0o600)
    server = Server(settings.home)  # web_threads not set: the default
    held: list[Held] = []
    try:
        held += [
            Held(server, token, pairs[code], path, data, programmes[code][1])
            for code, (path, data) in held_files.items()
        ]
        for pack in held:
            assert pack.opened.wait(WAIT) and pack.writer is not None, pack.answer
        # four of the server's threads are inside a pack now, reading a pipe nobody writes
        with urllib.request.urlopen(f"{server.url}/login", timeout=WAIT) as page:
            assert page.status == 200
            assert "<h1>Вход</h1>" in page.read().decode()
        assert [pack.answer for pack in held] == [None] * 4  # still held
        for pack in held:
            pack.release()
        for pack in held:
            assert pack.done.wait(WAIT)
            status, body = pack.answer
            assert status == 200
            with zipfile.ZipFile(io.BytesIO(body)) as archive:  # the programme, as stored
                found = [n for n in archive.namelist() if archive.read(n) == pack.data]
            assert found == [pack.name]
    finally:
        server.stop()
        for pack in held:  # a failed test does not leave a pipe open
            if pack.writer is not None and not pack.writer.closed:
                pack.writer.close()


def test_a_thread_count_out_of_bounds_is_refused(settings):
    env = {**os.environ, "NASTAVNIK_HOME": str(settings.home), "NASTAVNIK_WEB_THREADS": "40"}
    done = cli.nastavnik("serve", env=env)
    assert done.returncode == 1
    assert done.stderr == (
        f"Ошибка: Настройка web_threads = 40: укажите число от 1 до {MAX_WEB_THREADS} (каждый "
        "одновременный запрос занимает одно соединение с базой).\n"
    )
