"""The director's page of a new version of a signed document shows what changes against what
she signed. The order on pairs signed (v1, № …), П-02's end moved (v2, never signed) and moved
again (v3): the page compared v3 with the unsigned draft v2 (left12) — a change she had never
seen (24.05 → 30.05) was not shown, only 30.05 → 31.05."""

from __future__ import annotations

import re
from datetime import date

from service.documents.russian import format_date
from service.register.db import session_scope
from service.register.users import add_user
from service.web import create_app
from tests.test_reissued_orders import sign_latest, versions
from tests.test_signing_workflow import school  # noqa: F401
from tests.test_year_results import PAIR_HEADER, Outcome, p02, process
from tests.web_school import NAMES, login, password_of


def test_a_new_version_is_compared_with_the_signed_one(school, tmp_path):  # noqa: F811
    first = sign_latest(school)
    for name, end in (("1.xlsx", date(2024, 5, 30)), ("2.xlsx", date(2024, 5, 31))):
        moved = process(school, tmp_path / name, {"Пары": [PAIR_HEADER, p02(end)]})
        assert moved.outcome == Outcome.DONE, moved.message
    found = versions(school, "order_pairs")
    assert [(v.version, str(v.status)) for v in found] == [
        (1, "signed"),
        (2, "superseded"),
        (3, "awaiting_signature"),
    ]
    with session_scope(school.database_url) as s:
        add_user(s, "director2", NAMES["director"], ["director"], password_of("director"))
    client = create_app(school, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "director2", password_of("director"))
    page = client.get(f"/director/documents/{found[2].id}").get_data(as_text=True)
    heading = re.search(r"<h2>Что изменилось[^<]*</h2>", page)
    assert heading is not None and heading.group(0) == (
        f"<h2>Что изменилось по сравнению с подписанной версией 1 (№ {first.number})</h2>"
    )
    changes = re.search(r'<div id="changes">(.*?)</div>\s*</div>', page, re.S).group(1)
    removed = re.findall(r"<del>− ([^<]*)</del>", changes)
    added = re.findall(r"<ins>\+ ([^<]*)</ins>", changes)
    assert "<p>Версия 1 — подписан" in changes
    row = (
        "П-02 | Белова Елена Викторовна (учитель русского языка и литературы) | Морозова Алина "
        "Сергеевна (7\xa0А класс) | «Учитель\xa0– ученик», вариант «Активный профессионал\xa0– "
        "равнодушный потребитель»; вид: традиционная | с 09.10.2023 по {} (8 месяцев)"
    )
    assert [x for x in removed if x.startswith("П-02")] == [row.format("24.05.2024")]
    assert [x for x in added if x.startswith("П-02")] == [row.format("31.05.2024")]
    assert "30.05.2024" not in changes


def test_the_requisites_signing_filled_are_not_changes(school, tmp_path):  # noqa: F811
    """Signed v1 carries its number and date, the new draft v2 the blanks signing fills: the
    page showed «− от 02 декабря 2026 г. № 6/26 / + от «____» … № ___» as if the reference to
    the order were dropped (play13). Only what the new version changes is listed: the row, and
    the clause repealing the signed order."""
    first = sign_latest(school)
    moved = process(school, tmp_path / "1.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 5, 30))]})
    assert moved.outcome == Outcome.DONE, moved.message
    found = versions(school, "order_pairs")
    with session_scope(school.database_url) as s:
        add_user(s, "director2", NAMES["director"], ["director"], password_of("director"))
    client = create_app(school, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "director2", password_of("director"))
    page = client.get(f"/director/documents/{found[1].id}").get_data(as_text=True)
    changes = re.search(r'<div id="changes">(.*?)</div>\s*</div>', page, re.S).group(1)
    # and once v2 is signed too (its number and date written in), its page lists the same
    sign_latest(school)
    page = client.get(f"/director/documents/{found[1].id}").get_data(as_text=True)
    assert re.search(r'<div id="changes">(.*?)</div>\s*</div>', page, re.S).group(1) == changes
    row = (
        "П-02 | Белова Елена Викторовна (учитель русского языка и литературы) | Морозова Алина "
        "Сергеевна (7\xa0А класс) | «Учитель\xa0– ученик», вариант «Активный профессионал\xa0– "
        "равнодушный потребитель»; вид: традиционная | с 09.10.2023 по {} (8 месяцев)"
    )
    control = "Контроль за исполнением настоящего приказа оставляю за собой."
    monitoring = (
        "3.2. провести совместно с наставниками мониторинг реализации программ наставничества "
        "два раза за период наставничества: промежуточный и итоговый"
    )
    # the demo's П-04 ended early (its «Итоги»): the order made again leaves it out, and with
    # its external mentor the clause on contracts (play22)
    ended = (
        "П-04 | Орлов Дмитрий Андреевич (инженер-технолог ООО «Агро-Идра») | Ткаченко Владислав "
        "Игоревич (10\xa0А класс) | «Работодатель\xa0– ученик», вариант «Коллега\xa0– молодой "
        "коллега»; вид: традиционная | с 01.11.2023 по 30.04.2024 (6 месяцев)"
    )
    assert re.findall(r"<del>− ([^<]*)</del>", changes) == [
        row.format("24.05.2024"),
        ended,
        f"{monitoring};",
        "3.3. заключить с наставниками, приглашёнными из внешней среды, договоры о "
        "сотрудничестве на безвозмездной основе.",
        f"4. {control}",
    ]
    today = format_date(date.today()).replace(" ", "\xa0", 1)  # a day joined to its month
    assert re.findall(r"<ins>\+ ([^<]*)</ins>", changes) == [
        row.format("30.05.2024"),
        f"{monitoring}.",
        "4. Признать утратившим силу приказ МБОУ Идринская СОШ от "
        f"{today} №\xa0{first.number} «Об утверждении наставников и наставнических пар/групп».",
        f"5. {control}",
    ]


def test_a_return_comment_ending_in_a_full_stop_is_quoted_with_one(school, tmp_path):  # noqa: F811
    """play21: the director returned the regulation with «…Исправьте номер протокола.»; the page
    of its new version said «комментарий при возврате: «…протокола.».» — two full stops."""
    from tests.signing_calls import return_document

    first = versions(school, "order_pairs")[-1]
    return_document(school, "director", first.id, "Уточните дату окончания пары П-02.")
    moved = process(school, tmp_path / "1.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 5, 30))]})
    assert moved.outcome == Outcome.DONE, moved.message
    found = versions(school, "order_pairs")
    with session_scope(school.database_url) as s:
        add_user(s, "director2", NAMES["director"], ["director"], password_of("director"))
    client = create_app(school, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "director2", password_of("director"))
    page = client.get(f"/director/documents/{found[-1].id}").get_data(as_text=True)
    changes = re.search(r'<div id="changes">(.*?)</div>\s*</div>', page, re.S).group(1)
    said = re.search(r"<p>Версия 1 — (.*?)</p>", changes, re.S).group(1)
    assert " ".join(said.split()) == (
        "заменён новой версией; комментарий при возврате: «Уточните дату окончания пары П-02»."
    )
