"""The training order lists the mentors its sessions are for: a mentor whose pair begins after
the last session is not «направлен на обучение» to sessions held before she came (play15: a
pupil mentor with a pair from 08.12.2025 made the October training order, signed, a new order
voiding it, listing her for the sessions of 15 and 29 October). A later session in the
schedule lists her."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from service.config import load_settings
from service.documents.text import docx_text
from service.home import initialise_home
from service.intake.demo import ORGANIZATION, write_filled_workbook
from service.pipeline import Outcome, process_workbook
from tests.names_school import mentee_row, mentor_row, pair_row

YEAR = (date(2023, 9, 15), date(2024, 5, 29))
TRAININGS = [
    {"Тема": "Введение", "Дата": date(2023, 10, 15), "Часов": 4, "Ответственный": "куратор"},
    {"Тема": "Психология", "Дата": date(2023, 10, 29), "Часов": 2, "Ответственный": "куратор"},
]
TSOI = "Цой Виктория Алексеевна"


def made(settings, path: Path, **sheets) -> dict[str, str]:
    write_filled_workbook(path, organization=sheets.pop("organization", {}), **sheets)
    result = process_workbook(settings, path)
    assert result.outcome == Outcome.DONE, result.message
    return {e.kind: docx_text(Path(result.folder) / e.file) for e in result.entries}


def one_pair_school(tmp_path: Path, trainings: list[dict]):
    """A home whose September workbook made one pair and the training ``trainings``."""
    settings = load_settings({"home": tmp_path, "database_url": ""})
    initialise_home(settings)
    mentor = mentor_row("Н-01", "Ёлкина Наталья Викторовна", date(1978, 4, 2), "педагог", "учитель")
    mentee = mentee_row("У-01", "Лев Михаил Аркадьевич", date(2001, 3, 3), "педагог", "учитель")
    made(
        settings,
        tmp_path / "сентябрь.xlsx",
        organization=ORGANIZATION,
        mentors=[mentor],
        mentees=[mentee],
        pairs=[pair_row("П-01", "Н-01", "У-01", "Учитель – учитель", term=YEAR)],
        trainings=trainings,
    )
    return settings


def test_a_mentor_who_came_after_the_sessions_is_not_sent_to_them(tmp_path: Path) -> None:
    settings = load_settings({"home": tmp_path, "database_url": ""})
    initialise_home(settings)
    september = made(
        settings,
        tmp_path / "сентябрь.xlsx",
        organization=ORGANIZATION,
        mentors=[
            mentor_row("Н-01", "Ёлкина Наталья Викторовна", date(1978, 4, 2), "педагог", "учитель")
        ],
        mentees=[
            mentee_row("У-01", "Лев Михаил Аркадьевич", date(2001, 3, 3), "педагог", "учитель")
        ],
        pairs=[pair_row("П-01", "Н-01", "У-01", "Учитель – учитель", term=YEAR)],
        trainings=TRAININGS,
    )
    assert "Ёлкина Наталья Викторовна" in september["order_training"]
    pupil = mentor_row("Н-02", TSOI, date(2007, 12, 30), "обучающийся", "11 А")
    pupil["Законный представитель (ФИО)"] = "Цой Алексей Робертович"
    mentee = mentee_row("У-02", "Шевчук Дарья Олеговна", date(2010, 2, 2), "обучающийся", "8 Б")
    mentee["Законный представитель (ФИО)"] = "Шевчук Олег Петрович"
    december = (date(2023, 12, 8), date(2024, 5, 29))
    pairs = [pair_row("П-02", "Н-02", "У-02", "Ученик – ученик", term=december)]
    later = made(
        settings, tmp_path / "декабрь.xlsx", mentors=[pupil], mentees=[mentee], pairs=pairs
    )
    assert "order_training" not in later
    assert "order_pairs" in later
    session = {"Тема": "Наставник-ровесник", "Дата": date(2024, 1, 20), "Часов": 2}
    january = made(
        settings,
        tmp_path / "январь.xlsx",
        trainings=[*TRAININGS, {**session, "Ответственный": "куратор"}],
    )
    listed = january["order_training"]
    appendix = listed[listed.index("Список наставников") :]
    assert TSOI in appendix and "Ёлкина Наталья Викторовна" in appendix


def test_a_mentor_who_took_a_pair_over_after_the_sessions_is_not_sent_to_them(
    tmp_path: Path,
) -> None:
    """review15: the same for a mentor who takes over a pair begun before the sessions — the
    pair's start let him in, and December's new mentor of П-01 made the October training order
    again, listing him for sessions held before he came. His predecessor stays on the list."""
    settings = load_settings({"home": tmp_path, "database_url": ""})
    initialise_home(settings)
    first = mentor_row("Н-01", "Ёлкина Наталья Викторовна", date(1978, 4, 2), "педагог", "учитель")
    mentee = mentee_row("У-01", "Лев Михаил Аркадьевич", date(2001, 3, 3), "педагог", "учитель")
    september = made(
        settings,
        tmp_path / "сентябрь.xlsx",
        organization=ORGANIZATION,
        mentors=[first],
        mentees=[mentee],
        pairs=[pair_row("П-01", "Н-01", "У-01", "Учитель – учитель", term=YEAR)],
        trainings=TRAININGS,
    )
    assert "Ёлкина Наталья Викторовна" in september["order_training"]
    new = mentor_row("Н-02", "Жуков Олег Петрович", date(1983, 1, 19), "педагог", "учитель")
    december = made(
        settings,
        tmp_path / "декабрь.xlsx",
        mentors=[new],
        pairs=[pair_row("П-01", "Н-02", "У-01", "Учитель – учитель", term=YEAR)],
    )
    assert "order_pairs" in december and "order_training" not in december


def test_a_forgotten_session_sent_alone_is_refused_not_put_in_place_of_the_schedule(
    tmp_path: Path,
) -> None:
    """play17: the October workbook gave three sessions (8 h) and the order was signed; in May
    the secretary sent the one session she had forgotten, alone on «Обучение наставников». The
    sheet is the whole schedule: the new order listed that session only, «общим объёмом 2 часа»,
    and voided the signed one. A sheet that names none of the sessions of its school year held
    in the register is refused, listing them; a sheet that keeps one of them (by date or topic)
    is the schedule corrected, taken with a warning naming the sessions it drops."""
    settings = one_pair_school(tmp_path, TRAININGS)
    forgotten = {
        "Тема": "Группа",
        "Дата": date(2023, 11, 5),
        "Часов": 2,
        "Ответственный": "куратор",
    }
    path = tmp_path / "забытое.xlsx"
    write_filled_workbook(path, organization={}, trainings=[forgotten])
    refused = process_workbook(settings, path)
    assert refused.outcome == Outcome.REJECTED
    assert [(p.sheet, p.row, p.column, p.message) for p in refused.report.errors] == [
        (
            "Обучение наставников",
            2,
            "Тема",
            "Лист «Обучение наставников» — весь график обучения 2023–2024 учебного года: "
            "принятый, он заменил бы собой занятия, уже внесённые в реестр, а их на листе нет — "
            "15.10.2023 «Введение» (4 ч), 29.10.2023 «Психология» (2 ч). Приказ об обучении "
            "назвал бы только занятия этого листа. Перечислите на листе все занятия года: и "
            "прежние, и новые.",
        )
    ]
    corrected = [dict(TRAININGS[0], **{"Часов": 3}), forgotten]  # «Психология» dropped
    path = tmp_path / "исправленное.xlsx"
    write_filled_workbook(path, organization={}, trainings=corrected)
    done = process_workbook(settings, path)
    assert done.outcome == Outcome.DONE, done.message
    assert [(p.row, p.column, p.message) for p in done.report.warnings] == [
        (
            2,
            "Тема",
            "Лист «Обучение наставников» — весь график обучения 2023–2024 учебного года: "
            "занятие, внесённое раньше и не указанное на листе, из графика удалено — "
            "29.10.2023 «Психология» (2 ч). Если его не отменяли, перечислите на листе и его.",
        )
    ]
    (entry,) = [e for e in done.entries if e.kind == "order_training"]
    assert "общим объёмом 5 часов" in docx_text(Path(done.folder) / entry.file)


def test_a_years_only_session_corrected_in_date_and_topic_is_taken(tmp_path: Path) -> None:
    """The one session of a year, typed wrong in both date and topic and sent again corrected:
    a sheet of as many sessions as the register holds is the schedule rewritten, not a session
    forgotten — taken, with the warning naming the one it replaces (it was refused, and the
    office had no way to correct its only session)."""
    settings = one_pair_school(tmp_path, TRAININGS[:1])
    right = {"Тема": "Наставничество", "Дата": date(2023, 10, 22), "Часов": 4}
    documents = made(
        settings, tmp_path / "исправленное.xlsx", trainings=[dict(right, Ответственный="куратор")]
    )
    assert "Наставничество" in documents["order_training"]
    assert "Введение" not in documents["order_training"]


def test_a_session_of_the_year_before_leaves_the_numbers_from_one(tmp_path: Path) -> None:
    """Play20: a session of the year before kept on the sheet (12.11.2022 in the workbook of
    2023–2024, taken with a warning) is not this year's and the order does not list it — but
    its number stayed with the others: the schedule read «2 … 3 …», and in a later workbook such
    a row made the signed order again, voiding it, for the numbering alone."""
    before = {"Тема": "Прошлогодняя", "Дата": date(2022, 11, 12), "Часов": 2,
              "Ответственный": "куратор"}  # fmt: skip
    settings = one_pair_school(tmp_path, [before, *TRAININGS])
    order = made(settings, tmp_path / "ещё раз.xlsx", trainings=TRAININGS)
    assert order == {}  # the same sessions of this year: nothing to sign again
    text = docx_text(next((tmp_path / "outbox").glob("*сентябрь*/Приказ об организации*.docx")))
    schedule = text.split("Программа и график обучения наставников")[1].split("Итого")[0]
    assert [line.split(" | ")[:2] for line in schedule.splitlines() if " | " in line][1:] == [
        ["1", "Введение"],
        ["2", "Психология"],
    ]
