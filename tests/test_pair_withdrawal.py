"""A pair entered by mistake (office21): its programme, returned by the director, stayed
«возвращён на доработку» for good, the order on pairs and the final report named and counted
it, and nothing took it away — a pair absent from a later «Пары» is kept. Now the secretary
withdraws a pair none of whose documents is signed: its drafts leave the queue, the documents
are made again without it, the register keeps it marked, a workbook naming it is refused; a
pair with a signed document, or approved by a signed order, is refused with the reason."""

from __future__ import annotations

import json
import re
import time

import pytest
from sqlalchemy import select

from service.errors import Conflict
from service.intake.demo import MENTEES, MENTORS, ORGANIZATION, PAIRS, write_filled_workbook
from service.pair_withdrawal import withdrawal_plan
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Batch, Document, DocumentStatus, Event, Pair
from service.register.states import status_text
from service.web.filters import ru_date
from tests.cli import nastavnik
from tests.signing_calls import sign_documents
from tests.test_web_pages import texts
from tests.web_school import KEY_PASSWORD, login


def _current(settings, kind: str, subject_key: str | None = None) -> Document:
    with session_scope(settings.database_url) as s:
        query = select(Document).where(Document.kind == kind)
        if subject_key is not None:
            query = query.where(Document.subject_key == subject_key)
        document = s.scalars(query.order_by(Document.version.desc())).first()
        s.expunge(document)
        return document


def _pair_id(settings, code: str) -> int:
    with session_scope(settings.database_url) as s:
        return s.scalars(select(Pair.id).where(Pair.code == code)).one()


def _listed_codes(document: Document) -> list[str]:
    return [p["code"] for p in json.loads(document.context)["pairs"]]


def test_the_secretary_withdraws_a_pair_entered_by_mistake(client, web_school):
    settings = web_school.settings
    pair_id = _pair_id(settings, "П-02")
    program = _current(settings, "program", f"pair:{pair_id}")
    order_before = _current(settings, "order_pairs")
    assert _listed_codes(order_before) == ["П-01", "П-02", "П-03", "П-04"]
    assert _listed_codes(_current(settings, "report_final")) == ["П-01", "П-02", "П-03", "П-04"]
    login(client, "director")
    comment = {"comment": "Такой пары нет"}
    assert client.post(f"/director/documents/{program.id}/return", data=comment).status_code == 302

    login(client, "secretary")
    page = texts(client.get("/secretary/"))
    assert "Пара введена по ошибке? Исключить пару «П-02»…" in page
    confirm = texts(client.get("/secretary/pairs/withdraw?code=П-02"))
    assert "Исключить пару «П-02» (наставник Белова Е.В.; наставляемая Морозова А.С.)?" in confirm
    assert (
        "Уйдёт из очереди на подпись: «Персонализированная программа наставничества», "
        "версия 1 (возвращён на доработку)" in confirm
    )
    assert "Отменить исключение нельзя: код пары больше не используется." in confirm
    with session_scope(settings.database_url) as s:  # the page changed nothing
        assert s.get(Pair, pair_id).withdrawn_at is None

    done = client.post("/secretary/pairs/withdraw", data={"code": "П-02"})
    assert done.status_code == 302 and "/secretary/batches/" in done.location
    page = texts(client.get(done.location))
    assert (
        "Пара «П-02» исключена из реестра (пакет № 2); отозваны черновики: «Персонализированная "
        "программа наставничества», версия 1 (возвращён на доработку); без неё составлены "
        "заново: " in page
    )
    assert "Приказ об утверждении наставников и наставнических пар" in page
    twice = client.post("/secretary/pairs/withdraw", data={"code": "П-02"})  # a double click
    assert twice.status_code == 302 and twice.location == done.location
    assert "Пара «П-02» уже исключена вами " in texts(client.get(twice.location))

    with session_scope(settings.database_url) as s:
        assert s.get(Pair, pair_id).withdrawn_at is not None  # kept, marked
        assert s.get(Document, program.id).status == DocumentStatus.SUPERSEDED
        shown = status_text(s, s.get(Document, program.id))  # no newer version was made
        # review22: and why — not «по данным реестра больше не составляется»
        assert shown == "отозван: пара «П-02» исключена из реестра как введённая по ошибке"
        event = s.scalars(select(Event).where(Event.kind == "pair_withdrawn")).one()
        assert s.scalars(select(Event.document_id).where(Event.kind == "draft_not_due")).all() == [
            program.id
        ]
        assert (event.actor, event.batch_id, event.details) == (
            "secretary",
            2,
            {
                "code": "П-02",
                "mentor": "Белова Елена Викторовна",
                "mentees": ["Морозова Алина Сергеевна"],
                "drafts": [{"kind": "program", "version": 1, "id": program.id}],
            },
        )
        at = event.at
    order = _current(settings, "order_pairs")
    assert order.version == order_before.version + 1
    assert order.status == DocumentStatus.AWAITING_SIGNATURE
    assert _listed_codes(order) == ["П-01", "П-03", "П-04"]
    assert _listed_codes(_current(settings, "report_final")) == ["П-01", "П-03", "П-04"]

    login(client, "director")
    queue = texts(client.get("/director/"))
    assert "П-02" not in queue and "П-01" in queue

    # the workbook sent again, corrected elsewhere but with the pair still in it: refused
    again = web_school.workbook.parent / "исправленная.xlsx"
    write_filled_workbook(
        again,
        organization={**ORGANIZATION, "Всего педагогов": 39},
        mentors=MENTORS,
        mentees=MENTEES,
        pairs=PAIRS,
    )
    result = process_workbook(settings, again)
    assert result.outcome == Outcome.REJECTED
    day = f"{at:%d.%m.%Y}"
    assert (
        f"лист «Пары», строка 3, столбец «Код пары»: Пара «П-02» исключена из реестра {day} "
        "как введённая по ошибке; её код больше не используется. Удалите эту строку из книги; "
        "если пара всё же нужна, внесите её на лист «Пары» с новым кодом." in result.message
    )
    # without its row the workbook is taken, and the pair stays out
    rest = [p for p in PAIRS if p["Код пары"] != "П-02"]
    write_filled_workbook(again, organization={**ORGANIZATION, "Всего педагогов": 39}, pairs=rest)
    assert process_workbook(settings, again).outcome == Outcome.DONE
    assert _listed_codes(_current(settings, "order_pairs")) == ["П-01", "П-03", "П-04"]

    login(client, "curator")
    listed = texts(client.get("/curator/pairs"))
    when = " ".join(ru_date(at).split())
    assert f"П-02 (исключена {when})" in listed
    shown = texts(client.get(f"/curator/pairs/{pair_id}"))
    assert f"Пара исключена из реестра {when} как введённая по ошибке" in shown

    login(client, "secretary")
    refused = client.get("/secretary/pairs/withdraw?code=П-02")
    assert refused.status_code == 409
    assert "Пара «П-02» уже исключена из реестра" in texts(refused)


def test_a_pair_with_a_signed_document_is_not_withdrawn(web_school):
    settings = web_school.settings
    program = _current(settings, "program", f"pair:{_pair_id(settings, 'П-03')}")
    [signed] = sign_documents(settings, "director", [program.id], KEY_PASSWORD)
    assert signed.ok, signed.message
    with pytest.raises(Conflict) as refused:
        withdrawal_plan(settings, "П-03")
    assert refused.value.message.startswith(
        "Пару «П-03» нельзя исключить: её документы подписаны («Персонализированная программа "
        "наставничества», версия 1). Подписанный документ не удаляется; "
        "отменить его можно только приказом директора."
    )


def test_a_pair_a_signed_order_approved_is_not_withdrawn(web_school):
    settings = web_school.settings
    order = _current(settings, "order_pairs")
    [signed] = sign_documents(settings, "director", [order.id], KEY_PASSWORD)
    assert signed.ok, signed.message
    with pytest.raises(Conflict) as refused:
        withdrawal_plan(settings, "п02")  # as code_key compares codes
    assert refused.value.message.startswith(
        "Пару «П-02» нельзя исключить: её утвердил подписанный приказ об утверждении "
        "наставников и наставнических пар."
    )


def test_the_command_line_withdraws_a_pair_after_asking(web_school):
    """``nastavnik withdraw-pair``: what would leave the queue, a question, then the same
    withdrawal as the secretary's page; «нет» changes nothing."""
    settings = web_school.settings
    home = ("--home", str(settings.home))
    declined = nastavnik(*home, "withdraw-pair", "П-03", input="n\n")
    assert declined.returncode == 1 and "Ошибка: Пара не исключена." in declined.stderr
    assert (
        "Уйдёт из очереди на подпись: «Персонализированная программа наставничества», "
        "версия 1 (ожидает подписи)" in declined.stdout
    )
    with session_scope(settings.database_url) as s:
        assert s.scalars(select(Pair.withdrawn_at).where(Pair.code == "П-03")).one() is None
    done = nastavnik(*home, "withdraw-pair", "П-03", "--yes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith(
        "Пара «П-03» исключена из реестра (пакет № 2); отозваны черновики: «Персонализированная "
        "программа наставничества», версия 1 (ожидает подписи); без неё составлены заново: "
    )
    assert _listed_codes(_current(settings, "order_pairs")) == ["П-01", "П-02", "П-04"]


def test_the_withdrawal_s_batch_page_keeps_the_drafts_that_left_the_queue(client, web_school):
    """review21: the batch «Исключение пары П-03» listed the order made again, but its page
    said nothing of the pair's programme that left the director's queue — only the flash did,
    once; the batch's report keeps it, shown under «Предупреждения» as a workbook's are."""
    settings = web_school.settings
    program = _current(settings, "program", f"pair:{_pair_id(settings, 'П-03')}")
    done = nastavnik("--home", str(settings.home), "withdraw-pair", "П-03", "--yes")
    assert done.returncode == 0, done.stderr
    login(client, "secretary")
    page = texts(client.get("/secretary/batches/2"))
    assert "Пакет № 2: Исключение пары П-03" in page
    # review22: they stood under «Предупреждения (файл они не останавливают)» — no file here
    assert "Предупреждения" not in page
    with session_scope(settings.database_url) as s:
        report = s.scalars(select(Batch.report).where(Batch.id == 2)).one()
    assert report == (
        "Пара «П-03» (Кузнецова Дарья Игоревна — Зуев Никита Андреевич) исключена из реестра "
        "как введённая по ошибке; документы составлены без неё.\n"
        "\n"
        "Отозваны из очереди на подпись черновики пары «П-03»:\n"
        "— «Персонализированная программа наставничества», версия 1 (ожидает подписи)\n"
    )
    assert "Исключение пары " + " ".join(report.split()) in page
    assert program.status == DocumentStatus.AWAITING_SIGNATURE


def test_a_signed_document_the_withdrawal_makes_again_is_told_before(client, web_school):
    """review21: the order on the final event, signed, counts the pairs; withdrawing П-03 made
    it again (a new order «признать утратившим силу» the signed one), and neither the page nor
    the console said so before the secretary confirmed. Found as a workbook's dry run finds
    its changes, in a transaction rolled back: the page changes nothing."""
    settings = web_school.settings
    order = _current(settings, "order_final_event")
    [signed] = sign_documents(settings, "director", [order.id], KEY_PASSWORD)
    assert signed.ok, signed.message
    told = (
        "Подписанный документ будет составлен заново (новая версия — на подпись): «Приказ о "
        "проведении итогового мероприятия» — МБОУ Идринская СОШ, версия 1 (подписан)"
    )
    login(client, "secretary")
    assert told in texts(client.get("/secretary/pairs/withdraw?code=П-03"))
    declined = nastavnik("--home", str(settings.home), "withdraw-pair", "П-03", input="n\n")
    assert told in declined.stdout
    with session_scope(settings.database_url) as s:  # nothing changed by either
        assert s.scalars(select(Pair.withdrawn_at).where(Pair.code == "П-03")).one() is None
        assert s.scalars(select(Event.kind).where(Event.kind == "pair_withdrawn")).all() == []
    assert _current(settings, "order_final_event").version == 1
    assert _current(settings, "program", f"pair:{_pair_id(settings, 'П-03')}").status == (
        DocumentStatus.AWAITING_SIGNATURE
    )
    done = nastavnik("--home", str(settings.home), "withdraw-pair", "П-03", "--yes")
    assert done.returncode == 0, done.stderr
    assert _current(settings, "order_final_event").version == 2  # as told


def test_a_signed_version_in_force_again_is_told_though_a_later_draft_was_withdrawn(web_school):
    """review21's play: the order on the final event signed as version 2 (П-05 counted);
    П-05 withdrawn made version 3; П-06 added with the same people took version 3 back
    (version 2 in force again); withdrawing П-06 then makes version 4 and voids version 2 —
    its latest version being the withdrawn draft 3, the signed one in force is the one told."""
    settings = web_school.settings
    workbook = web_school.workbook.parent / "пары.xlsx"

    people = {
        "П-05": ("Петрова Анна Сергеевна", "Зуев Никита Андреевич"),
        "П-06": ("Белова Елена Викторовна", "Зуев Никита Андреевич"),
    }  # people of other pairs: the order counts the same participants with either

    def send(*codes: str) -> None:
        extra = [
            {**PAIRS[1], "Код пары": c, "Наставник": people[c][0], "Наставляемые": people[c][1]}
            for c in codes
        ]
        write_filled_workbook(workbook, organization=ORGANIZATION, pairs=[*PAIRS, *extra])
        result = process_workbook(settings, workbook)
        assert result.outcome == Outcome.DONE, result.message

    send("П-05")
    order = _current(settings, "order_final_event")
    assert order.version == 2
    [signed] = sign_documents(settings, "director", [order.id], KEY_PASSWORD)
    assert signed.ok, signed.message
    nastavnik("--home", str(settings.home), "withdraw-pair", "П-05", "--yes")
    assert _current(settings, "order_final_event").version == 3
    send("П-06")
    assert _current(settings, "order_final_event").status == DocumentStatus.SUPERSEDED
    assert withdrawal_plan(settings, "П-06").signed_made_again == [
        "«Приказ о проведении итогового мероприятия» — МБОУ Идринская СОШ, версия 2 (подписан)"
    ]


def test_a_second_click_sent_while_the_first_runs_is_told_it_is_done(app, web_school):
    """review22: the second click of «Исключить пару» (a double click, or the page sent again
    from another tab) sent while the first one ran waited for the register's turn, found the
    pair withdrawn and answered «Невозможно: Пара «П-03» уже исключена» (409) — though it was
    this user's own first click that withdrew it. It answers as a second click after the first
    does: the batch's page, «уже исключена вами …»."""
    import threading

    from service.home import one_writer

    clients = [app.test_client(), app.test_client()]
    for each in clients:
        login(each, "secretary")
    answers: list = [None, None]

    def click(number: int) -> None:
        answers[number] = clients[number].post("/secretary/pairs/withdraw", data={"code": "П-03"})

    clicks = [threading.Thread(target=click, args=(n,)) for n in (0, 1)]
    with one_writer(web_school.settings):  # a workbook being processed: both clicks wait
        for each in clicks:
            each.start()
        time.sleep(1.0)  # both past their first look (nothing withdrawn yet), both waiting
    for each in clicks:
        each.join(60)
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].location == answers[1].location == "/secretary/batches/2"
    told = [texts(c.get("/secretary/batches/2")) for c in clients]
    assert sum("Пара «П-03» исключена из реестра (пакет № 2)" in t for t in told) == 1
    assert sum("Пара «П-03» уже исключена вами " in t for t in told) == 1


def test_a_draft_of_another_document_leaving_the_queue_is_told_before(client, web_school):
    """review22: П-05 added after the order on pairs was signed drafted its version 2 (and the
    final event's); withdrawing П-05 took those drafts out of the director's queue, version 1
    in force again — the batch page said so afterwards, but the confirmation page and the
    console listed only П-05's programme. They list the drafts that leave the queue too."""
    settings = web_school.settings
    signed_ids = [_current(settings, k).id for k in ("order_pairs", "order_final_event")]
    for done in sign_documents(settings, "director", signed_ids, KEY_PASSWORD):
        assert done.ok, done.message
    workbook = web_school.workbook.parent / "пары.xlsx"
    extra = {**PAIRS[1], "Код пары": "П-05", "Наставляемые": "Зуев Никита Андреевич"}
    write_filled_workbook(workbook, organization=ORGANIZATION, pairs=[*PAIRS, extra])
    assert process_workbook(settings, workbook).outcome == Outcome.DONE
    assert _current(settings, "order_pairs").version == 2
    told = [
        "Уйдёт из очереди на подпись: «Персонализированная программа наставничества», "
        "версия 1 (ожидает подписи)",
        "Уйдёт из очереди на подпись: «Приказ об утверждении наставников и наставнических пар» "
        "— МБОУ Идринская СОШ, версия 2 (ожидает подписи); снова действует подписанная версия 1",
        "Уйдёт из очереди на подпись: «Приказ о проведении итогового мероприятия» — МБОУ "
        "Идринская СОШ, версия 2 (ожидает подписи); снова действует подписанная версия 1",
    ]
    login(client, "secretary")
    page = texts(client.get("/secretary/pairs/withdraw?code=П-05"))
    assert all(line in page for line in told), page
    declined = nastavnik("--home", str(settings.home), "withdraw-pair", "П-05", input="n\n")
    assert declined.stdout.splitlines()[1:4] == told
    done = nastavnik("--home", str(settings.home), "withdraw-pair", "П-05", "--yes")
    assert done.returncode == 0, done.stderr
    # and said after it too (lead: the message named only the programme)
    assert done.stdout.splitlines()[-1].endswith(
        "; отозваны черновики: «Персонализированная программа наставничества», версия 1 "
        "(ожидает подписи); снова действуют подписанные версии: «Приказ об утверждении "
        "наставников и наставнических пар» — МБОУ Идринская СОШ, версия 1 (черновик версии 2 "
        "отозван), «Приказ о проведении итогового мероприятия» — МБОУ Идринская СОШ, версия 1 "
        "(черновик версии 2 отозван); без неё составлены заново: Итоговый аналитический отчёт, "
        "Согласие на назначение наставником; «Согласие на назначение наставником» — Белова "
        "Елена Викторовна, версия 3 — тот же файл, что версия 1: если её уже подписали на "
        "бумаге, приложите скан этой бумаги к версии 3, подписывать заново не нужно."
    ), done.stdout  # left22b: her consent's version 1, printed for her, is version 3
    for kind in ("order_pairs", "order_final_event"):  # as told: the drafts withdrawn
        assert _current(settings, kind).status == DocumentStatus.SUPERSEDED


def test_the_workbook_dropped_again_after_a_withdrawal_is_told_of_it(web_school):
    """review22: the school's workbook dropped again after П-03 was withdrawn read «После него
    реестр меняли более поздние книги (последняя — пакет № 2 …)» — no workbook had: the
    secretary withdrew a pair — and was told to correct the workbook and send it again, which
    is refused while it names П-03. It names the withdrawal and says to delete its rows."""
    settings = web_school.settings
    done = nastavnik("--home", str(settings.home), "withdraw-pair", "П-03", "--yes")
    assert done.returncode == 0, done.stderr
    again = process_workbook(settings, web_school.workbook)
    assert again.outcome == Outcome.DUPLICATE
    assert re.search(
        r" После него реестр менялся \(последнее изменение — исключение пары «П-03», введённой "
        r"по ошибке: пакет № 2 от [\d.]{10} \d\d:\d\d\), и этот файл его не отменяет\. ",
        again.message,
    ), again.message
    assert again.message.endswith(
        "Чтобы вернуть его данные, исправьте книгу (любая правка делает её новым файлом), "
        "удалите из неё строки исключённых пар и положите её снова."
    )
