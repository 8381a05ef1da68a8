"""A new director given the login of the one who left (the administrator renamed the account
and issued its new key): her predecessor's signatures are not hers. Signing an order the
predecessor signed told her «уже подписан вами» — the signature was matched by the login."""

from __future__ import annotations

import re

from service.intake.demo import ORGANIZATION, write_filled_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.users import find_user, is_demo_user, update_user
from tests.signing_calls import sign_documents
from tests.test_web_pages import texts
from tests.web_school import KEY_PASSWORD, issue_key, login

SUCCESSOR = "Орлова Мария Петровна"
SUCCESSOR_KEY = "ключ-преемницы-3"
DIRECTOR = "Семёнова Людмила Петровна"
DIRECTOR_KEY = "ключ-семёновой-4"


def test_a_successor_reusing_the_login_is_not_told_signed_by_you(client, web_school):
    order = web_school.doc_id("order_implementation")
    [signed] = sign_documents(web_school.settings, "director", [order], KEY_PASSWORD)
    assert signed.ok, signed.message
    [again] = sign_documents(web_school.settings, "director", [order], KEY_PASSWORD)
    assert again.already and re.fullmatch(
        r"Документ «Приказ о внедрении целевой модели наставничества, № \S+ от \d\d\.\d\d\.\d{4}» "
        r"уже подписан вами \d\d\.\d\d\.\d{4} в \d\d:\d\d: подписывать снова не нужно\.",
        again.message,
    ), again.message
    with session_scope(web_school.settings.database_url) as s:
        update_user(s, find_user(s, "director"), full_name=SUCCESSOR)
    issue_key(
        web_school.settings,
        "director",
        SUCCESSOR,
        "Директор",
        "director",
        SUCCESSOR_KEY,
        other_name_reason="новый директор",
    )
    [hers] = sign_documents(web_school.settings, "director", [order], SUCCESSOR_KEY)
    assert (hers.ok, hers.already, hers.message) == (
        False,
        False,
        f"Документ № {order} уже подписан.",
    )
    login(client, "director")
    # her page leads back to her queue, not to «Подписанные», which lists nothing of hers
    page = texts(client.get(f"/director/documents/{order}"))
    assert "← К списку на подпись" in page and "← Подписанные" not in page
    assert "Приказ о внедрении" not in texts(client.get("/director/signed"))


def test_a_director_whose_account_writes_her_name_shorter_still_finds_her_signatures(
    client, web_school
):
    """review15: an account «Кинякина Татьяна» (no patronymic) may hold a key issued on
    «Кинякина Татьяна Игоревна» (the same person written shorter: ``check_key_owner``), and
    signs with it; «Подписанные» and the document's page matched a signature by the account's
    ФИО alone and showed her nothing she had signed."""
    order = web_school.doc_id("order_implementation")
    with session_scope(web_school.settings.database_url) as s:
        update_user(s, find_user(s, "director"), full_name="Кинякина Татьяна")
    [signed] = sign_documents(web_school.settings, "director", [order], KEY_PASSWORD)
    assert signed.ok, signed.message
    login(client, "director")
    assert "Приказ о внедрении" in texts(client.get("/director/signed"))
    page = texts(client.get(f"/director/documents/{order}"))
    assert "← Подписанные" in page


def test_a_trial_director_finds_what_she_signed(client, web_school):
    """play20: a school tried the service with `make run DEMO=1` and went on with its own
    workbook naming its director «Семёнова Людмила Петровна»; the sample account «director»
    (its placeholder ФИО «Кинякина Татьяна Игоревна», which ``check_key_owner`` does not
    compare) got her key and signed the year's documents, and «Подписанные» said «Вы ещё
    ничего не подписали» — a signature was the account's only under the account's ФИО."""
    book = web_school.workbook.parent / "своя школа.xlsx"
    write_filled_workbook(book, organization={**ORGANIZATION, "Руководитель (ФИО)": DIRECTOR})
    assert process_workbook(web_school.settings, book).outcome == Outcome.DONE
    with session_scope(web_school.settings.database_url) as s:
        assert is_demo_user(find_user(s, "director"))
    issue_key(web_school.settings, "director", DIRECTOR, "Директор", "director", DIRECTOR_KEY)
    order = web_school.doc_id("order_implementation")
    [signed] = sign_documents(web_school.settings, "director", [order], DIRECTOR_KEY)
    assert signed.ok, signed.message
    login(client, "director")
    assert "Приказ о внедрении" in texts(client.get("/director/signed"))
    assert "← Подписанные" in texts(client.get(f"/director/documents/{order}"))


def test_a_trial_directors_return_names_the_director_on_her_key(client, web_school):
    """office21: the sample account «director» (placeholder ФИО «Кинякина Татьяна Игоревна»)
    holding the key of the school's own director «Семёнова Людмила Петровна» returned a
    document: the secretary's page said «директор Кинякина Т.И.» and the answer's message
    «снова на подписи у директора Кинякиной Т.И.» — a name neither the key nor any document
    carries."""
    book = web_school.workbook.parent / "своя школа.xlsx"
    write_filled_workbook(book, organization={**ORGANIZATION, "Руководитель (ФИО)": DIRECTOR})
    assert process_workbook(web_school.settings, book).outcome == Outcome.DONE
    issue_key(web_school.settings, "director", DIRECTOR, "Директор", "director", DIRECTOR_KEY)
    order = web_school.doc_id("order_implementation")
    login(client, "director")
    returned = client.post(f"/director/documents/{order}/return", data={"comment": "Дата?"})
    assert returned.status_code == 302, returned.get_data(as_text=True)
    login(client, "secretary")
    page = texts(client.get("/secretary/"))
    assert "директор Семёнова Л.П." in page and "Кинякина" not in page
    answered = client.post("/secretary/returned", data={"document": order, "answer": "Верна"})
    assert answered.status_code == 302
    page = texts(client.get(answered.location))
    assert "снова на подписи у директора Семёновой Л.П. с вашим ответом" in page
    assert "Кинякин" not in page
