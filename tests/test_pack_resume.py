"""A curator's or inspector's ZIP pack resumes where a broken download stopped. Before, a pack
was built in memory on each request, its members dated now and its ПРОВЕРКА.txt «выгружен» now,
so no two downloads were the same bytes and a Range got the whole file again
(``Accept-Ranges: none``): a school's section-12 set broken at 90 % started from zero. Now the
same content is the same file under ``var/packs/`` with a strong ETag (its content key), and a
Range with If-Range is honoured; after a new signature the ETag changes and a stale If-Range
gets the whole new file."""

from __future__ import annotations

import io
import shutil
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
    utc = newest.astimezone(UTC).replace(tzinfo=None)
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
