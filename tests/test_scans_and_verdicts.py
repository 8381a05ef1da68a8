"""Who signed a scan, and whose document a signature is (issue 11, points 17–18): the paper
signer is chosen from the document's own people (a guardian consent: the guardian, never the
minor); a ``.p7s`` brought with another document's file says «подпись относится к другому
документу», naming that document when the register has it."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from service.register.db import session_scope
from service.register.models import Document, Person, Signer
from service.signing.ca import cert_from_pem, load_private_key
from service.signing.cms import CHANGED, sign_detached
from service.signing.errors import SigningError
from service.signing.verification import verify_file
from service.store import FileStore
from tests.signing_calls import attach_scan, sign_documents
from tests.test_scans_last_year import rows
from tests.test_web_pages import texts
from tests.web_school import KEY_PASSWORD, login

PDF = b"%PDF-1.4\n% a scan of the paper original\n"


def guardian_consent(settings) -> tuple[int, str, str]:
    """The first guardian consent: its id, the minor's and the guardian's ФИО."""
    with session_scope(settings.database_url) as s:
        document = s.scalars(
            select(Document).where(Document.kind == "consent_guardian").order_by(Document.id)
        ).first()
        child = s.get(Person, int(document.subject_key.split(":")[1]))
        return document.id, child.full_name, child.guardian.full_name


def test_the_scan_page_offers_the_guardian_and_refuses_the_minor(client, web_school):
    settings = web_school.settings
    consent, child, guardian = guardian_consent(settings)
    assert (child, guardian) == ("Зуев Никита Андреевич", "Зуева Ирина Викторовна")
    login(client, "secretary")
    listing = texts(client.get("/secretary/scans"))
    assert "Приложить скан…" in listing
    page = client.get(f"/secretary/scans/{consent}").get_data(as_text=True)
    assert "Кто подписал как законный представитель" in page
    assert f'<option value="{guardian}" selected>{guardian}</option>' in page
    assert f'<option value="{child}"' not in page  # the child is not offered as his guardian
    assert 'type="text" name="signer' not in page  # never free text
    assert (
        "Приложить скан к документу «Согласие законного представителя — Зуев Никита "
        "Андреевич»" in texts(client.get(f"/secretary/scans/{consent}"))
    )
    refused = client.post(
        "/secretary/scans",
        data={
            "document": str(consent),
            "signer_guardian": child,
            "scan": (io.BytesIO(PDF), "скан.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert (
        f"«{child}» не может подписать «Согласие законного представителя» как законный "
        f"представитель: выберите из: {guardian}." in texts(refused)
    )
    with session_scope(settings.database_url) as s:
        assert s.get(Document, consent).signatures == []
    done = client.post(
        "/secretary/scans",
        data={
            "document": str(consent),
            "signer_guardian": guardian,
            "scan": (io.BytesIO(PDF), "скан.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 302 and done.location == "/secretary/scans"
    assert f"подписали на бумаге {guardian} (законный представитель)." in texts(
        client.get(done.location)
    )
    with session_scope(settings.database_url) as s:
        document = s.get(Document, consent)
        assert [(x.role, x.signer_name) for x in document.signatures] == [("guardian", guardian)]
        assert document.status == "signed"


def test_the_scan_form_names_a_girl_наставляемая_and_a_group_in_the_plural(client, web_school):
    """The scan form's questions agree with the people they ask about, as the note after the
    scan does (polish10: «Кто подписал как наставляемый» for a girl): П-02's one mentee is
    Морозова Алина, П-01's two are asked about as «наставляемых»; the list of scans says so
    too."""
    with session_scope(web_school.settings.database_url) as s:
        programmes = dict(
            s.execute(
                select(Document.subject_label, Document.id).where(Document.kind == "program")
            ).all()
        )
    login(client, "secretary")
    listing = rows(client.get("/secretary/scans").get_data(as_text=True))
    programme = "Персонализированная программа наставничества"
    assert [r for r in listing if r.startswith(programme)] == [
        f"{programme} | {code} | 2023–2024 | {mentees}, наставник | DOCX | Приложить скан…"
        for code, mentees in [
            ("П-01", "наставляемые"),
            ("П-02", "наставляемая"),
            ("П-03", "наставляемый"),
            ("П-04", "наставляемый"),
        ]
    ]
    page = texts(client.get(f"/secretary/scans/{programmes['П-02']}"))
    assert (
        "наставник: Белова Елена Викторовна наставляемая: Морозова Алина Сергеевна законный "
        "представитель: Морозов Сергей Николаевич" in page
    )
    assert "Кто подписал как наставляемая Морозова Алина Сергеевна — подписи нет" in page
    assert "наставляемый" not in page
    page = texts(client.get(f"/secretary/scans/{programmes['П-01']}"))
    assert (
        "наставник: Петрова Анна Сергеевна наставляемые: Смирнов Илья Олегович, Алиев Руслан "
        "Рашид оглы Скан" in page
    )
    assert (
        "Кто подписал как наставник Петрова Анна Сергеевна — подписи нет на этом скане — Кто "
        "из наставляемых подписал (отметьте каждого) Смирнов Илья Олегович Алиев Руслан Рашид "
        "оглы Скан" in page
    )


def test_a_scan_without_a_name_records_the_documents_own_people(web_school):
    settings = web_school.settings
    consent, child, guardian = guardian_consent(settings)
    (made,) = attach_scan(settings, consent, PDF)
    assert (made.role, made.signer_name) == ("guardian", guardian)
    program = web_school.doc_id("program")
    made = attach_scan(settings, program, PDF)
    with session_scope(settings.database_url) as s:
        pair = s.get(Document, program)
        names = [(x.role, x.signer_name) for x in pair.signatures]
    assert names == [  # П-01 is a group: each of its mentees signs the paper programme
        ("mentor", "Петрова Анна Сергеевна"),
        ("mentee", "Смирнов Илья Олегович"),
        ("mentee", "Алиев Руслан Рашид оглы"),
    ]
    with pytest.raises(SigningError, match="скан не прикладывается: он подписан"):
        attach_scan(settings, consent, PDF)


def test_a_signature_of_another_document_says_so(web_school):
    settings = web_school.settings
    pairs, training = web_school.doc_id("order_pairs"), web_school.doc_id("order_training")
    results = sign_documents(settings, "director", [pairs, training], KEY_PASSWORD)
    assert all(r.ok for r in results)
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        pairs_doc, training_doc = s.get(Document, pairs), s.get(Document, training)
        data = store.get(training_doc.sha256)
        p7s = store.get(pairs_doc.signatures[0].sha256)
        number = pairs_doc.number
        verdict = verify_file(s, settings.var, store, data, p7s)
        text = verdict.to_text()
    assert not verdict.ok and verdict.found
    assert verdict.external.valid and not verdict.external.intact
    assert CHANGED not in text and "изменён после подписания" not in text
    assert (
        "Подпись относится к другому документу — «Приказ об утверждении наставников и "
        "наставнических пар — " in text
    )
    assert f"№ {number} от " in text and "подпись цела, но поставлена не под этим файлом" in text


def test_a_signature_over_bytes_the_register_does_not_know(web_school):
    settings = web_school.settings
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        signer = s.scalars(select(Signer)).one()
        key = load_private_key(signer.key_pem.encode(), KEY_PASSWORD)
        p7s = sign_detached(
            b"some other text", key, cert_from_pem(signer.certificate_pem.encode()), []
        )
        data = store.get(s.get(Document, web_school.doc_id("regulation")).sha256)
        verdict = verify_file(s, settings.var, store, data, p7s)
    assert verdict.external.problems[0] == (
        "Подпись относится к другому документу: подпись цела, но поставлена под другим "
        "содержимым (этот файл изменён после подписания или подпись взята от другого файла)"
    )


def test_a_minors_dissemination_consent_is_signed_by_the_guardian(client, web_school):
    """A minor's consent to dissemination is written in his guardian's name and signed by him:
    the scan list and page name the guardian, not the child as «участник» (play9)."""
    settings = web_school.settings
    _, child, guardian = guardian_consent(settings)
    with session_scope(settings.database_url) as s:
        minor = s.scalars(select(Person).where(Person.full_name == child)).one()
        consent = s.scalars(
            select(Document).where(
                Document.kind == "consent_dissemination",
                Document.subject_key == f"person:{minor.id}",
            )
        ).one()
    login(client, "secretary")
    listing = texts(client.get("/secretary/scans"))
    assert (
        f"Согласие на распространение персональных данных {child} 2023–2024 законный "
        "представитель" in " ".join(listing.split())
    )
    page = client.get(f"/secretary/scans/{consent.id}").get_data(as_text=True)
    assert "Кто подписал как законный представитель" in page
    assert f'<option value="{guardian}" selected>{guardian}</option>' in page
    assert f'<option value="{child}"' not in page
    assert '<option value="">— подписи нет на этом скане —</option>' in page
    done = client.post(
        "/secretary/scans",
        data={
            "document": str(consent.id),
            "signer_participant": guardian,
            "scan": (io.BytesIO(PDF), "скан.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    assert f"подписали на бумаге {guardian} (законный представитель)." in texts(
        client.get(done.location)
    )
    with session_scope(settings.database_url) as s:
        document = s.get(Document, consent.id)
        assert [(x.role, x.signer_name) for x in document.signatures] == [("participant", guardian)]
        assert document.status == "signed"
        store = FileStore(settings.store_dir)
        verdict = verify_file(s, settings.var, store, store.get(document.sha256)).to_text()
    assert f"подпись на бумаге (законный представитель — {guardian}), " in verdict
    # the curator's list of documents names her so too
    login(client, "curator")
    listing = " ".join(texts(client.get("/curator/")).split())
    assert "Зуева И.В. (законный представитель, на бумаге, " in listing
    assert "Зуева И.В. (участник" not in listing


def test_an_order_signed_again_says_the_old_one_is_void(client, web_school, tmp_path):
    """The inspector checks the file of an order the director signed again (a corrected
    workbook, a new number that voids the first): the old file's signature is valid, and the
    verdict says which version is in force (play9: «состояние: подписан», nothing more)."""
    from service.pipeline import process_workbook
    from tests.test_dry_run import corrected

    settings = web_school.settings
    first = web_school.doc_id("order_pairs")
    assert sign_documents(settings, "director", [first], KEY_PASSWORD)[0].ok
    process_workbook(settings, corrected(web_school.workbook, tmp_path / "Пары.xlsx"))
    with session_scope(settings.database_url) as s:
        second = s.scalars(
            select(func.max(Document.id)).where(Document.kind == "order_pairs")
        ).one()
    assert second != first
    assert sign_documents(settings, "director", [second], KEY_PASSWORD)[0].ok
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        old, new = s.get(Document, first), s.get(Document, second)
        text = verify_file(s, settings.var, store, store.get(old.sha256)).to_text()
        current = verify_file(s, settings.var, store, store.get(new.sha256)).to_text()
        number, day = new.number, f"{new.reg_date:%d.%m.%Y}"
    assert (
        f"ВНИМАНИЕ: действует более новая подписанная версия 2 — № {number} от {day}; "
        "этот приказ утратил силу" in text
    )
    assert "ИТОГ: документ подлинный, подписи верны." in text
    assert "более новая" not in current
    # the inspector's archive lists both signed orders: the first says which one is in force
    login(client, "inspector")
    archive = " ".join(texts(client.get("/inspector/archive")).split())
    title = "Приказ об утверждении наставников и наставнических пар МБОУ Идринская СОШ"
    assert f"{title} 1 подписан; есть новая подписанная версия 2 (№ {number}) № " in archive
    assert f"{title} 2 подписан № {number} от " in archive
    assert archive.count("есть новая подписанная версия") == 1


@pytest.mark.parametrize("where", ["outbox", "pack"])
def test_the_inventory_names_the_guardian_of_a_minors_consent_to_dissemination(
    client, web_school, where
):
    """The batch's Опись.xlsx (in outbox/ and in the curator's ZIP of the batch) said
    «участник» signs a minor's consent to dissemination, which the guardian gives and signs
    (play9: «Жук Олег Петрович … участник»)."""
    import zipfile

    from openpyxl import load_workbook

    if where == "outbox":
        (inventory,) = web_school.settings.outbox.glob("*/Опись.xlsx")
    else:
        login(client, "curator")
        pack = zipfile.ZipFile(io.BytesIO(client.get("/packs/batches/1.zip").data))
        inventory = io.BytesIO(pack.read("Опись.xlsx"))
    rows = list(load_workbook(inventory).active.iter_rows(values_only=True))
    signs = {
        (row[1], row[2]): row[4]
        for row in rows
        if row[1] == "Согласие на распространение персональных данных"
    }
    assert signs[("Согласие на распространение персональных данных", "Зуев Никита Андреевич")] == (
        "законный представитель"
    )
    assert signs[("Согласие на распространение персональных данных", "Петрова Анна Сергеевна")] == (
        "участник"
    )
