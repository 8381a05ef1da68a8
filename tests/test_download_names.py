"""A download's name reaches programs that read only ``filename`` (``curl -OJ``, older ``wget``
and scripts), not the UTF-8 ``filename*`` browsers read: it is the Russian name in Latin
letters. Before, the Cyrillic was dropped — every document came as «    .docx», each download
over the one before."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from tests.web_school import login


def test_a_download_is_named_in_latin_letters_too(client, web_school):
    login(client, "director")
    document_id = web_school.doc_id("order_implementation")
    response = client.get(f"/api/documents/{document_id}/file")
    assert response.status_code == 200
    name = "Приказ о внедрении целевой модели наставничества.docx"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Prikaz o vnedrenii tselevoi modeli nastavnichestva.docx"; '
        f"filename*=UTF-8''{quote(name)}"
    )
    assert client.get("/ca.pem").headers["Content-Disposition"] == "attachment; filename=ca.pem"


def test_a_resumed_download_never_splices_two_files(client, web_school):
    """A document's bytes are content-addressed: its ETag is its sha256, and a Range with a
    stale If-Range gets the whole file, as a browser resuming after the file changed expects
    (packs: tests/test_pack_resume.py)."""
    login(client, "director")
    document_id = web_school.doc_id("order_implementation")
    path = f"/documents/{document_id}/file"
    full = client.get(path)
    etag = f'"{hashlib.sha256(full.data).hexdigest()}"'
    assert (full.headers["ETag"], full.headers["Accept-Ranges"]) == (etag, "bytes")
    part = client.get(path, headers={"Range": "bytes=10-19", "If-Range": etag})
    assert (part.status_code, part.data) == (206, full.data[10:20])
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(full.data)}"
    stale = client.get(path, headers={"Range": "bytes=10-19", "If-Range": '"0123abcd"'})
    assert (stale.status_code, stale.data) == (200, full.data)
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
