"""The page «Шаблоны» through the Flask client: a refused upload answers 400 with its problems,
the preview is the kind's sample rendered from the template in use, as text and as PDF."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from docx import Document

from tests.web_school import login

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"
WORDING = "Приказ издан по положению о наставничестве школы {{ org.short_name }}."


def template_with(text: str) -> bytes:
    doc = Document(str(TEMPLATES / "order_pairs.docx"))
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str = "приказ.docx"):
    return client.post(
        "/admin/templates/order_pairs/upload",
        data={"template": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_refused_upload_lists_problems_and_changes_nothing(client, web_school):
    login(client, "admin")
    response = upload(client, template_with("{% if org.phone %}Телефон"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        "Тег: «{% if org.phone %}» не закрыт: нет «{% endif %}» — в абзаце "
        '«<span class="paragraph">{% if org.phone %}Телефон</span>»' in page
    )
    assert not web_school.settings.school_templates.exists()
    response = upload(client, b"PK not a document", "приказ.doc")
    assert response.status_code == 400
    assert "Файл не открывается как документ Word (.docx)." in response.get_data(as_text=True)


def test_preview_as_text_and_pdf_uses_the_template_in_use(client, web_school, tmp_path):
    login(client, "admin")
    assert upload(client, template_with(WORDING)).status_code == 302
    text = client.get("/admin/templates/order_pairs/preview").get_data(as_text=True)
    assert "Приказ издан по положению о наставничестве школы МБОУ Идринская СОШ." in text
    response = client.get("/admin/templates/order_pairs/preview.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert (
        "filename*=UTF-8''%D0%9E%D0%B1%D1%80%D0%B0%D0%B7%D0%B5%D1%86%20%E2%80%94%20"
        in (response.headers["Content-Disposition"])
    )  # «Образец — …»
    pdf = tmp_path / "preview.pdf"
    pdf.write_bytes(response.data)
    words = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Приказ издан по положению о наставничестве школы МБОУ Идринская СОШ." in " ".join(
        words.split()
    )
    standard = client.get("/admin/templates/order_pairs/standard.docx")
    assert standard.data == (TEMPLATES / "order_pairs.docx").read_bytes()
    assert client.get("/admin/templates/orders/preview").status_code == 404


def test_preview_without_libreoffice_says_so_with_503(client, web_school, monkeypatch):
    """LibreOffice missing is the converter's fault, not the request's: the one error handler
    answers 503 with the Russian message (no view translates it itself)."""
    from dataclasses import replace

    app = client.application
    monkeypatch.setitem(
        app.config, "NASTAVNIK", replace(app.config["NASTAVNIK"], libreoffice="нет-такой-soffice")
    )
    login(client, "admin")
    response = client.get("/admin/templates/order_pairs/preview.pdf")
    assert response.status_code == 503
    assert "Не найдена программа LibreOffice «нет-такой-soffice»" in response.get_data(as_text=True)


def test_going_back_to_the_standard_template_is_confirmed_first(client, web_school):
    """«Вернуть стандартный» deletes the school's template from the templates folder: a page
    says what happens to which template first, and only its POST resets."""
    login(client, "admin")
    assert upload(client, template_with(WORDING)).status_code == 302
    table = client.get("/admin/templates/").get_data(as_text=True)
    # a link: a GET form with no fields opened «…/reset?»
    assert (
        '<a href="/admin/templates/order_pairs/reset" class="button secondary">'
        "Вернуть стандартный…</a>" in table
    )
    page = re.sub(
        r"\s+",
        " ",
        re.sub(
            r"<[^>]+>", " ", client.get("/admin/templates/order_pairs/reset").get_data(as_text=True)
        ),
    )
    assert (
        "Вернуть стандартный шаблон для «Приказ об утверждении наставников и наставнических пар»?"
        in page
    )
    assert (
        "Шаблон школы перестанет действовать и будет удалён из папки шаблонов; новые документы "
        "этого вида будут создаваться по стандартному. Уже созданные документы не меняются. "
        "Чтобы потом поставить шаблон школы снова, сначала скачайте его: ссылка «действующий» "
        "на странице «Шаблоны»." in page
    )
    school_file = web_school.settings.school_templates / "order_pairs.docx"
    assert school_file.exists()  # asking removes nothing
    done = client.post("/admin/templates/order_pairs/reset", follow_redirects=True)
    assert not school_file.exists()
    assert (
        "Для «Приказ об утверждении наставников и наставнических пар» снова действует "
        "стандартный шаблон." in done.get_data(as_text=True)
    )


def test_a_downloaded_template_is_named_by_its_document(client, web_school):
    """A template came down as «order_pairs.docx», the standard one as «order_pairs
    (стандартный).docx»: an administrator downloading a few of them read English ids. They
    are named as the page names them: «Шаблон — <вид документа>.docx»."""
    from urllib.parse import unquote

    def name_of(response) -> str:
        header = response.headers["Content-Disposition"]
        return unquote(header.split("filename*=UTF-8''")[1])

    login(client, "admin")
    title = "Приказ об утверждении наставников и наставнических пар"
    now = client.get("/admin/templates/order_pairs.docx")
    assert name_of(now) == f"Шаблон — {title}.docx"
    assert upload(client, template_with(WORDING)).status_code == 302
    standard = client.get("/admin/templates/order_pairs/standard.docx")
    assert name_of(standard) == f"Шаблон — {title} (стандартный).docx"


def test_replacing_the_schools_template_is_confirmed_first(client, web_school):
    """«Вернуть стандартный…» asks first (the school's file is deleted), but a new upload over
    the school's template deleted that file without a word. The form of a kind with a school
    template has a box to tick, saying so; an upload without it changes nothing."""
    login(client, "admin")
    assert upload(client, template_with(WORDING)).status_code == 302
    installed = web_school.settings.school_templates / "order_pairs.docx"
    first = installed.read_bytes()
    page = client.get("/admin/templates/").get_data(as_text=True)
    row = page[
        page.index('<tr id="kind-order_pairs">') : page.index('<tr id="kind-order_final_event">')
    ]
    assert (
        '<label class="check"><input type="checkbox" name="replace" value="1" required> '
        "Заменить шаблон школы: прежний перестанет действовать и будет удалён из папки шаблонов "
        "(скачайте его, если он ещё нужен)</label>" in row
    )
    assert 'name="replace"' not in page[page.index('<tr id="kind-order_final_event">') :]
    second = template_with("Второй вариант формулировки.")
    refused = upload(client, second)
    assert refused.status_code == 400
    assert (
        "Для «Приказ об утверждении наставников и наставнических пар» уже поставлен шаблон "
        "школы: чтобы заменить его, отметьте «Заменить шаблон школы». Ничего не изменено."
        in re.sub(r"\s+", " ", refused.get_data(as_text=True))
    )
    assert installed.read_bytes() == first
    replaced = client.post(
        "/admin/templates/order_pairs/upload",
        data={"template": (io.BytesIO(second), "приказ.docx"), "replace": "1"},
        content_type="multipart/form-data",
    )
    assert replaced.status_code == 302
    assert installed.read_bytes() == second
