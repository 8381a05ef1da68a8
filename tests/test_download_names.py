"""A download's name reaches programs that read only ``filename`` (``curl -OJ``, older ``wget``
and scripts), not the UTF-8 ``filename*`` browsers read: it is the Russian name in Latin
letters. Before, the Cyrillic was dropped — every document came as «    .docx», each download
over the one before."""

from __future__ import annotations

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
