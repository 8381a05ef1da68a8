"""A curator's or inspector's ZIP pack resumes where a broken download stopped. Before, a pack
was built in memory on each request, its members dated now and its ПРОВЕРКА.txt «выгружен» now,
so no two downloads were the same bytes and a Range got the whole file again
(``Accept-Ranges: none``): a school's section-12 set broken at 90 % started from zero. Now the
same content is the same file under ``var/packs/`` with a strong ETag (its content key), and a
Range with If-Range is honoured; after a new signature the ETag changes and a stale If-Range
gets the whole new file."""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import urllib.request
import zipfile
from datetime import UTC, datetime

from openpyxl import load_workbook

from service.register.db import session_scope
from service.register.models import Document, Pair
from service.register.queries import current_documents, pair_subject_keys
from service.register.users import find_user, issue_api_token
from service.store import FileStore
from service.xlsx import REGISTER_TIME
from tests.servers import AppServer
from tests.signing_calls import sign_documents
from tests.web_school import KEY_PASSWORD, login


def test_a_pack_resumes_on_the_same_bytes_and_not_after_a_new_signature(client, web_school):
    login(client, "curator")
    packs = web_school.settings.var / "packs"
    for path in ("/packs/pairs/1.zip", "/api/packs/pairs/1"):
        whole = client.get(path)
        assert (whole.status_code, whole.headers["Accept-Ranges"]) == (200, "bytes")
        etag = whole.headers["ETag"]
        assert etag.startswith('"') and not etag.startswith("W/")  # strong
        data, half = whole.data, len(whole.data) // 2
        second = client.get(path, headers={"Range": f"bytes={half}-", "If-Range": etag})
        assert second.status_code == 206
        assert second.headers["Content-Range"] == f"bytes {half}-{len(data) - 1}/{len(data)}"
        first = client.get(path, headers={"Range": f"bytes=0-{half - 1}", "If-Range": etag})
        assert (first.status_code, first.data + second.data) == (206, data)
        shutil.rmtree(packs)  # made again from the register and the store: the same bytes
        again = client.get(path)
        assert (again.headers["ETag"], again.data) == (etag, data)
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    _dated_by_its_content(data, web_school)
    program = web_school.doc_id("program")
    (signed,) = sign_documents(web_school.settings, "director", [program], KEY_PASSWORD)
    assert signed.ok
    stale = client.get(path, headers={"Range": f"bytes={half}-", "If-Range": etag})
    assert stale.status_code == 200 and stale.headers["ETag"] != etag
    assert stale.data == client.get(path).data != data
    names = zipfile.ZipFile(io.BytesIO(stale.data)).namelist()
    assert [n for n in names if n.endswith(".p7s")] == [
        "Персонализированная программа наставничества — П-01 (Петрова А.С.).docx.p7s"
    ]
    assert sorted(p.suffix for p in packs.iterdir() if not p.name.startswith(".")) == [
        ".zip",
        ".zip",
    ]


def _dated_by_its_content(data: bytes, web_school) -> None:
    """Every member, the inventory's properties and ПРОВЕРКА.txt carry the time of the newest
    document of the pack (none is signed yet), not the clock's."""
    with session_scope(web_school.settings.database_url) as s:
        keys = pair_subject_keys(s, s.get(Pair, 1))
        newest = max(d.created_at for d in current_documents(s, keys)).replace(microsecond=0)
    archive = zipfile.ZipFile(io.BytesIO(data))
    dates = {info.date_time for info in archive.infolist()}
    assert dates == {newest.replace(second=newest.second // 2 * 2).timetuple()[:6]}
    book = load_workbook(io.BytesIO(archive.read("Опись.xlsx")))
    utc = newest.replace(tzinfo=REGISTER_TIME).astimezone(UTC).replace(tzinfo=None)
    assert book.properties.modified == book.properties.created == utc
    text = archive.read("ПРОВЕРКА.txt").decode()
    assert f"Комплект составлен на {newest:%d.%m.%Y %H:%M} (самый новый" in text
    assert datetime.now() > newest


def test_two_downloads_of_one_pack_at_once_get_the_same_zip(web_school):
    """Two requests for one pack at the same time, through the web server: both get a whole,
    identical ZIP; one file is left under ``var/packs/`` and no temporary one."""
    settings = web_school.settings
    with session_scope(settings.database_url) as s:
        token = issue_api_token(s, find_user(s, "inspector"))
    server = AppServer(settings.home)
    answers: list[bytes] = []
    start = threading.Barrier(2)

    def download() -> None:
        request = urllib.request.Request(
            f"{server.url}/api/packs/section12", headers={"Authorization": f"Bearer {token}"}
        )
        start.wait()
        with urllib.request.urlopen(request, timeout=60) as response:
            answers.append(response.read())

    try:
        threads = [threading.Thread(target=download) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        server.stop()
    assert len(answers) == 2 and answers[0] == answers[1]
    archive = zipfile.ZipFile(io.BytesIO(answers[0]))
    assert archive.testzip() is None
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        order = s.get(Document, web_school.doc_id("order_pairs"))
        assert archive.read(order.file_name) == store.get(order.sha256)
    (key,) = [p.stem for p in (settings.var / "packs").glob("*.zip")]
    left = sorted(p.name for p in (settings.var / "packs").iterdir())
    assert left == [f".{key}.lock", f"{key}.zip"]  # no temporary file


def test_a_resumed_pack_is_sent_by_the_servers_loop_not_a_thread(web_school):
    """review15: a pack's whole file is handed to waitress, which sends it from its own loop,
    but a Range (a resumed download) was read out by the request's thread, which waited on
    every block a slow reader had not taken yet: each resumed download of a large pack held
    one of the ``web_threads`` to its end. Here one thread, a small send buffer, and a reader
    that asks for the rest of a 6-MB pack and reads nothing: a page still answers."""
    from waitress import create_server, wasyncore

    from service.archive.packs import Pack
    from service.web import create_app
    from service.web.files import send_pack

    settings = web_school.settings
    folder = settings.var / "packs"
    folder.mkdir(mode=0o700, exist_ok=True)
    data = os.urandom(6 << 20)
    (folder / "big.zip").write_bytes(data)
    pack = Pack("big.zip", folder / "big.zip", "big", datetime(2026, 1, 1), ())
    app = create_app(settings)
    app.add_url_rule("/test-pack", "test_pack", lambda: send_pack(lambda *_: pack))
    server = create_server(
        app, host="127.0.0.1", port=0, threads=1, outbuf_high_watermark=1 << 16, ident="t"
    )
    stopping = threading.Event()

    def serve() -> None:
        while not stopping.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)

    loop = threading.Thread(target=serve)
    loop.start()
    reader = socket.socket()
    try:
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        reader.connect(("127.0.0.1", int(server.effective_port)))
        reader.sendall(
            b'GET /test-pack HTTP/1.1\r\nHost: t\r\nRange: bytes=1-\r\nIf-Range: "big"\r\n\r\n'
        )
        assert reader.recv(12) == b"HTTP/1.1 206"
        url = f"http://127.0.0.1:{server.effective_port}/login"
        with urllib.request.urlopen(url, timeout=10) as page:
            assert page.status == 200
        # and the rest of the pack arrives whole
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        reader.settimeout(30)
        received = b""
        while b"\r\n\r\n" not in received:
            received += reader.recv(65536)
        head, body = received.split(b"\r\n\r\n", 1)
        assert b"Content-Range: bytes 1-%d/%d" % (len(data) - 1, len(data)) in head
        while len(body) < len(data) - 1:
            chunk = reader.recv(1 << 20)
            assert chunk
            body += chunk
        assert body == data[1:]
    finally:
        reader.close()
        stopping.set()
        loop.join(15)


def test_a_range_validated_by_a_date_gets_the_whole_pack(client, web_school):
    """If-Range with a date, not the ETag (RFC 9110 §13.1.5): a pack's Last-Modified is no
    strong validator — a pack kept from before comes back with its older time — so the whole
    file is sent. Werkzeug sent the range when the date was the pack's time or any later one
    (left17): a download begun on one pack resumed on the bytes of another."""
    login(client, "curator")
    path = "/packs/pairs/1.zip"
    whole = client.get(path)
    data, half = whole.data, len(whole.data) // 2
    modified = whole.headers["Last-Modified"]
    later = "Fri, 01 Jan 2100 00:00:00 GMT"
    for date in (modified, later):
        resumed = client.get(path, headers={"Range": f"bytes={half}-", "If-Range": date})
        assert (resumed.status_code, resumed.data) == (200, data)
        assert "Content-Range" not in resumed.headers
    by_etag = client.get(
        path, headers={"Range": f"bytes={half}-", "If-Range": whole.headers["ETag"]}
    )
    assert (by_etag.status_code, by_etag.data) == (206, data[half:])


def test_a_pack_removed_before_it_is_sent_is_made_again(client, web_school, monkeypatch):
    """A pack is made (or found) under ``var/packs/`` and then opened to be sent; other
    requests' packs may clean it up in between (more than eight asked for meanwhile). That
    answered «Внутренняя ошибка сервиса» (left17). It is made again — the same bytes — and
    removed each time, the answer says what happened, in Russian."""
    import service.archive.packs as packs
    from service.archive.pack_files import finished_pack

    login(client, "curator")
    path = "/packs/pairs/1.zip"
    whole = client.get(path)
    removals = []

    def removed_by_another_request(var, key, write):
        found = finished_pack(var, key, write)
        if len(removals) < allowed:
            found.unlink()  # as clean_packs of another request does
            removals.append(found.name)
        return found

    monkeypatch.setattr(packs, "finished_pack", removed_by_another_request)
    allowed = 1
    again = client.get(path)
    assert (again.status_code, again.headers["ETag"], again.data) == (
        200,
        whole.headers["ETag"],
        whole.data,
    )
    assert removals == [f"{whole.headers['ETag'].strip(chr(34))}.zip"]
    removals.clear()
    allowed = 2
    refused = client.get(path)
    assert refused.status_code == 503
    assert (
        "Архив ZIP удалён, пока его готовили к отправке: его место в хранилище архивов заняли "
        "другие, скачанные в ту же минуту. Ничего не потеряно — скачайте его ещё раз."
    ) in refused.get_data(as_text=True)
    api = client.get("/api/packs/pairs/1")
    assert (api.status_code, api.data) == (200, whole.data)


def test_a_range_of_a_pack_removed_once_opened_is_still_sent(client, web_school, monkeypatch):
    """A resumed download's range is handed to the server as the pack's file opened again; the
    pack cleaned up between send_file opening it and that second opening was a 500 (left17).
    The range is sent from the file send_file holds open (by Werkzeug's reader, in the request's
    thread, as before review15)."""
    from werkzeug.wsgi import FileWrapper

    import service.web.files as files

    login(client, "curator")
    path = "/packs/pairs/1.zip"
    whole = client.get(path)
    data, half = whole.data, len(whole.data) // 2
    opened = files.send_file

    def removed_once_opened(pack_path, **options):
        response = opened(pack_path, **options)
        pack_path.unlink()  # as clean_packs of another request does
        return response

    monkeypatch.setattr(files, "send_file", removed_once_opened)
    etag = whole.headers["ETag"]
    resumed = client.get(
        path,
        headers={"Range": f"bytes={half}-", "If-Range": etag},
        environ_base={"wsgi.file_wrapper": FileWrapper},  # as the server gives it
    )
    assert (resumed.status_code, resumed.data) == (206, data[half:])
