"""The archive's PDF/A copy of a document brought to «Проверка файла» (or ``nastavnik
verify``): it was «Файла с таким содержимым нет в реестре: он изменён или не создавался этим
сервисом. ИТОГ: проверка НЕ пройдена» — for the copy the school's own archive made, which the
inspector finds in every bag beside its DOCX (inspector20). It is named as that copy now, and
its document's signatures are checked over the document's DOCX."""

from __future__ import annotations

from datetime import date

from service.archive.store import ArchiveStore
from service.register.archive import archive_item_of
from service.register.db import session_scope
from service.signing.verification import verify_file
from service.store import FileStore
from tests.archive_school import copy_home, destroy_as_director, document_id


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


def test_the_pdf_copy_of_a_destroyed_document_says_what_cannot_be_checked(exported, tmp_path):
    """office21: the PDF copy of a document destroyed by an act (its archived files deleted)
    was still «копия архива», and without the DOCX its electronic signatures were checked over
    no bytes at all — «ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА». It now names the act, and says the copy is the
    register's (its SHA-256 on record) while its signatures cannot be checked."""
    settings = copy_home(exported[0], tmp_path / "школа")
    program = document_id(settings, "program")
    with session_scope(settings.database_url) as s:
        item = archive_item_of(s, program)
        pdf = ArchiveStore(settings.archive_dir).path_for(item.pdf_sha256).read_bytes()
        docx_sha, due = item.document.sha256, item.retain_until
        roles = [(x.role, x.method) for x in item.document.signatures]
    assert ("director", "cms") in roles and due is not None
    act = destroy_as_director(settings, [program], due)
    store = FileStore(settings.store_dir)
    assert not store.has(docx_sha)  # the DOCX gone from the service's store too (destroy21)
    destroyed = (
        f"это PDF/A-копия документа, уничтоженного по акту № {act.number} от "
        f"{date.today():%d.%m.%Y} (истёк срок хранения; в архив помещён "
        f"{item.archived_at:%d.%m.%Y}): его файлы удалены из архива и из хранилища службы, но "
        "SHA-256 копии записан в "
        "реестре, и этот файл с ним совпадает байт в байт. Электронные подписи ниже — подписи "
        "самого документа (файла DOCX), файлы .p7s относятся к нему"
    )
    with session_scope(settings.database_url) as s:
        gone = verify_file(s, settings.var, store, pdf)
    assert gone.found and not gone.ok and gone.details[1] == destroyed
    director = next(v for v in gone.signatures if v.role == "director")
    assert director.status is None  # never checked over empty bytes
    assert director.unchecked == (
        f"подпись поставлена под файлом документа (DOCX), а документ уничтожен по акту "
        f"№ {act.number} от {date.today():%d.%m.%Y}; по PDF-копии электронную подпись "
        "проверить нельзя. Реестр и журнал записывают, что документ был подписан, но это не "
        "проверка подписи"
    )
    text = gone.to_text()
    assert "ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА" not in text
    assert "ПОДПИСЬ НЕ ПРОВЕРЕНА: руководитель — Кинякина Татьяна Игоревна, подписано " in text
    assert text.endswith(
        "ИТОГ: эта PDF-копия — копия документа реестра (её SHA-256 записан в архиве), но его "
        "электронные подписи проверить нельзя: файла документа (DOCX), под которым они "
        "поставлены, больше нет.\n"
    )
