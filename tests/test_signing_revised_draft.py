"""A draft an earlier release made from a school's template saved with tracked changes holds
the revisions (the template's were accepted only from 7162d1e on), while its version to sign
is rendered with them accepted. The director's page showed the draft's text accepted; the
signing guard compared the draft's revisions with the signed version and refused it — «шаблон
школы при подписи меняет оформление его текста» — for ever, since the template now passes the
check and a workbook makes nothing new (review17). The draft is compared as the page shows
it: its tracked changes accepted."""

from __future__ import annotations

import io
import zipfile

from service.documents.text import docx_text
from service.register.db import session_scope
from service.register.models import Document, DocumentStatus
from service.store import FileStore
from tests.signing_calls import sign_documents
from tests.test_signing_unseen import renewed_with
from tests.test_template_office import revised_order_pairs
from tests.web_school import KEY_PASSWORD

AUTHOR = 'w:author="Секретарь" w:date="2026-11-30T10:00:00Z"'
AS_ACCEPTED = {
    '<w:r><w:t xml:space="preserve">немедленно</w:t></w:r><w:r><w:rPr><w:b/></w:rPr>': (
        f'<w:ins w:id="1" {AUTHOR}><w:r><w:t xml:space="preserve">немедленно</w:t></w:r>'
        f'</w:ins><w:del w:id="2" {AUTHOR}><w:r><w:delText xml:space="preserve"> не'
        '</w:delText></w:r></w:del><w:r><w:rPr><w:b/><w:rPrChange w:id="3" '
        f"{AUTHOR}><w:rPr/></w:rPrChange></w:rPr>"
    ),
    "<w:t>оставлена</w:t></w:r></w:p></w:tc></w:tr></w:tbl>": (
        f'<w:t>оставлена</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:trPr><w:del w:id="4" '
        f'{AUTHOR}/></w:trPr><w:tc><w:p><w:del w:id="5" {AUTHOR}><w:r><w:delText>удалена'
        "</w:delText></w:r></w:del></w:p></w:tc></w:tr></w:tbl>"
    ),
}
"""The draft's revised text as it is now made (accepted) → as an earlier release made it."""


def as_an_earlier_release_made_it(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename == "word/document.xml":
                xml = part.decode()
                for accepted, revised in AS_ACCEPTED.items():
                    assert xml.count(accepted) == 1
                    xml = xml.replace(accepted, revised)
                part = xml.encode()
            zout.writestr(info, part)
    return out.getvalue()


def test_a_draft_made_with_the_templates_revisions_is_signed(web_school, tmp_path):
    settings = web_school.settings
    ids = renewed_with(web_school, tmp_path, {"order_pairs": revised_order_pairs()}, {})
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        draft = s.get(Document, ids["order_pairs"])
        draft.sha256 = store.put(as_an_earlier_release_made_it(store.get(draft.sha256)))
        shown = docx_text(store.get(draft.sha256))
    assert "немедленно в МБОУ Идринская СОШ.\nоставлена\n" in shown
    [signed] = sign_documents(settings, "director", [ids["order_pairs"]], KEY_PASSWORD)
    assert signed.ok, signed.message
    with session_scope(settings.database_url) as s:
        document = s.get(Document, ids["order_pairs"])
        assert document.status == DocumentStatus.SIGNED
        text = docx_text(store.get(document.sha256))
    assert text.endswith("\nПриказ вводится немедленно в МБОУ Идринская СОШ.\nоставлена")
    assert "удалена" not in text
