# ruff: noqa: F401, F811 - pytest fixtures are imported and then named as arguments
"""Pages every role opens, in a real browser (Debian's Chromium) at 1366 px and on a 390-px
phone, as found by crawling the demo as each role (ui17): what a page shows when a value is
long, and that nothing runs off the screen."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from service.pipeline import process_workbook
from service.register.db import session_scope
from service.register.models import Signer
from service.signing.authority import load_ca_certificate
from service.signing.workflow import pending_documents
from service.web.filters import ru_date
from tests.servers import AppServer, Server
from tests.signing_calls import return_document, sign_documents

# the fixtures browser and school_server are test_browser's, imported for pytest
from tests.test_browser import browser, log_in, pytestmark, school_server, shot, submit
from tests.test_dry_run import corrected
from tests.web_school import KEY_PASSWORD, make_users

DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LONG_COMMENT = (
    "В плане встреч нет даты итоговой встречи, а задачи не совпадают с запросом наставляемого: "
    "допишите дату на листе «План», сверьте задачи с листом «Наставляемые» и проверьте, что "
    "срок пары не выходит за учебный год."
)


def screen(browser, viewport: dict):
    context = browser.new_context(
        locale="ru-RU", viewport=viewport, is_mobile=viewport == PHONE, has_touch=False
    )
    context.set_default_timeout(30_000)
    return context.new_page()


def overflow(page) -> list[str]:
    """What runs past the right edge of the window: the page's own width, and each table
    cell whose text is wider than the cell (a line that does not wrap)."""
    width = page.viewport_size["width"]
    found = []
    page_width = page.evaluate("document.documentElement.scrollWidth")
    if page_width > width:
        found.append(f"the page is {page_width} px wide")
    found += page.evaluate(
        "() => [...document.querySelectorAll('main td')]"
        ".filter(td => td.scrollWidth > td.clientWidth + 1 || "
        "td.getBoundingClientRect().right > innerWidth)"
        ".map(td => `${td.dataset.label || td.className}: ${td.scrollWidth}/${td.clientWidth}`)"
    )
    return found


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["1366", "390"])
def test_a_long_return_comment_wraps_in_the_documents_table(
    web_school, school_server, browser, viewport
):
    """The comment a document was returned with was printed in its «Состояние» cell, which
    does not wrap (so that «ожидает подписи» stays on one line): on the curator's pages and
    the inspector's archive, a phone's card ran off the screen and the page scrolled sideways;
    at 1366 px a comment of a few lines pushed the table past the window."""
    programme = web_school.doc_id("program")
    return_document(web_school.settings, "director", programme, LONG_COMMENT)
    for role, path in [
        ("curator", "/curator/"),
        ("curator", "/curator/pairs/1"),
        ("inspector", "/inspector/archive"),
    ]:
        page = screen(browser, viewport)
        log_in(page, school_server, role)
        page.goto(school_server.url + path)
        cell = page.locator("#documents td", has_text="допишите дату").first
        assert cell.inner_text().replace("\xa0", " ") == (
            f"возвращён на доработку\n«{LONG_COMMENT}»"
        )
        assert overflow(page) == [], path
        shot(page, f"long-comment-{role}-{viewport['width']}")
        page.context.close()


def test_a_templates_sample_shows_its_tables_as_tables_on_a_phone(
    web_school, school_server, browser
):
    """The administrator's sample of a template was the document's text in a monospaced block,
    a table's cells run together with « | » («Код пары | Наставник | Наставляемые | …»): on a
    phone a row wrapped over six lines and no column could be read. It is shown as the
    director reads a document: paragraphs, and tables as tables (wide ones scroll inside)."""
    page = screen(browser, PHONE)
    log_in(page, school_server, "admin")
    page.goto(school_server.url + "/admin/templates/order_pairs/preview")
    sample = page.locator("#preview-text")
    assert " | " not in sample.inner_text()
    pairs = sample.locator("table", has_text="Код пары").first
    assert [
        c.replace("\xa0", " ") for c in pairs.locator("tr").first.locator("td").all_inner_texts()
    ] == [
        "Код пары",
        "Наставник",
        "Наставляемые",
        "Форма, вариант, вид наставничества",
        "Сроки",
    ]
    assert pairs.locator("tr").nth(1).locator("td").first.inner_text() == "П-01"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-admin-template-sample")
    page.context.close()


def test_before_the_first_workbook_no_pack_link_leads_to_a_refusal(settings, browser):
    """Before the first workbook the inspector's «Раздел 12» offered «Скачать комплект раздела
    12 (ZIP…)» and the curator's page «Раздел 12 — архивный комплект (8 документов)»: both led
    to «Не найдено. Документов для пакета нет.» Each page now says when the set can be had."""
    make_users(settings)
    server = AppServer(settings.home)
    try:
        page = screen(browser, DESK)
        log_in(page, server, "inspector")
        assert page.locator("main a[href*='/packs/']").count() == 0
        assert page.inner_text("#pack-section12") == (
            "Комплект раздела 12 можно будет скачать, когда появится хотя бы один из восьми "
            "документов."
        )
        page.context.close()
        page = screen(browser, DESK)
        log_in(page, server, "curator")
        assert page.locator("main a[href*='/packs/']").count() == 0
        assert page.inner_text("#pack-section12") == (
            "Раздел 12 — архивный комплект: документов раздела пока нет."
        )
        page.context.close()
    finally:
        server.stop()


def test_certificates_are_shown_in_the_schools_time(web_school, browser):
    """The register keeps a certificate's validity in UTC; the administrator's page printed it
    as it was, beside every other time in the computer's own: in Krasnoyarsk (UTC+7) a key
    issued at 13:58 read «действует с 03 декабря 2026 г., 06:58», the school's CA too."""
    settings = web_school.settings
    zone = ZoneInfo("Asia/Krasnoyarsk")

    def local(moment: datetime) -> str:
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return ru_date(moment.astimezone(zone).replace(tzinfo=None)).replace("\xa0", " ")

    with session_scope(settings.database_url) as s:
        (key,) = s.scalars(select(Signer)).all()
        validity = f"{local(key.not_before)} — {local(key.not_after)}"
    ca = load_ca_certificate(settings.var)
    server = Server(settings.home, env={"TZ": "Asia/Krasnoyarsk"})
    try:
        page = screen(browser, DESK)
        log_in(page, server, "admin")
        shown = page.inner_text("#signers td[data-label='Действует']").replace("\xa0", " ")
        assert shown.splitlines()[0] == validity
        assert (
            page.inner_text("#ca")
            .replace("\xa0", " ")
            .endswith(
                f"; действует с {local(ca.not_valid_before_utc)} по "
                f"{local(ca.not_valid_after_utc)}. Скачать сертификат ca.pem"
            )
        )
        page.context.close()
    finally:
        server.stop()


def test_a_signed_documents_links_stay_on_one_line(web_school, school_server, browser):
    """The director's «Подписанные» at 1366 px: the last cell of a row, «Открыть DOCX .p7s»,
    broke after «DOCX», «.p7s» alone under «Открыть» — in every row, the table not a third
    of the window from its edge."""
    settings = web_school.settings
    with session_scope(settings.database_url) as s:
        queue = [d.id for d in pending_documents(s, "director")]
    assert all(r.ok for r in sign_documents(settings, "director", queue, KEY_PASSWORD))
    page = screen(browser, DESK)
    log_in(page, school_server, "director")
    page.goto(school_server.url + "/director/signed")
    for row in page.locator("#signed tr:has(td)").all():
        links = row.locator("td").last.locator("a")
        assert links.all_inner_texts() == ["Открыть", "DOCX", ".p7s"]
        assert len({round(box["y"]) for box in (a.bounding_box() for a in links.all())}) == 1
    shot(page, "director-signed-1366")
    page.context.close()


def test_the_check_page_quotes_a_changed_text(web_school, school_server, browser, tmp_path):
    """«Проверить без изменений» listed a changed text run into its field's name and into
    the next change: «П-02: дата окончания 24.05.2024 → 31.05.2024; задачи подобрать круг
    чтения; еженедельно обсуждать прочитанное; … → подобрать круг чтения; …» — the tasks'
    own «;» read as the list's. A text is quoted; a date, a number, «—» are not."""
    book_path = corrected(web_school.workbook, tmp_path / "Задачи П-02.xlsx")
    book = load_workbook(book_path)
    sheet = book["Пары"]
    column = [c.value for c in sheet[1]].index("Задачи") + 1
    before = sheet.cell(3, column).value
    sheet.cell(3, column).value = before + "; выступить на конкурсе чтецов"
    book.save(book_path)
    page = screen(browser, DESK)
    log_in(page, school_server, "secretary")
    page.set_input_files("input[name=workbook]", str(book_path))
    submit(page, "button:has-text('Проверить без изменений')")
    assert page.inner_text("#rows").splitlines() == [
        "Пары",
        f"П-02: дата окончания 24.05.2024 → 31.05.2024; задачи «{before}» → "
        f"«{before}; выступить на конкурсе чтецов»",
    ]
    page.context.close()


def test_a_workbook_that_changed_nothing_offers_no_pack(
    web_school, school_server, browser, tmp_path
):
    """A workbook taken with nothing new (a copy with a note in «Инструкция») was listed on the
    curator's page as «Пакет № 2 — … (дата)», and its link answered «Не найдено. В пакете № 2
    нет документов (книга не принята)» — of a workbook that was taken. Such a batch is not
    offered; asked for all the same, its refusal says what happened."""
    book_path = tmp_path / "Та же книга.xlsx"
    book = load_workbook(web_school.workbook)
    book["Инструкция"]["A2"] = "копия для архива"
    book.save(book_path)
    result = process_workbook(web_school.settings, book_path)
    assert result.outcome == "done"
    page = screen(browser, DESK)
    log_in(page, school_server, "curator")
    page.goto(school_server.url + "/curator/")
    batches = [
        a.replace("\xa0", " ")
        for a in page.locator("main li a[href*='/packs/batches/']").all_inner_texts()
    ]
    assert [b.split(" (")[0] for b in batches] == [f"Пакет № 1 — {web_school.workbook.name}"]
    response = page.goto(school_server.url + f"/packs/batches/{result.batch_id}.zip")
    assert response.status == 404
    assert page.inner_text("main p").replace("\xa0", " ") == (
        f"Книга пакета № {result.batch_id} принята без новых документов и версий: "
        "архива у пакета нет."
    )
    page.context.close()
