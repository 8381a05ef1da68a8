"""The order on the final event, signed, stands when a pair ends early afterwards (left12):
it was made again with one pair fewer in its count, and the director signed it again. The
count is as of the day she signed; the early end is recorded by the mentor's report and the
final report (seed 001 §7), as the signed order on pairs stands too."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from service.intake import demo
from service.register.db import session_scope
from service.register.models import Document
from tests.signing_calls import sign_documents
from tests.test_signing_workflow import DIRECTOR_PASSWORD, doc_id, school  # noqa: F401
from tests.test_year_register import docx_text_of
from tests.test_year_results import (
    PAIR_HEADER,
    RESULT_HEADER,
    Outcome,
    current_text,
    p02,
    process,
)

COUNT = (
    "3.2. обеспечить участие в итоговом мероприятии наставников и наставляемых всех "
    "наставнических пар (групп)\xa0— {};"
)


def event_orders(settings) -> list[tuple[int, str]]:
    with session_scope(settings.database_url) as s:
        rows = s.execute(
            select(Document.version, Document.status)
            .where(Document.kind == "order_final_event")
            .order_by(Document.version)
        )
        return [(version, str(status)) for version, status in rows]


def test_a_signed_event_order_stands_when_a_pair_ends_early_after_it(school, tmp_path):  # noqa: F811
    orders = [doc_id(school, "order_pairs"), doc_id(school, "order_final_event")]
    signed = sign_documents(school, "director", orders, DIRECTOR_PASSWORD)
    assert [r.message for r in signed if not r.ok] == []
    assert COUNT.format("3 пары (группы), 7 участников") in current_text(
        school, "order_final_event"
    )
    # П-02 ends early in January; П-03's «Итоги» say «завершена досрочно»
    moved = process(school, tmp_path / "1.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 1, 26))]})
    assert moved.outcome == Outcome.DONE, moved.message
    results = [RESULT_HEADER, ["П-03", "завершена досрочно", "переезд", "Проведено 3 встречи"]]
    ended = process(school, tmp_path / "2.xlsx", {"Итоги": results})
    assert ended.outcome == Outcome.DONE, ended.message
    assert event_orders(school) == [(1, "signed")]
    assert COUNT.format("3 пары (группы), 7 участников") in current_text(
        school, "order_final_event"
    )
    # the event moved: the order is made again, and counts as of its new day
    event = [["Параметр", "Значение"], *([k, v] for k, v in demo.FINAL_EVENT.items())]
    event[1][1] = date(2024, 5, 28)
    again = process(school, tmp_path / "3.xlsx", {"Итоговое мероприятие": event})
    assert again.outcome == Outcome.DONE, again.message
    assert event_orders(school) == [(1, "signed"), (2, "awaiting_signature")]
    with session_scope(school.database_url) as s:
        newest = s.scalars(
            select(Document.sha256).where(
                Document.kind == "order_final_event", Document.version == 2
            )
        ).one()
    assert COUNT.format("1 пара (группа), 3 участника") in docx_text_of(school, newest)
    report = current_text(school, "report_final")
    statuses = report[report.index("Статус программы | Пар и групп") :].splitlines()[1:4]
    assert statuses == [
        "Завершена | 1",
        "Завершена досрочно | 2",
        "Завершена досрочно (итоги не представлены) | 1",
    ]


def test_a_signed_event_order_stands_when_its_place_prints_otherwise_than_typed(school, tmp_path):  # noqa: F811
    """play21: «актовый зал МАОУ «Гимназия № 3» г. Тюмени» is printed (and kept in the signed
    version's context) with a no-break space after «№»; compared with the place as typed, the
    signed order's event was another one, and the May «Итоги» with a pair ended early made the
    order again — «признать утратившим силу» — a week after the event."""
    event = [["Параметр", "Значение"], *([k, v] for k, v in demo.FINAL_EVENT.items())]
    event[3][1] = "актовый зал, кабинет № 3"
    placed = process(school, tmp_path / "0.xlsx", {"Итоговое мероприятие": event})
    assert placed.outcome == Outcome.DONE, placed.message
    orders = [doc_id(school, "order_pairs"), doc_id(school, "order_final_event")]
    signed = sign_documents(school, "director", orders, DIRECTOR_PASSWORD)
    assert [r.message for r in signed if not r.ok] == []
    before = event_orders(school)
    assert before[-1][1] == "signed"
    results = [RESULT_HEADER, ["П-03", "завершена досрочно", "переезд", "Проведено 3 встречи"]]
    ended = process(school, tmp_path / "1.xlsx", {"Итоги": results})
    assert ended.outcome == Outcome.DONE, ended.message
    assert event_orders(school) == before
    text = current_text(school, "order_final_event")
    assert COUNT.format("3 пары (группы), 7 участников") in text
    assert "(место проведения: актовый зал, кабинет №\xa03)" in text
