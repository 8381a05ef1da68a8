"""Who took part in a pair during the year: a mentor replaced in January and a mentee who left
a group stay in the year's documents that count or list the year's participants (seed 000 §3:
the curator counts the participants of the programmes; §7: a programme may change its people).

September's workbook (П-01…П-03 and the training) is signed; in January П-01 loses Алиев and
П-02's Белова hands over to Петрова; May brings П-01's results and the final event. The
training order signed in September stays as signed (Белова was trained); the final-event order
and the final report count Белова and Алиев.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from service.archive.packs import pair_pack
from service.documents.text import docx_text
from service.intake import demo
from service.pipeline import process_workbook
from service.register.db import session_scope
from service.register.models import Document, Pair, PlanItem
from service.register.queries import DocumentFilter, current_documents, find_documents
from service.store import FileStore
from tests.test_school_year import (
    DIRECTOR,
    FOLDER_EXTRAS,
    ORG,
    ORG_DOCS,
    PASSWORD,
    documents,
    files_in,
    parameters,
    plan_rows,
    september,
    sign_pending,
    table,
)
from tests.test_signing_cli import run
from tests.workbooks import write_workbook


def january(path: Path) -> Path:
    """Алиев leaves the group П-01; П-02 goes on with Петрова instead of Белова."""
    pairs = [
        dict(demo.PAIRS[0], **{"Наставляемые": "Смирнов Илья Олегович"}),
        dict(demo.PAIRS[1], **{"Наставник": "Петрова Анна Сергеевна"}),
    ]
    return write_workbook(path, {"Пары": table(pairs)})


def may(path: Path) -> Path:
    return write_workbook(
        path,
        {
            "Итоговое мероприятие": parameters(demo.FINAL_EVENT),
            "Итоги": table(demo.RESULTS[:1]),
        },
    )


def figures(text: str) -> dict[str, str]:
    """The report's «name | value» rows of two cells."""
    return dict(line.split(" | ") for line in text.splitlines() if line.count(" | ") == 1)


def test_people_who_left_a_pair_are_counted_in_the_year(tmp_path):
    home = tmp_path / "школа"
    made = run(
        home,
        "init",
        "--org",
        demo.ORGANIZATION["Полное наименование"],
        "--ca-password-stdin",
        stdin="пароль-уц-школы\n",
    )
    assert made.returncode == 0, made.stderr
    assert run(home, "process", str(september(tmp_path / "Сентябрь.xlsx"))).returncode == 0
    run(home, "signer", "add", "--user", DIRECTOR, "--password-stdin",
        stdin="пароль-уц-школы\nвыдал-администратор\n")  # fmt: skip
    run(home, "signer", "password", "--user", DIRECTOR, "--password-stdin",
        stdin=f"выдал-администратор\n{PASSWORD}\n")  # fmt: skip
    assert len(sign_pending(home)) == 11
    signed = documents(home)

    done = run(home, "process", str(january(tmp_path / "Январь.xlsx")))
    assert done.returncode == 0, done.stderr
    # the order on pairs and both programmes change; Белова's consent names the pair she led
    # and the training order the mentors trained: both stay as they were
    assert files_in(Path(done.stdout.strip())) == FOLDER_EXTRAS | {
        ORG_DOCS["order_pairs"],
        "Персонализированная программа наставничества — П-01 (Петрова А.С.).docx",
        "Персонализированная программа наставничества — П-02 (Петрова А.С.).docx",
        "Согласие на назначение наставником — Петрова Анна Сергеевна.docx",
    }
    after = documents(home)
    for kind in ("order_training", "mentor_consent"):
        key = (kind, ORG if kind == "order_training" else "Белова Елена Викторовна")
        assert (after[key]["id"], after[key]["status"]) == (
            signed[key]["id"],
            signed[key]["status"],
        )

    done = run(home, "process", str(may(tmp_path / "Май.xlsx")))
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip())
    order = docx_text(folder / "Приказ о проведении итогового мероприятия.docx")
    assert "всех наставнических пар (групп)\xa0— 3 пары (группы), 7 участников;" in order
    report = docx_text(folder / "Итоговый аналитический отчёт.docx")
    assert {
        k: v
        for k, v in figures(report).items()
        if k.startswith(("Наставни", "Наставляемых", "Участников", "Обучающихся, вовл"))
    } == {
        "Наставнических пар и групп, всего": "3",
        "Наставников": "3",
        "Наставляемых": "4",
        "Участников программы наставничества, всего": "7",
        "Обучающихся, вовлечённых в наставничество": "3",
    }
    assert "«Учитель – учитель» | 1 | 1 | 2" in report
    assert "«Учитель – ученик» | 1 | 2 | 1" in report
    assert "Наставляемый | Педагог в процессе адаптации | 1" in report
    # section 5 names whom the figures count: Белова, replaced, and Алиев, who left
    assert (
        "П-01, «Учитель\xa0– учитель» | Петрова\xa0А.С. | Смирнов\xa0И.О., Алиев\xa0Р.Р. (выбыл) |"
        in report
    )
    assert (
        "П-02, «Учитель\xa0– ученик» | Петрова\xa0А.С. (ранее\xa0— Белова\xa0Е.В.) | "
        "Морозова\xa0А.С. |" in report
    )


def next_year_continued(path: Path) -> Path:
    """September 2024: П-02 goes on (same code, a new term) with Ковалёва instead of
    Белова; nobody else of last year takes part."""
    mentor = {
        "Код": "Н-05",
        "ФИО": "Ковалёва Ирина Павловна",
        "Дата рождения": date(1985, 6, 1),
        "Категория": "педагог",
        "Должность или класс": "учитель биологии",
        "Внешний наставник": "нет",
    }
    pair = dict(
        demo.PAIRS[1],
        **{
            "Наставник": "Н-05",
            "Дата начала": date(2024, 9, 16),
            "Дата окончания": date(2025, 5, 23),
        },
    )
    return write_workbook(
        path,
        {
            "Организация": parameters(dict(demo.ORGANIZATION, **{"Учебный год": "2024–2025"})),
            "Наставники": table([mentor]),
            "Пары": table([pair]),
        },
    )


def processed_september(settings, folder) -> None:
    """The September workbook (tests/test_school_year.september) processed."""
    assert process_workbook(settings, september(folder / "Сентябрь.xlsx")).outcome == "done"


@pytest.fixture
def after_september(homes, database_kind, tmp_path, request):
    """A home after :func:`processed_september` (built once per session, tests/homes.py)."""
    return homes.copy(request, processed_september, database_kind, tmp_path / "home")


def current(settings) -> dict[tuple[str, str], Document]:
    with session_scope(settings.database_url) as session:
        found = current_documents(session)
        session.expunge_all()
    return {(d.kind, d.subject_label): d for d in found}


def test_a_pair_continued_next_year_starts_its_new_term_with_its_new_people(
    after_september, tmp_path
):
    """Last year's mentor of a pair continued under the same code is not one of its people of
    the new term: her consents are not made again for the new year, the new programme and
    order name only Ковалёва; last year's results of П-02 are last year's: its signed report
    is not re-made with the new term and mentor, and the new year has no final report yet."""
    settings = after_september  # processed_september, once per session
    assert process_workbook(settings, january(tmp_path / "Январь.xlsx")).outcome == "done"
    results = [
        *demo.RESULTS[:1],
        {"Код пары": "П-02", "Статус": "завершена", "Достигнутые результаты": "призёр олимпиады"},
    ]
    may = write_workbook(
        tmp_path / "Май.xlsx",
        {"Итоговое мероприятие": parameters(demo.FINAL_EVENT), "Итоги": table(results)},
    )
    assert process_workbook(settings, may).outcome == "done"
    last_year = current(settings)

    done = process_workbook(settings, next_year_continued(tmp_path / "Сентябрь 2024.xlsx"))
    assert done.outcome == "done", done.message
    warnings = [str(p) for p in done.report.problems] if done.report else []
    assert not [w for w in warnings if "меняется наставник" in w]
    made = {(e.kind, e.subject) for e in done.entries}
    assert made == {
        *((k, ORG) for k in ORG_DOCS if k != "order_training"),
        ("program", "П-02"),
        ("consent_guardian", "Морозова Алина Сергеевна"),
        ("consent_dissemination", "Морозова Алина Сергеевна"),
        *(
            (kind, "Ковалёва Ирина Павловна")
            for kind in ("consent_adult", "consent_dissemination", "mentor_consent")
        ),
        # Орлов and Ткаченко, listed in September 2023 and never in a pair, are not listed
        # for 2024–2025: no consents or contract of the new year
    }
    now = current(settings)
    for key in (
        ("report_pair", "П-02"),
        ("report_final", ORG),
        ("consent_adult", "Белова Елена Викторовна"),
        ("mentor_consent", "Белова Елена Викторовна"),
    ):
        assert now[key].id == last_year[key].id, key
    folder = done.folder
    program = docx_text(
        folder / "Персонализированная программа наставничества — П-02 (Ковалёва И.П.).docx"
    )
    order = docx_text(folder / ORG_DOCS["order_pairs"])
    for text in (program, order):
        assert "Ковалёва" in text and "Белов" not in text
    assert "с 16 сентября 2024 г. по 23 мая 2025 г." in program.replace("\xa0", " ")


def test_a_pairs_documents_include_those_of_its_people_who_left(after_september, tmp_path):
    """The curator's pair card and the pair's ZIP list the documents of the pair and of its
    people: Белова led П-02 until January, and her consent to be its mentor (which names
    П-02) is one of the pair's documents still; Алиев's consents are П-01's."""
    settings = after_september  # processed_september, once per session
    assert process_workbook(settings, january(tmp_path / "Январь.xlsx")).outcome == "done"
    with session_scope(settings.database_url) as session:
        codes = {row.code: row.id for row in session.execute(select(Pair.code, Pair.id))}
        found = {
            code: {
                (d.kind, d.subject_label)
                for d in find_documents(session, DocumentFilter(pair_id=codes[code]))
            }
            for code in ("П-01", "П-02")
        }
    assert ("mentor_consent", "Белова Елена Викторовна") in found["П-02"]
    assert ("consent_adult", "Алиев Руслан Рашид оглы") in found["П-01"]
    assert ("consent_adult", "Алиев Руслан Рашид оглы") not in found["П-02"]


def test_a_participant_listed_again_in_september_is_this_years_before_the_pairs(
    after_september, tmp_path
):
    """Seed 001 §4.11–4.12: the consents come before the pairs are formed. September 2024's
    first workbook lists Белова (П-02's mentor last year) and the new Ковалёва, no pairs yet:
    both get the 2024–2025 consents; Орлов, listed last year and not now, gets nothing new."""
    settings = after_september  # processed_september, once per session
    mentor = {
        "Код": "Н-05",
        "ФИО": "Ковалёва Ирина Павловна",
        "Дата рождения": date(1985, 6, 1),
        "Категория": "педагог",
        "Должность или класс": "учитель биологии",
        "Внешний наставник": "нет",
    }
    book = write_workbook(
        tmp_path / "Сентябрь 2024.xlsx",
        {
            "Организация": parameters(dict(demo.ORGANIZATION, **{"Учебный год": "2024–2025"})),
            "Наставники": table([demo.MENTORS[1], mentor]),
        },
    )
    done = process_workbook(settings, book)
    assert done.outcome == "done", done.message
    people = {(e.kind, e.subject) for e in done.entries if e.subject != ORG}
    assert people == {
        (kind, name)
        for name in ("Белова Елена Викторовна", "Ковалёва Ирина Павловна")
        for kind in ("consent_adult", "consent_dissemination", "mentor_consent")
    }


def test_a_term_moved_later_within_the_year_is_a_correction_not_a_new_term(settings, tmp_path):
    """П-01 typed in September as ending on 5 January, corrected in a «Пары»-only workbook
    to start on 15 January: the same school year, so the same term — its plan (given only in
    September) stays in the register and in its programme; only a start in a later school
    year begins a new term (test above)."""
    short = dict(demo.PAIRS[0], **{"Дата окончания": date(2024, 1, 5)})
    book = write_workbook(
        tmp_path / "Сентябрь.xlsx",
        {
            "Организация": parameters(demo.ORGANIZATION),
            "Наставники": table(demo.MENTORS),
            "Наставляемые": table(demo.MENTEES),
            "Пары": table([short, *demo.PAIRS[1:3]]),
            "План": table(plan_rows()),
        },
    )
    first = process_workbook(settings, book)
    assert first.outcome == "done", first.report
    moved = dict(
        demo.PAIRS[0], **{"Дата начала": date(2024, 1, 15), "Дата окончания": date(2024, 5, 31)}
    )
    fixed = write_workbook(tmp_path / "Исправление.xlsx", {"Пары": table([moved])})
    done = process_workbook(settings, fixed)
    assert done.outcome == "done", done.message
    with session_scope(settings.database_url) as session:
        (pair,) = session.scalars(select(Pair).where(Pair.code == "П-01"))
        plan = session.scalars(
            select(PlanItem.activity).where(PlanItem.pair_id == pair.id).order_by(PlanItem.number)
        ).all()
    assert plan == [row[0] for row in demo.PLAN]
    program = docx_text(
        done.folder
        / next(e.file for e in done.entries if (e.kind, e.subject) == ("program", "П-01"))
    )
    assert "с 15 января 2024 г. по 31 мая 2024 г." in program.replace("\xa0", " ")
    assert demo.PLAN[0][0] in program


def test_a_mentee_leaving_a_group_does_not_remake_the_mentors_consent(after_september, tmp_path):
    """Петрова consented in September to mentor Смирнов and Алиев (group П-01); Алиев leaves
    in January. Her consent covered the year and stays as she signed it: no new version to
    sign on paper for nothing. The order on pairs and П-01's programme name the group now."""
    settings = after_september  # processed_september, once per session
    signed = current(settings)
    left = write_workbook(
        tmp_path / "Январь.xlsx",
        {"Пары": table([dict(demo.PAIRS[0], **{"Наставляемые": "Смирнов Илья Олегович"})])},
    )
    done = process_workbook(settings, left)
    assert done.outcome == "done", done.message
    assert {(e.kind, e.subject) for e in done.entries} == {
        ("order_pairs", ORG),
        ("program", "П-01"),
    }
    consent = ("mentor_consent", "Петрова Анна Сергеевна")
    assert current(settings)[consent].id == signed[consent].id

    # П-02 handed over to Петрова: her consent is made again, and still names Алиев
    done = process_workbook(settings, january(tmp_path / "Январь (2).xlsx"))
    assert done.outcome == "done", done.message
    text = docx_text(
        done.folder / "Согласие на назначение наставником — Петрова Анна Сергеевна.docx"
    )
    assert (
        "–\xa0Смирнова Ильи Олеговича (учитель истории), Алиева Руслана Рашид оглы (учитель "
        "информатики): наставническая группа П-01," in text
    )
    assert "–\xa0Морозовой Алины Сергеевны (7\xa0А класс): наставническая пара П-02," in text


def test_last_terms_mentor_is_not_among_this_terms_documents(after_september, tmp_path):
    """П-02 was led by Белова until January 2024, then by Петрова; in September 2024 it goes
    on with Ковалёва. The pair card and the pair's current ZIP are this term's: Ковалёва's
    documents and the pair's, not Белова's or Петрова's consents of last year (those stay
    in the full history: the ZIP of 2023–2024)."""
    settings = after_september  # processed_september, once per session
    assert process_workbook(settings, january(tmp_path / "Январь.xlsx")).outcome == "done"
    done = process_workbook(settings, next_year_continued(tmp_path / "Сентябрь 2024.xlsx"))
    assert done.outcome == "done", done.message
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as session:
        (pair,) = session.scalars(select(Pair).where(Pair.code == "П-02"))
        card = {d.subject_label for d in find_documents(session, DocumentFilter(pair_id=pair.id))}
        now = pair_pack(session, store, settings.var, pair.id).members
        then = pair_pack(session, store, settings.var, pair.id, "2023–2024").members
    assert "Ковалёва Ирина Павловна" in card
    assert not card & {"Белова Елена Викторовна", "Петрова Анна Сергеевна"}
    assert not [m for m in now if "Белова" in m or "Петрова" in m]
    assert any("Ковалёва" in m for m in now)
    assert "Согласие на назначение наставником — Белова Елена Викторовна.docx" in then
    assert "Согласие на назначение наставником — Петрова Анна Сергеевна.docx" in then


def test_last_years_list_sent_again_with_a_new_pair_makes_no_one_this_years(
    after_september, tmp_path
):
    """The secretary's January workbook of 2024–2025 carries the new pair П-05 and, copied
    from September 2023, the whole «Наставляемые» list: Алиев, Зуев and Ткаченко — last
    year's mentees in none of this year's pairs — got the new year's consents as this year's
    participants. Once the year has pairs, being on the list again does not make one of last
    year this year's: only П-05's people get documents, as with the pair alone."""
    settings = after_september
    assert process_workbook(settings, next_year_continued(tmp_path / "Сентябрь 2024.xlsx"))
    pair = dict(
        demo.PAIRS[0],
        **{
            "Код пары": "П-05",
            "Наставляемые": "Смирнов Илья Олегович",
            "Вид": "традиционная",
            "Дата начала": date(2025, 1, 13),
            "Дата окончания": date(2025, 5, 23),
        },
    )
    book = write_workbook(
        tmp_path / "Январь 2025.xlsx",
        {"Наставляемые": table(demo.MENTEES), "Пары": table([pair])},
    )
    done = process_workbook(settings, book)
    assert done.outcome == "done", done.message
    people = {(e.kind, e.subject) for e in done.entries if e.subject not in (ORG, "П-05")}
    assert people == {
        ("consent_adult", "Петрова Анна Сергеевна"),
        ("consent_dissemination", "Петрова Анна Сергеевна"),
        ("mentor_consent", "Петрова Анна Сергеевна"),
        ("consent_adult", "Смирнов Илья Олегович"),
        ("consent_dissemination", "Смирнов Илья Олегович"),
    }
    # the secretary is told why, at each of them (Морозова is in П-02's new term)
    told = [(p.row, p.message) for p in done.report.warnings if "участник 2023–2024" in p.message]
    assert [row for row, _ in told] == [3, 5, 6]
    assert told[1][1] == (
        "«Зуев Никита Андреевич» — участник 2023–2024 учебного года, и ни в одной паре "
        "2024–2025 учебного года его нет: строка прочитана, сведения обновлены, но участником "
        "этого учебного года он станет, когда войдёт в пару, — тогда и будут составлены "
        "документы нового года. Если он участвует в этом году, укажите пару на листе «Пары»."
    )
