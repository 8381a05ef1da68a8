"""The year's final report made as a draft, then a corrected workbook under which the year is
not over (play17): the secretary gave «Итоги» of both pairs, the report was made for the
director, then she sent «Пары» with a third pair she had forgotten, at work until May. The
draft stayed in the director's queue (a second version listing the pair «реализуется»), a
report of a year not over yet. Now a draft the director has not signed is withdrawn, and the
workbook says so; a report she signed stays as signed; the report is made again once the
forgotten pair has its «Итоги»."""

from __future__ import annotations

from datetime import date

from service.dryrun import dry_run
from service.pipeline import process_workbook
from service.register.db import session_scope
from service.register.models import Document
from service.register.states import status_text
from service.register.users import add_user
from service.web import create_app
from tests.signing_calls import sign_documents
from tests.test_reverted_content import versions
from tests.test_year_boundary import (  # noqa: F401
    CA_PASSWORD,
    RESULT_HEADER,
    YEAR,
    Y,
    process,
    queue,
    sign,
    year,
)
from tests.web_school import NAMES, issue_key, login, password_of
from tests.workbooks import MENTEE_HEADER, PAIR_HEADER, write_workbook

SCHOOL = "МБОУ Идринская СОШ"
CURATOR = "ключ-куратора-1"
CA = {"ca_password": CA_PASSWORD, "org": SCHOOL}
DONE = [
    ["П-01", "завершена", None, "Проведено 20 встреч, открытый урок"],
    ["П-02", "завершена", None, "Проведено 18 встреч"],
]
FORGOTTEN = {
    "Наставляемые": [
        MENTEE_HEADER,
        ["У-03", "Лебедева Ольга Павловна", date(2001, 2, 3), "молодой специалист",
         "учитель химии", None],
    ],
    "Пары": [
        PAIR_HEADER,
        ["П-03", "Н-01", "У-03", "Учитель – учитель", None, date(Y, 10, 1), date(Y + 1, 5, 31),
         "Адаптация"],
    ],
}  # fmt: skip
WITHDRAWN = (
    f"лист «Пары»: Итоговый аналитический отчёт за {YEAR} учебный год (версия 1, директор её "
    "не подписал) отозван из очереди на подпись: учебный год ещё не завершён — «Итогов» нет у "
    f"пары П-03 (по 31.05.{Y + 1}). Отчёт будет составлен снова, когда «Итоги» будут у каждой "
    "пары учебного года или её срок истечёт."
)
NOT_DUE = "отозван: по данным реестра больше не составляется"
THIRD = ["П-03", "завершена", None, "Проведено 12 встреч"]


def finals(settings) -> list[tuple[int, str]]:
    return [(v.version, str(v.status)) for v in versions(settings, "report_final")]


def withdrawals(warnings) -> list[str]:
    return [str(w) for w in warnings if "отозван" in str(w)]


def test_a_draft_final_report_leaves_the_queue_when_the_year_is_not_over(year, tmp_path):  # noqa: F811
    made = process(year, tmp_path / "итоги.xlsx", {"Итоги": [RESULT_HEADER, *DONE]})
    assert ("report_final", SCHOOL) in made
    assert finals(year) == [(1, "awaiting_signature")]

    path = write_workbook(tmp_path / "пары.xlsx", FORGOTTEN)
    assert withdrawals(dry_run(year, path).report.warnings) == [WITHDRAWN]
    assert finals(year) == [(1, "awaiting_signature")]  # the check changed nothing
    done = process_workbook(year, path)
    assert ("report_final", SCHOOL) not in [(e.kind, e.subject) for e in done.entries]
    assert withdrawals(done.report.warnings) == [WITHDRAWN]
    assert finals(year) == [(1, "superseded")]
    assert [k for k in queue(year) if k[0] == "report_final"] == []
    with session_scope(year.database_url) as s:
        draft = s.query(Document).filter_by(kind="report_final").one()
        assert status_text(s, draft) == NOT_DUE
        draft_id, made_in = draft.id, draft.batch_id
        add_user(s, "secretary2", NAMES["secretary"], ["secretary"], password_of("secretary"))
    # the secretary's page of the batch that made it, and the API, say so too
    web = create_app(year, {"WTF_CSRF_ENABLED": False}).test_client()
    login(web, "secretary2", password_of("secretary"))
    page = web.get(f"/secretary/batches/{made_in}").get_data(as_text=True)
    assert f'class="status status-superseded">{NOT_DUE}</td>' in page
    assert web.get(f"/api/documents/{draft_id}").get_json()["status_name"] == NOT_DUE
    listed = web.get("/api/documents?status=superseded&kind=report_final").get_json()["documents"]
    assert [(d["version"], d["status_name"]) for d in listed] == [(1, NOT_DUE)]
    # the next workbook says nothing of it again
    again = {"Итоги": [RESULT_HEADER, *reversed(DONE)]}
    done = process_workbook(year, write_workbook(tmp_path / "итоги-2.xlsx", again))
    assert withdrawals(done.report.warnings) == []
    assert finals(year) == [(1, "superseded")]

    # the forgotten pair's «Итоги»: the year is over, its report made again for the director
    made = process(year, tmp_path / "итоги-3.xlsx", {"Итоги": [RESULT_HEADER, THIRD]})
    assert ("report_final", SCHOOL) in made
    assert finals(year) == [(1, "superseded"), (2, "awaiting_signature")]
    assert [k for k in queue(year) if k[0] == "report_final"] == [("report_final", SCHOOL, 2)]


def test_a_signed_final_report_stays_as_signed_while_the_year_is_not_over(year, tmp_path):  # noqa: F811
    process(year, tmp_path / "итоги.xlsx", {"Итоги": [RESULT_HEADER, *DONE]})
    sign(year, "report_final")
    issue_key(year, "curator", "Бутрина Ольга Николаевна", "Куратор", "curator", CURATOR, **CA)
    with session_scope(year.database_url) as s:
        report = s.query(Document).filter_by(kind="report_final").one().id
    [signed] = sign_documents(year, "curator", [report], CURATOR)
    assert signed.ok, signed.message
    assert finals(year) == [(1, "signed")]

    done = process_workbook(year, write_workbook(tmp_path / "пары.xlsx", FORGOTTEN))
    assert ("report_final", SCHOOL) not in [(e.kind, e.subject) for e in done.entries]
    assert withdrawals(done.report.warnings) == []
    assert finals(year) == [(1, "signed")]
    assert [k for k in queue(year) if k[0] == "report_final"] == []

    made = process(year, tmp_path / "итоги-2.xlsx", {"Итоги": [RESULT_HEADER, THIRD]})
    assert ("report_final", SCHOOL) in made
    assert finals(year) == [(1, "signed"), (2, "awaiting_signature")]
