"""A student's row of last year's «Наставляемые» sent again (play17): the workbook of this year
listed Морозова in «8 А»; an old sheet with her «7 А» was taken with no word, put «7 А» back
into the order on pairs, her guardian's consent and the programme, and made each again for
signing. The reader cannot know which class is right (a typo may be corrected down): it takes
the workbook and warns at the cell."""

from __future__ import annotations

from datetime import date

from service.dryrun import dry_run
from service.intake import demo
from service.pipeline import Outcome
from tests.test_school_year import parameters
from tests.test_year_results import current_text, p02, process, school  # noqa: F401
from tests.workbooks import PAIR_HEADER, write_workbook

HEADER = ["Код", "ФИО", "Дата рождения", "Категория", "Класс или должность",
          "Законный представитель (ФИО)"]  # fmt: skip


def morozova(school_class: str) -> list:
    return ["У-03", "Морозова Алина Сергеевна", date(2010, 3, 22), "обучающийся", school_class,
            "Морозов Сергей Николаевич"]  # fmt: skip


LOWER = (
    "лист «Наставляемые», строка 2, столбец «Класс или должность»: Морозова Алина Сергеевна: "
    "класс 7 А, а в реестре — 8 А (книга 2024–2025 учебного года): похоже, это строка книги "
    "прошлого года. Документы, где наставляемый назван, будут составлены заново с классом 7 А. "
    "Если верен класс 8 А, дайте книгу с ним."
)


def test_last_years_class_of_a_student_sent_again_is_warned_of(school, tmp_path):  # noqa: F811
    organization = parameters(dict(demo.ORGANIZATION, **{"Учебный год": "2024–2025"}))
    pair = [*p02(date(2025, 5, 23))]
    pair[5] = date(2024, 9, 16)
    sheets = {
        "Организация": organization,
        "Пары": [PAIR_HEADER, pair],
        "Наставляемые": [HEADER, morozova("8 А")],
    }
    listed = process(school, tmp_path / "сентябрь.xlsx", sheets)
    assert listed.outcome == Outcome.DONE, listed.message
    assert listed.report.warnings == []

    old = write_workbook(tmp_path / "старая.xlsx", {"Наставляемые": [HEADER, morozova("7 А")]})
    assert [str(w) for w in dry_run(school, old).report.warnings] == [LOWER]
    again = process(school, old, {"Наставляемые": [HEADER, morozova("7 А")]})
    assert again.outcome == Outcome.DONE, again.message
    assert [str(w) for w in again.report.warnings] == [LOWER]
    assert "Морозова Алина Сергеевна (7\xa0А класс)" in current_text(school, "order_pairs")
    # a class moved up, or the same, says nothing
    up = process(school, tmp_path / "новая.xlsx", {"Наставляемые": [HEADER, morozova("8 Б")]})
    assert up.report.warnings == []
