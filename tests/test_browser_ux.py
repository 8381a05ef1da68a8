# ruff: noqa: F401, F811 - pytest fixtures are imported and then named as arguments
"""The one-click-mistake fixes and the office language in a real browser (Debian's Chromium):
the director's queue on a 390-px phone («выбрать все», the confirmation page, no horizontal
scroll), a scan whose signer is chosen from the document's people, a key revoked after
confirming, the verdict on another document's signature. Screenshots go to
``test-artifacts/screenshots/`` and are meant to be looked at."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Document, DocumentStatus
from service.store import FileStore

# the fixtures browser, page and school_server are test_browser's, imported for pytest
from tests.test_browser import (
    CHROMIUM,
    browser,
    log_in,
    page,
    school_server,
    shot,
    sign,
    submit,
)
from tests.test_scans_and_verdicts import guardian_consent
from tests.web_school import KEY_PASSWORD

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"нет {CHROMIUM}")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def text(page, selector: str) -> str:
    return page.inner_text(selector).replace("\xa0", " ")


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"


def within_screen(page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_the_director_signs_everything_from_a_phone(web_school, school_server, phone):
    log_in(phone, school_server, "director")
    assert phone.url.endswith("/director/")
    no_horizontal_scroll(phone)
    boxes = phone.locator("#queue input[name=document]")
    assert boxes.count() == 14
    program = phone.locator("#queue tr:has-text('П-01') a:has-text('Прочитать')")
    with phone.expect_navigation():
        program.click()  # reading a programme (tables inside) on the phone
    assert "ПРОГРАММА" in phone.inner_text(".preview").upper()
    no_horizontal_scroll(phone)
    within_screen(phone, "button:has-text('Подписать…')")
    shot(phone, "phone-director-document")
    plan = phone.locator(".preview table:has-text('Мероприяти')").first  # wide: scrolls itself
    plan.scroll_into_view_if_needed()
    plan.screenshot(path=str(shot(phone, "phone-director-document").with_name("phone-plan.png")))
    phone.goto(school_server.url + "/director/")
    phone.click("#select-all")  # JavaScript: all checked without a reload
    assert phone.url.endswith("/director/")
    assert all(boxes.nth(i).is_checked() for i in range(14))
    within_screen(phone, "button:has-text('Подписать выбранные')")
    shot(phone, "phone-director-queue")
    submit(phone, "button:has-text('Подписать выбранные')")
    assert text(phone, "#summary") == (
        "Подписать 14 документов: 5 приказов, 4 программы, 1 положение, "
        "1 программу целевой модели, 1 дорожную карту, 1 договор, 1 итоговый отчёт"
    )
    no_horizontal_scroll(phone)
    within_screen(phone, "#confirm button")
    shot(phone, "phone-director-confirm")
    phone.fill("input[name=password]", KEY_PASSWORD)
    submit(phone, "#confirm button:has-text('Подписать')")
    assert phone.url.endswith("/director/")
    flashes = phone.locator(".flash").all_inner_texts()  # one summary, not 14 messages
    assert re.fullmatch(
        r"Подписано документов: 14\. Приказы получили номера 1/\d\d, 2/\d\d, 3/\d\d, 4/\d\d, "
        r"5/\d\d\.",
        "; ".join(flashes),
    ), flashes
    assert "Документов, ожидающих вашей подписи, нет." in phone.inner_text("main")
    no_horizontal_scroll(phone)
    shot(phone, "phone-director-signed")
    phone.reload()  # a GET after the redirect: nothing is signed twice
    with session_scope(web_school.settings.database_url) as s:
        signed = s.scalars(select(Document).where(Document.status == DocumentStatus.SIGNED))
        assert sorted(len(d.signatures) for d in signed if d.kind.startswith("order")) == [1] * 5


def test_select_all_works_without_javascript(web_school, school_server, browser):
    context = browser.new_context(locale="ru-RU", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, school_server, "director")
        submit(page, "#select-all")  # a link without JavaScript: a new page
        assert page.url.endswith("/director/?all=1")
        boxes = page.locator("#queue input[name=document]")
        assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
        submit(page, "button:has-text('Подписать выбранные')")
        assert "Подписать 14 документов" in text(page, "#summary")
    finally:
        context.close()


def test_the_secretary_attaches_a_guardians_scan(web_school, school_server, page, tmp_path):
    consent, child, guardian = guardian_consent(web_school.settings)
    scan = tmp_path / "согласие.pdf"
    scan.write_bytes(b"%PDF-1.4\n% scan\n")
    log_in(page, school_server, "secretary")
    page.goto(school_server.url + "/secretary/scans")
    shot(page, "secretary-scans")
    submit(page, f"#scan-{consent}")
    assert "Приложить скан к документу «Согласие законного представителя — Зуев Никита" in (
        text(page, "#summary")
    )
    chooser = page.locator("select[name=signer_guardian]")
    assert chooser.input_value() == guardian
    assert child not in chooser.inner_text()
    page.set_input_files("input[name=scan]", str(scan))
    shot(page, "secretary-scan-confirm")
    submit(page, "#confirm button:has-text('Приложить скан')")
    assert page.url.endswith("/secretary/scans")
    assert f"подписали на бумаге {guardian} (законный представитель)" in text(page, "main")


def test_the_admin_sees_the_school_and_revokes_a_key_after_confirming(
    web_school,
    school_server,
    page,
):
    log_in(page, school_server, "admin")
    ca = page.inner_text("#ca")
    assert ca.startswith("Удостоверяющий центр: Муниципальное бюджетное общеобразовательное")
    assert "CN=" not in ca
    assert not page.locator("text=Сертификат №").first.is_visible()  # behind «подробнее»
    page.locator("#signers summary").first.click()
    assert page.locator("#signers >> text=Сертификат №").first.is_visible()
    submit(page, "text=Отозвать…")
    assert text(page, "#summary") == "Отозвать 1 сертификат: Кинякина Татьяна Игоревна?"
    page.click("#confirm button:has-text('Отозвать')")  # the reason is required: not sent
    assert "/revoke" in page.url
    page.fill("textarea[name=reason]", "Директор сменился")
    shot(page, "admin-revoke-confirm")
    submit(page, "#confirm button:has-text('Отозвать')")
    assert page.url.endswith("/admin/")
    assert "Причина: Директор сменился" in text(page, "main")
    assert "отозван" in page.inner_text("#signers")
    shot(page, "admin-after-revoke")


def test_the_inspector_is_told_a_signature_belongs_to_another_document(
    web_school,
    school_server,
    page,
    tmp_path,
):
    pairs, training = sign(web_school.settings, "order_pairs", "order_training")
    store = FileStore(web_school.settings.store_dir)
    with session_scope(web_school.settings.database_url) as s:
        (tmp_path / "обучение.docx").write_bytes(store.get(s.get(Document, training).sha256))
        p7s = store.get(s.get(Document, pairs).signatures[0].sha256)
        (tmp_path / "пары.docx.p7s").write_bytes(p7s)
    log_in(page, school_server, "inspector")
    page.goto(school_server.url + "/inspector/verify")
    page.set_input_files("input[name=file]", str(tmp_path / "обучение.docx"))
    page.set_input_files("input[name=signature]", str(tmp_path / "пары.docx.p7s"))
    submit(page, "button:has-text('Проверить')")
    verdict = page.inner_text("#verdict")
    assert "Подпись относится к другому документу — «Приказ об утверждении наставников" in verdict
    assert "документ изменён" not in verdict
    assert "SHA-256" not in verdict  # the hash is behind «подробнее»
    page.click("#verdict summary")
    assert "SHA-256" in page.inner_text("#verdict")
    shot(page, "inspector-verify-other-document")


PHONE_PAGES = {
    "curator": ["/curator/", "/curator/pairs", "/curator/pairs/1"],
    "secretary": ["/secretary/", "/secretary/batches/1"],
    "inspector": ["/inspector/", "/inspector/archive"],
    "admin": ["/admin/", "/admin/templates/"],
}


def test_no_list_is_cut_on_a_phone(web_school, school_server, browser):
    """Every role's lists on a 390-px phone: no table wider than the screen (the curator's
    documents, the pairs, the secretary's batches, section 12, the templates were cut after
    two columns and scrolled sideways inside themselves); rows are cards, each value named."""
    cut, cards = [], {}
    for role, paths in PHONE_PAGES.items():
        context = browser.new_context(locale="ru-RU", viewport=PHONE, is_mobile=True)
        phone = context.new_page()
        log_in(phone, school_server, role)
        for path in paths:
            phone.goto(school_server.url + path)
            no_horizontal_scroll(phone)
            cut += [
                f"{path} {wide}"
                for wide in phone.evaluate(
                    "() => [...document.querySelectorAll('main table')]"
                    ".filter(t => !t.closest('.preview') && t.scrollWidth > t.clientWidth + 1)"
                    ".map(t => `${t.id || 'table'} ${t.scrollWidth}/${t.clientWidth}`)"
                )
            ]
            if path == "/curator/":
                cards[path] = phone.evaluate(  # what a card shows: its labels and values
                    "() => [...document.querySelectorAll('#documents tr:nth-child(2) td')]"
                    ".map(td => getComputedStyle(td, '::before').content.replace(/^none$|\"/g, '')"
                    " + td.innerText).join('\\n')"
                ).replace("\xa0", " ")
        shot(phone, f"phone-{role}")
        context.close()
    assert cut == []
    assert cards["/curator/"] == (
        "Положение о наставничестве\nО ком / о чём: МБОУ Идринская СОШ\nВерсия: 1\n"
        "Состояние: ожидает подписи\nРег. номер: —\nПодписи: —\nФайл: DOCX"
    )


def test_back_from_a_refused_form_keeps_what_was_typed(web_school, school_server, page):
    """«Назад» on the error page of a refused form was a link to the form's address: a new
    page, the login and ФИО the administrator had typed gone. It goes back in the browser's
    history, where the form still holds them (the link stays for a browser without scripts)."""
    log_in(page, school_server, "admin")
    form = "form[action$='/admin/users']"
    page.fill(f"{form} input[name=login]", "petrova")
    page.fill(f"{form} input[name=full_name]", "Петрова Анна Сергеевна")
    submit(page, f"{form} button[type=submit]")
    assert text(page, "main .flash") == "Отметьте хотя бы одну роль."
    submit(page, "main a:has-text('Назад')")
    assert page.input_value(f"{form} input[name=login]") == "petrova"
    assert page.input_value(f"{form} input[name=full_name]") == "Петрова Анна Сергеевна"


def test_the_secretary_ticks_who_signed_a_groups_programme_on_a_phone(
    web_school, school_server, phone, tmp_path
):
    """П-01 is a group (Смирнов and Алиев): its scan page ticks each mentee; Алиев was away,
    so she unticks him. Both the mentor and Смирнов are recorded, and the programme stays on
    the «сканы» page, now waiting for its other mentee — on a 390-px phone, the list with its
    «Учебный год» column and the form without a horizontal scroll."""
    programme = web_school.doc_id("program")
    scan = tmp_path / "программа.pdf"
    scan.write_bytes(b"%PDF-1.4\n% scan\n")
    log_in(phone, school_server, "secretary")
    phone.goto(school_server.url + "/secretary/scans")
    no_horizontal_scroll(phone)
    submit(phone, f"#scan-{programme}")
    no_horizontal_scroll(phone)
    boxes = phone.locator("input[name=signer_mentee]")
    assert boxes.count() == 2
    assert [boxes.nth(i).get_attribute("value") for i in range(2)] == [
        "Смирнов Илья Олегович",
        "Алиев Руслан Рашид оглы",
    ]
    assert boxes.nth(0).is_checked() and boxes.nth(1).is_checked()
    phone.get_by_label("Алиев Руслан Рашид оглы").uncheck()
    phone.set_input_files("input[name=scan]", str(scan))
    shot(phone, "secretary-group-scan")
    submit(phone, "#confirm button:has-text('Приложить скан')")
    assert phone.url.endswith("/secretary/scans")
    assert (
        "подписали на бумаге Петрова Анна Сергеевна (наставник); Смирнов Илья Олегович "
        "(наставляемый)." in text(phone, "main")
    )
    row = phone.locator(f"tr:has(#scan-{programme})")
    assert "наставляемый" in row.inner_text() and "наставник" not in row.inner_text()
    with session_scope(web_school.settings.database_url) as s:
        signed = [(x.role, x.signer_name) for x in s.get(Document, programme).signatures]
    assert signed == [("mentor", "Петрова Анна Сергеевна"), ("mentee", "Смирнов Илья Олегович")]
