"""The archive's PDF/A copy of a document brought to «Проверка файла» (or ``nastavnik
verify``): it was «Файла с таким содержимым нет в реестре: он изменён или не создавался этим
сервисом. ИТОГ: проверка НЕ пройдена» — for the copy the school's own archive made, which the
inspector finds in every bag beside its DOCX (inspector20). It is named as that copy now, and
its document's signatures are checked over the document's DOCX."""

from __future__ import annotations

from service.archive.store import ArchiveStore
from service.register.archive import archive_item_of
from service.register.db import session_scope
from service.signing.verification import verify_file
from service.store import FileStore
from tests.archive_school import copy_home, document_id


def test_the_archives_pdf_copy_is_named_and_its_documents_signatures_checked(exported, tmp_path):
    settings = copy_home(exported[0], tmp_path / "школа")
    order = document_id(settings, "order_pairs")
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        item = archive_item_of(s, order)
        pdf = ArchiveStore(settings.archive_dir).path_for(item.pdf_sha256).read_bytes()
        p7s = store.get(item.document.signatures[0].sha256)
        number = f"№ {item.document.number} от {item.document.reg_date:%d.%m.%Y}"
        archived = f"{item.archived_at:%d.%m.%Y}"
    with session_scope(settings.database_url) as s:
        copy = verify_file(s, settings.var, store, pdf)
        with_p7s = verify_file(s, settings.var, store, pdf, p7s)
    assert copy.found and copy.ok
    assert copy.title == (
        "Приказ об утверждении наставников и наставнических пар — МБОУ Идринская СОШ"
    )
    assert copy.details[1] == (
        f"это PDF/A-копия документа из архива школы (помещена в архив {archived}), для чтения "
        "и печати: она совпадает с копией архива байт в байт. Электронные подписи ниже — "
        "подписи самого документа (файла DOCX), файлы .p7s относятся к нему"
    )
    assert f"регистрационный номер {number.removeprefix('№ ')}" in copy.details
    assert [(v.role, v.ok) for v in copy.signatures] == [("director", True)]
    assert with_p7s.external_problems == [
        "Это подпись самого документа (файла DOCX), а не его PDF-копии: проверьте её вместе с "
        "DOCX (PDF-копия подписана внутри файла, отметкой PAdES)"
    ]
