# ruff: noqa: F401, F811 - pytest fixtures are imported and then named as arguments
"""The administrator's page «Шаблоны» in a real browser (Chromium via Playwright, against
``nastavnik serve``): a bad template is refused with its problems listed, a good one is
installed and used, reset brings the standard text back."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from tests.test_browser import browser, log_in, page, pytestmark, school_server, shot, submit

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"
WORDING = "Приказ издан по положению о наставничестве школы {{ org.short_name }}."
BAD = "Подпись завуча: {{ zavuch.name }}"


def order_with(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    doc = Document(str(TEMPLATES / "order_pairs.docx"))
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


def upload(page, path: Path) -> None:
    row = page.locator("#kind-order_pairs")
    row.locator("input[name=template]").set_input_files(str(path))
    with page.expect_navigation():
        row.locator("button:has-text('Проверить и поставить')").click()


def preview(page) -> str:
    with page.expect_navigation():
        page.locator("#kind-order_pairs a:has-text('текст')").click()
    text = page.inner_text("#preview-text")
    # a paragraph wraps: the page stays as wide as the window (10745 px before)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.go_back()
    return text


def test_templates_page_refuses_installs_and_resets(web_school, school_server, page, tmp_path):
    log_in(page, school_server, "admin")
    submit(page, "nav >> text=Шаблоны")
    assert page.inner_text("#kind-order_pairs .source") == "стандартный"
    assert "Приказ издан по положению" not in preview(page)

    upload(page, order_with(tmp_path, "с ошибкой.docx", BAD))
    problems = page.inner_text("#problems")
    assert [line for line in problems.splitlines() if line] == [
        "Шаблон «с ошибкой.docx» для «Приказ об утверждении наставников и наставнических пар» "
        "не поставлен: найдено проблем — 1. Ничего не изменено.",
        "Переменной «zavuch» нет в данных документа этого вида — в абзаце "
        "«Подпись завуча: {{ zavuch.name }}»",
    ]
    shot(page, "admin-templates-refused")
    assert page.inner_text("#kind-order_pairs .source") == "стандартный"
    assert not web_school.settings.school_templates.exists()

    upload(page, order_with(tmp_path, "наш приказ.docx", WORDING))
    assert page.inner_text(".flash") == (
        "Шаблон школы для «Приказ об утверждении наставников и наставнических пар» "
        "поставлен; новые документы — по нему."
    )
    source = page.inner_text("#kind-order_pairs .source")
    assert source.startswith("шаблон школы, поставлен ")
    assert source.endswith(" (admin) Вернуть стандартный…")
    assert "Приказ издан по положению о наставничестве школы МБОУ Идринская СОШ." in preview(page)
    shot(page, "admin-templates-installed")

    # the confirmation first: the school's file is deleted
    submit(page, "#kind-order_pairs a:has-text('Вернуть стандартный')")
    assert "будет удалён из папки шаблонов" in page.inner_text("#confirm")
    submit(page, "#confirm button:has-text('Вернуть стандартный')")
    assert page.inner_text(".flash") == (
        "Для «Приказ об утверждении наставников и наставнических пар» снова действует "
        "стандартный шаблон."
    )
    assert page.inner_text("#kind-order_pairs .source") == "стандартный"
    assert "Приказ издан по положению" not in preview(page)
