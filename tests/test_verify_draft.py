"""The file a batch put in ``outbox/`` is the unsigned draft: signing an order writes its number
and date into it (an approved document: the date of approval) and signs that new file. Checked
on «Проверка» — the copy the secretary had at hand — it was «Файла с таким содержимым нет в
реестре: он изменён или не создавался этим сервисом.» (careless11): a forgery, said of a file
the service itself made. It is now named as the draft of its document, with what signing
wrote into it and where the signed copy is; the verdict stays «не пройдена»."""

from __future__ import annotations

import io

from service.register.db import session_scope
from service.register.models import Document
from service.store import FileStore
from tests.signing_calls import sign_documents
from tests.test_users_cli import run
from tests.test_web_pages import texts
from tests.web_school import KEY_PASSWORD, login

ORDER = "Приказ о внедрении целевой модели наставничества"


def test_the_outbox_copy_of_a_signed_order_is_named_as_its_draft(client, web_school):
    settings = web_school.settings
    order = web_school.doc_id("order_implementation")
    (draft,) = settings.outbox.glob(f"*/{ORDER}.docx")
    (result,) = sign_documents(settings, "director", [order], KEY_PASSWORD)
    assert result.ok, result.message
    with session_scope(settings.database_url) as s:
        number = s.get(Document, order).number
    login(client, "inspector")
    shown = client.post(
        "/inspector/verify",
        data={"file": (io.BytesIO(draft.read_bytes()), draft.name)},
        content_type="multipart/form-data",
    )
    said = (
        f"Это неподписанный черновик документа «{ORDER} — МБОУ Идринская СОШ», версия 1 "
        "(например, копия из папки outbox/): при подписи "
    )
    page = texts(shown)
    assert shown.status_code == 200 and said in page
    assert (
        f"в него вписаны номер и дата приказа (№ {number}), и подписан уже исправленный файл. "
        "Проверьте подписанный экземпляр: скачайте его со страницы документа или из архива."
    ) in page
    assert "изменён или не создавался этим сервисом" not in page
    assert "ИТОГ: проверка НЕ пройдена." in page
    console = run(settings.home, "verify", str(draft))
    assert console.returncode == 1 and said in console.stdout
    api = client.post(
        "/api/verify",
        data={"file": (io.BytesIO(draft.read_bytes()), draft.name)},
        content_type="multipart/form-data",
    ).get_json()
    assert (api["ok"], api["found"]) == (False, False) and api["draft"].startswith(said)


def test_a_file_the_service_never_made_is_still_called_so(client, web_school):
    login(client, "inspector")
    shown = client.post(
        "/inspector/verify",
        data={"file": (io.BytesIO(b"PK\x03\x04 not ours"), "чужой.docx")},
        content_type="multipart/form-data",
    )
    assert (
        "Файла с таким содержимым нет в реестре: он изменён или не создавался этим сервисом."
        in (texts(shown))
    )


def test_the_console_names_the_kind_in_russian(web_school, tmp_path):
    """``nastavnik verify`` printed «вид: regulation»: the kind's id, where the user reads
    Russian (left12). It prints the kind's title, as the inspector's page and section 12 do."""
    settings = web_school.settings
    regulation = web_school.doc_id("regulation")
    with session_scope(settings.database_url) as s:
        document = s.get(Document, regulation)
        path = tmp_path / "положение.docx"
        path.write_bytes(FileStore(settings.store_dir).get(document.sha256))
        digest = document.sha256
    console = run(settings.home, "verify", str(path))
    assert (console.returncode, console.stdout) == (
        1,
        f"SHA-256: {digest}\n"
        "Документ реестра: Положение о наставничестве — МБОУ Идринская СОШ\n"
        f"  вид: Положение о наставничестве, версия 1, документ № {regulation}\n"
        "  состояние: ожидает подписи\n"
        "Подписей нет.\n"
        "ИТОГ: проверка НЕ пройдена.\n",
    )
