"""The scan of one paper chosen again for another document (careless11: the secretary picked
yesterday's «согласие.pdf» a second time): it was recorded silently as that document's paper
signature too, and a scan is never removed. The page now asks first, naming the document the
file is attached to already; only «Приложить тот же файл» records it (a PDF holding several
signed papers is possible), «Отмена» records nothing."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Document, Signature
from tests.test_web_pages import texts
from tests.web_school import login

SHEET = b"%PDF-1.4\n% the consent of one participant\n"


def attach(client, document: int, data: bytes = SHEET):
    return client.post(
        "/secretary/scans",
        data={"document": str(document), "scan": (io.BytesIO(data), "согласие.pdf")},
        content_type="multipart/form-data",
    )


def paper_signatures(settings, document: int) -> list[str]:
    with session_scope(settings.database_url) as s:
        return list(
            s.scalars(
                select(Signature.signer_name).where(
                    Signature.document_id == document, Signature.method == "paper"
                )
            )
        )


def test_the_same_scan_for_another_document_is_asked_about_first(client, web_school):
    settings = web_school.settings
    first, other = web_school.doc_id("consent_adult"), web_school.doc_id("consent_dissemination")
    login(client, "secretary")
    assert attach(client, first).status_code == 302
    asked = attach(client, other)
    assert asked.status_code == 200 and paper_signatures(settings, other) == []
    page = texts(asked)
    assert "Этот файл уже приложен к другому документу" in page
    assert re.search(
        r"Файл «согласие\.pdf» — тот же скан, что уже приложен к документу: «Согласие на "
        r"обработку персональных данных — [^»]+»: подписали на бумаге [^(]+ \(приложен "
        r"\d\d\.\d\d\.\d{4} в \d\d:\d\d\)",
        page,
    ), page
    assert "Если файл выбран по ошибке, нажмите «Отмена» и выберите скан документа" in page
    html = asked.get_data(as_text=True)
    assert f'href="/secretary/scans/{other}" class="cancel">Отмена</a>' in html
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))
    assert hidden["same_file"] == "1" and len(hidden["kept_scan"]) == 64
    confirmed = client.post("/secretary/scans", data=hidden)
    assert confirmed.status_code == 302
    assert len(paper_signatures(settings, other)) == 1
    with session_scope(settings.database_url) as s:
        digests = set(s.scalars(select(Signature.sha256).where(Signature.method == "paper")))
    assert len(digests) == 1  # the very same file, kept while the page asked


def test_a_kept_scan_must_be_a_scan_of_the_store(client, web_school):
    other = web_school.doc_id("consent_dissemination")
    login(client, "secretary")
    forged = client.post(
        "/secretary/scans",
        data={"document": str(other), "same_file": "1", "kept_scan": "0" * 64},
    )
    assert forged.status_code == 400
    assert "Файл скана не найден: выберите его снова." in texts(forged)
    with session_scope(web_school.settings.database_url) as s:
        docx = s.get(Document, other).sha256  # a file of the store that is not a scan
    taken = client.post(
        "/secretary/scans",
        data={"document": str(other), "same_file": "1", "kept_scan": docx},
    )
    assert taken.status_code == 400
    assert "скан должен быть в формате PDF, JPEG, PNG или TIFF" in texts(taken)
    assert paper_signatures(web_school.settings, other) == []
