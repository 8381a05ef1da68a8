# ruff: noqa: F401, F811 - pytest fixtures are imported and then named as arguments
"""In a real browser (Chromium via Playwright, against ``nastavnik serve``): the secretary's
«Проверить без изменений» and the returned-document loop — the director returns an order
with a comment, the secretary sees it, a corrected workbook makes the new version (the
returned one superseded), the director sees what changed and signs."""

from __future__ import annotations

from openpyxl import load_workbook
from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Document, DocumentStatus
from tests.signing_calls import return_document

# the fixtures browser and school_server are test_browser's, imported for pytest
from tests.test_browser import browser, log_in, pytestmark, school_server, shot, sign, submit
from tests.test_dry_run import corrected, ended_early, listing, state
from tests.web_school import KEY_PASSWORD

COMMENT = "Уточните дату окончания пары П-02: 28.02.2024"


def new_page(browser):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    return context.new_page()


def order_versions(settings) -> list[tuple[int, int, str, str | None]]:
    """(id, version, status, comment) of every version of the pairs order."""
    with session_scope(settings.database_url) as s:
        return [
            (d.id, d.version, d.status, d.comment)
            for d in s.scalars(
                select(Document).where(Document.kind == "order_pairs").order_by(Document.version)
            )
        ]


def test_the_check_button_shows_the_changes_and_changes_nothing(
    web_school, school_server, browser, tmp_path
):
    settings = web_school.settings
    sign(settings, "order_pairs")
    workbook = corrected(web_school.workbook, tmp_path / "Пары — исправление.xlsx")
    page = new_page(browser)
    log_in(page, school_server, "secretary")
    before = state(settings)

    page.set_input_files("input[name=workbook]", str(workbook))
    submit(page, "button:has-text('Проверить без изменений')")

    assert page.url.endswith("/secretary/check")
    assert page.inner_text("#verdict") == (
        "Книга «Пары — исправление.xlsx» будет принята: новых документов и версий — 3, "
        "без изменений: 33. Проверка ничего не изменила. "
        "Подписанных документов, которым потребуется новая подпись: 1."
    )
    assert page.inner_text("#rows").splitlines() == [
        "Пары",
        "П-02: дата окончания 24.05.2024 → 31.05.2024",
    ]
    signed_row = page.locator(
        "#new-versions tr", has_text="Приказ об утверждении наставников"
    ).inner_text()
    assert "подписан — потребуется новая подпись" in signed_row
    # П-02 extended: the order on pairs, its programme and its mentor's consent (and the
    # table's header row)
    assert page.locator("#new-versions tr").count() == 4
    assert page.locator("#new-documents").count() == 0
    shot(page, "secretary-check")
    assert state(settings) == before
    assert listing(settings.var / "uploads") == {}

    book = corrected(web_school.workbook, tmp_path / "с ошибкой.xlsx")
    sheet = load_workbook(book)
    sheet["Пары"]["D3"] = "Неверная форма"
    sheet.save(book)
    page.set_input_files("input[name=workbook]", str(book))
    submit(page, "button:has-text('Проверить без изменений')")
    assert page.inner_text("#verdict") == (
        "Книга «с ошибкой.xlsx» не будет принята: 1 ошибка. Ничего не изменено."
    )
    assert "1. лист «Пары», строка 3, столбец «Форма»: Значения «Неверная форма» нет" in (
        page.inner_text("#report")
    )
    shot(page, "secretary-check-errors")
    assert state(settings) == before


def test_a_returned_order_comes_back_corrected_and_is_signed(
    web_school, school_server, browser, tmp_path
):
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    director = new_page(browser)
    log_in(director, school_server, "director")
    director.goto(f"{school_server.url}/director/documents/{order}")
    assert director.locator("#changes").count() == 0  # the first version: nothing to compare
    director.fill("textarea[name=comment]", COMMENT)
    submit(director, "button:has-text('Вернуть с комментарием')")
    assert "Вернуть на доработку:" in director.inner_text("#confirm")  # asked first
    submit(director, "#confirm button:has-text('Вернуть на доработку')")
    assert (
        "Документ «Приказ об утверждении наставников и наставнических пар» возвращён на "
        f"доработку с комментарием «{COMMENT}»."
    ) in director.inner_text("main")

    secretary = new_page(browser)
    log_in(secretary, school_server, "secretary")
    returned = secretary.inner_text("#returned")
    assert "Приказ об утверждении наставников и наставнических пар" in returned
    assert COMMENT in returned
    shot(secretary, "secretary-returned")
    secretary.set_input_files(
        "input[name=workbook]",
        str(ended_early(web_school.workbook, tmp_path / "Пары — исправление.xlsx")),
    )
    submit(secretary, "button:has-text('Загрузить и обработать')")
    secretary.wait_for_selector("#documents", timeout=90_000)
    assert "Приказ об утверждении наставников" in secretary.inner_text("#documents")
    versions = order_versions(settings)
    assert [(v[1], v[2], v[3]) for v in versions] == [
        (1, DocumentStatus.SUPERSEDED, COMMENT),
        (2, DocumentStatus.AWAITING_SIGNATURE, None),
    ]
    new = versions[1][0]
    secretary.goto(school_server.url + "/secretary/")
    assert secretary.locator("#returned").count() == 0

    director.goto(f"{school_server.url}/director/documents/{new}")
    changes = director.inner_text("#changes")
    assert "Что изменилось по сравнению с версией 1" in director.inner_text("main")
    assert f"комментарий при возврате: «{COMMENT}»" in changes
    removed = director.locator("#changes del").all_inner_texts()
    added = director.locator("#changes ins").all_inner_texts()
    assert len(removed) == len(added) == 1
    assert removed[0].startswith("− П-02 | Белова Елена Викторовна")
    assert removed[0].endswith("с 09.10.2023 по 24.05.2024 (8 месяцев)")
    assert added[0].startswith("+ П-02 | Белова Елена Викторовна")
    assert added[0].endswith("с 09.10.2023 по 28.02.2024 (5 месяцев)")
    shot(director, "director-changes")
    submit(director, "button:has-text('Подписать…')")
    director.fill("input[name=password]", KEY_PASSWORD)
    submit(director, "#confirm button:has-text('Подписать')")
    flashes = director.locator(".flash").all_inner_texts()
    assert any(f.startswith("Подписан: Приказ об утверждении") for f in flashes), flashes
    assert [v[2] for v in order_versions(settings)] == [
        DocumentStatus.SUPERSEDED,
        DocumentStatus.SIGNED,
    ]


def test_the_secretary_answers_and_the_director_reads_the_thread(
    web_school, school_server, browser
):
    """The data were right: the secretary answers beside the returned order, confirms, and
    the director finds the same version in his queue with his comment and her answer."""
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    return_document(settings, "director", order, "Проверьте дату окончания пары П-02")
    answer = "Дата верна: пара П-02 работает до 24.05.2024, см. заявление наставника"
    secretary = new_page(browser)
    log_in(secretary, school_server, "secretary")
    row = secretary.locator(f"#returned-{order}")
    row.locator("textarea[name=answer]").fill(answer)
    shot(secretary, "secretary-resubmit-form")
    with secretary.expect_navigation():
        row.locator("button:has-text('Ответить и вернуть на подпись…')").click()
    # the answer was posted: it is on the page, not in the address or the browser's history
    assert secretary.url == f"{school_server.url}/secretary/returned/{order}"
    assert secretary.inner_text("#summary") == (
        "Вернуть на подпись без изменений: «Приказ об утверждении наставников и "
        "наставнических пар», версия 1"
    )
    assert f"Ваш ответ: «{answer}»" in secretary.inner_text("#confirm")
    shot(secretary, "secretary-resubmit-confirm")
    submit(secretary, "#confirm button:has-text('Вернуть на подпись')")
    assert secretary.locator(".flash[role=status]").all_inner_texts() == [
        "Документ «Приказ об утверждении наставников и наставнических пар» снова на подписи "
        f"у директора Кинякиной\u00a0Т.И. с вашим ответом: «{answer}»"
    ]
    assert secretary.locator("#returned").count() == 0
    assert [(v[1], v[2], v[3]) for v in order_versions(settings)] == [
        (1, DocumentStatus.AWAITING_SIGNATURE, None)
    ]

    director = new_page(browser)
    log_in(director, school_server, "director")
    thread = director.inner_text(f"#thread-{order}")
    assert "Возвращён — вы" in thread and "«Проверьте дату окончания пары П-02»" in thread
    assert "Ответ — Иванова\u00a0А.П." in thread and f"«{answer}»" in thread
    shot(director, "director-queue-thread")
