"""A column given twice: the reader reads the first. play17's secretary added «Вовлеченность на
входе» and «… на выходе» (with «е») at the right of «Итоги», not seeing the «Вовлечённость»
columns on the left, and typed П-02's figures there: the workbook was taken with a warning
«встречается дважды; прочитан первый из них», and the final report's averages left П-02 out.
A value in the second column that the first does not hold is refused, naming the cell."""

from __future__ import annotations

from service.intake.lookup import StaticLookup
from service.intake.reader import read_workbook
from tests.workbooks import TODAY, write_workbook

REGISTER = StaticLookup(pairs={"П-01", "П-02", "П-03"}, organization=True)
HEADER = ["Код пары", "Статус", "Достигнутые результаты", "Вовлечённость на входе"]


def test_a_value_only_in_the_second_of_two_same_columns_is_refused(tmp_path):
    rows = [
        [*HEADER, "Вовлеченность на входе"],
        ["П-01", "завершена", "провёл 12 уроков", 5, None],
        ["П-02", "завершена", "прочитал 12 книг", None, 4],
        ["П-03", "завершена", "решил 40 задач", 6, 6],
    ]
    path = write_workbook(tmp_path / "итоги.xlsx", {"Итоги": rows})
    _, report = read_workbook(path, REGISTER, today=TODAY)
    assert [(p.sheet, p.row, p.column, p.message) for p in report.errors] == [
        (
            "Итоги",
            3,
            "Вовлечённость на входе",
            "Значение «4» — во втором столбце «Вовлечённость на входе» (столбец E), а читается "
            "первый (столбец D), в этой строке в нём пусто. Оставьте один столбец: перенесите "
            "значения из столбца E в столбец D и удалите столбец E.",
        )
    ]


def test_a_second_column_repeating_the_first_is_taken_with_a_warning(tmp_path):
    rows = [
        [*HEADER, "Вовлеченность на входе"],
        ["П-01", "завершена", "провёл 12 уроков", 5, 5],
        ["П-02", "завершена", "прочитал 12 книг", 4, None],
    ]
    path = write_workbook(tmp_path / "итоги.xlsx", {"Итоги": rows})
    book, report = read_workbook(path, REGISTER, today=TODAY)
    assert report.ok and book is not None
    assert [p.message for p in report.warnings] == [
        "Столбец «Вовлечённость на входе» встречается дважды; прочитан первый из них."
    ]
