"""The register over many workbooks, piece by piece: contexts kept as canonical JSON, people
named by ФИО with a date of birth, one school per home, signing from the stored context."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from service.documents import canonical
from service.documents.text import docx_text
from service.documents.values import PersonName, Position
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.index import keep_yo
from service.register.models import Document, Organization, Pair
from service.store import FileStore
from tests.signing_calls import sign_documents
from tests.test_signing_workflow import DIRECTOR_PASSWORD, school  # noqa: F401 (fixture)
from tests.workbooks import (
    MENTEE_HEADER,
    MENTOR_HEADER,
    PAIR_HEADER,
    organization_rows,
    valid_sheets,
    write_workbook,
)


def test_a_context_round_trips_as_canonical_json():
    context = {
        "doc": {"title": "Приказ", "date": date(2024, 5, 31), "number": ""},
        "director": {
            "name": PersonName("Кинякина Татьяна Игоревна"),
            "position": Position("директор"),
        },
        "tasks": ("первая", "вторая"),
        "hours": 4.5,
        "minor": False,
        "guardian": None,
    }
    text = canonical.dumps(context)
    assert text == (
        '{"director":{"name":{"$name":"Кинякина Татьяна Игоревна"},'
        '"position":{"$position":"директор"}},'
        '"doc":{"date":{"$date":"2024-05-31"},"number":"","title":"Приказ"},'
        '"guardian":null,"hours":4.5,"minor":false,"tasks":["первая","вторая"]}'
    )
    back = canonical.loads(text)
    assert type(back["director"]["name"]) is PersonName
    assert type(back["director"]["position"]) is Position
    assert back["doc"]["date"] == date(2024, 5, 31)
    assert canonical.dumps(back) == text


TWINS = [
    MENTEE_HEADER,
    [
        "",
        "Смирнов Илья Олегович",
        date(1999, 11, 20),
        "молодой специалист",
        "учитель истории",
        None,
    ],
    ["", "Смирнов Илья Олегович", date(1998, 2, 3), "молодой специалист", "учитель физики", None],
]


def pair_row(code: str, mentee: str) -> list:
    return [
        code,
        "Петрова Анна Сергеевна",
        mentee,
        "Учитель – учитель",
        None,
        date(2023, 10, 1),
        date(2024, 5, 31),
        "Адаптация",
    ]


def test_two_people_of_one_name_are_told_apart_by_the_date_of_birth(settings, tmp_path):
    sheets = valid_sheets()
    sheets["Наставляемые"] = TWINS
    sheets["Пары"] = [PAIR_HEADER, pair_row("П-01", "Смирнов Илья Олегович (20.11.1999)")]
    # the first workbook names the people on its own sheet: two namesakes there need a code…
    first = process_workbook(settings, write_workbook(tmp_path / "сентябрь.xlsx", sheets))
    assert first.outcome == Outcome.REJECTED
    sheets["Пары"] = [PAIR_HEADER]
    assert process_workbook(settings, write_workbook(tmp_path / "люди.xlsx", sheets)).outcome == (
        Outcome.DONE
    )

    # …a later workbook with only «Пары» names them from the register
    ambiguous = write_workbook(
        tmp_path / "пары.xlsx", {"Пары": [PAIR_HEADER, pair_row("П-01", "Смирнов Илья Олегович")]}
    )
    refused = process_workbook(settings, ambiguous)
    assert refused.outcome == Outcome.REJECTED
    assert (
        "В реестре несколько человек с ФИО «Смирнов Илья Олегович». Чтобы было понятно, о ком "
        "речь, укажите здесь Код или ФИО с датой рождения в скобках, например «Смирнов Илья "
        "Олегович (14.03.2010)»." in refused.message
    )
    dated = write_workbook(
        tmp_path / "пары-2.xlsx",
        {"Пары": [PAIR_HEADER, pair_row("П-01", "Смирнов Илья Олегович (03.02.1998)")]},
    )
    done = process_workbook(settings, dated)
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as s:
        pair = s.scalars(select(Pair)).one()
        assert [(p.full_name, p.birth_date) for p in pair.mentees] == [
            ("Смирнов Илья Олегович", date(1998, 2, 3))
        ]
        assert pair.mentor.full_name == "Петрова Анна Сергеевна"


def test_a_school_without_inn_is_known_by_its_full_name(settings, tmp_path):
    sheets = valid_sheets()
    assert process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets)).outcome == (
        Outcome.DONE
    )
    other = {"Организация": organization_rows(**{"Полное наименование": "МБОУ СОШ № 2 г. Ачинска"})}
    refused = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", other))
    assert refused.outcome == Outcome.REJECTED
    assert (
        "Книга другой школы: в ней «МБОУ СОШ № 2 г. Ачинска», а в этой рабочей папке ведутся "
        "документы школы «Муниципальное бюджетное общеобразовательное учреждение Идринская "
        "средняя общеобразовательная школа»." in refused.message
    )
    # the same school giving its ИНН for the first time is the same school
    same = {"Организация": organization_rows(ИНН="2415001234")}
    assert process_workbook(settings, write_workbook(tmp_path / "3.xlsx", same)).outcome == (
        Outcome.DONE
    )
    with session_scope(settings.database_url) as s:
        assert s.get(Organization, 1).inn == "2415001234"


def test_an_inn_typed_as_a_number_keeps_its_leading_zero(settings, tmp_path):
    """ИНН of a school of regions 01–09 starts with 0; typed in a number cell it loses it. The
    same school's later workbook with the ИНН as text was refused as «Книга другой школы» with
    the same name twice."""
    first = {"Организация": organization_rows(ИНН=105012345)}
    assert process_workbook(settings, write_workbook(tmp_path / "1.xlsx", first)).outcome == (
        Outcome.DONE
    )
    with session_scope(settings.database_url) as s:
        assert s.get(Organization, 1).inn == "0105012345"
    # a register that already holds the shortened ИНН (read before this rule) is the same school
    with session_scope(settings.database_url) as s:
        s.get(Organization, 1).inn = "105012345"
    again = {"Организация": organization_rows(ИНН="0105012345", **{"Всего педагогов": 40})}
    assert process_workbook(settings, write_workbook(tmp_path / "2.xlsx", again)).outcome == (
        Outcome.DONE
    )


def test_an_order_is_signed_from_its_stored_context(school):  # noqa: F811 (the fixture)
    """Whatever happened to the register since, the order waiting for signature is numbered
    and signed as it was made."""
    settings = school
    with session_scope(settings.database_url) as s:
        order = s.scalars(select(Document).where(Document.kind == "order_pairs")).one()
        order_id = order.id
        assert canonical.loads(order.context)["pairs"][0]["code"] == "П-01"
        s.execute(update(Pair).values(goal="Цель, записанная в обход книги"))
        s.execute(update(Organization).values(short_name="МБОУ «Другая»"))
    (result,) = sign_documents(settings, "director", [order_id], DIRECTOR_PASSWORD)
    assert result.ok, result.message
    with session_scope(settings.database_url) as s:
        signed = s.get(Document, order_id)
        text = docx_text_of(settings, signed.sha256)
        assert f"№\xa0{signed.number}" in text
        assert "МБОУ «Другая»" not in text and "МБОУ Идринская СОШ" in text


def docx_text_of(settings, sha256: str) -> str:
    path = FileStore(settings.store_dir).path_for(sha256)
    return docx_text(path)


def test_documents_lists_the_current_documents_in_russian(settings, tmp_path):
    from tests.test_signing_cli import run

    sheets = valid_sheets()
    assert process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets)).outcome == (
        Outcome.DONE
    )
    listed = run(settings.home, "documents", "--kind", "program")
    assert listed.returncode == 0, listed.stderr
    with session_scope(settings.database_url) as s:
        program = s.scalars(select(Document).where(Document.kind == "program")).one()
    assert listed.stdout == (
        f"{program.id}\tПерсонализированная программа наставничества — П-01\tверсия 1\t"
        "ожидает подписи\n"
    )
    none = run(settings.home, "documents", "--status", "signed")
    assert (none.returncode, none.stdout) == (0, "Документов нет.\n")
    wrong = run(settings.home, "documents", "--status", "подписан")
    assert wrong.returncode == 1
    assert wrong.stderr == (
        "Ошибка: Состояния «подписан» нет. Состояния: generated, awaiting_signature, signed, "
        "returned, archived, superseded, destroyed.\n"
    )


def test_the_batch_page_says_what_stayed_unchanged(client, web_school, tmp_path):
    from openpyxl import load_workbook

    from tests.web_school import login

    book = load_workbook(web_school.workbook)
    sheet = book["Наставники"]
    sheet["B2"] = f"  {sheet['B2'].value}  "  # the same data, saved again
    again = tmp_path / "ещё раз.xlsx"
    book.save(again)
    result = process_workbook(web_school.settings, again)
    assert result.outcome == Outcome.DONE and result.entries == [] and result.folder is None
    login(client, "secretary")
    page = client.get(f"/secretary/batches/{result.batch_id}").get_data(as_text=True)
    assert (
        "Изменений нет: книга не принесла новых документов и новых версий (без изменений: "
        f"{result.unchanged}). Подписи, поставленные раньше, действуют." in page
    )
    assert result.unchanged == 36 and 'id="documents"' not in page


def test_a_pair_may_still_name_by_the_old_fio_a_person_the_workbook_renames(settings, tmp_path):
    """In January the mentor Н-01 marries: the secretary changes her ФИО on «Наставники» (the
    same Код) and leaves «Пары» as it was, naming her by the old ФИО. The pair is hers (her
    Код says so): it was «Внутренняя ошибка» before, the register unchanged."""
    sheets = valid_sheets()
    assert process_workbook(
        settings, write_workbook(tmp_path / "сентябрь.xlsx", sheets)
    ).outcome == (Outcome.DONE)
    sheets["Наставники"][1][1] = "Соколова Анна Сергеевна"
    sheets["Наставляемые"][1][1] = "Смирнов Илья Олегович"
    done = process_workbook(settings, write_workbook(tmp_path / "январь.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as s:
        pair = s.scalars(select(Pair)).one()
        assert (pair.mentor.code, pair.mentor.full_name) == ("Н-01", "Соколова Анна Сергеевна")
        assert [p.full_name for p in pair.mentees] == ["Смирнов Илья Олегович"]
        programme = s.scalars(
            select(Document).where(Document.kind == "program", Document.status != "superseded")
        ).one()
        text = docx_text_of(settings, programme.sha256)
    assert "Соколова Анна Сергеевна" in text
    assert "Петрова Анна Сергеевна" not in text


def test_a_later_workbook_typing_e_for_yo_renames_no_one(settings, tmp_path):
    """September registers «Фёдоров Пётр Ильич» (mentor) and «Королёва» as the head; November's
    workbook, typed on a keyboard without «ё», has «Федоров Петр Ильич» and «Королева»: the same
    people, so no document gets a new version to sign again and the register keeps the «ё»."""
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(**{"Руководитель (ФИО)": "Королёва Алёна Игоревна"})
    sheets["Наставники"][1][1] = "Фёдоров Пётр Ильич"
    sheets["Пары"][1][1] = "Фёдоров Пётр Ильич"
    first = process_workbook(settings, write_workbook(tmp_path / "сентябрь.xlsx", sheets))
    assert first.outcome == Outcome.DONE, first.message
    typed = valid_sheets()
    typed["Организация"] = organization_rows(**{"Руководитель (ФИО)": "Королева Алена Игоревна"})
    typed["Наставники"][1][1] = "Федоров Петр Ильич"
    typed["Пары"][1][1] = "Федоров Петр Ильич"
    again = process_workbook(settings, write_workbook(tmp_path / "ноябрь.xlsx", typed))
    assert again.outcome == Outcome.DONE, again.message
    assert (len(again.entries), again.unchanged) == (0, len(first.entries))
    with session_scope(settings.database_url) as s:
        assert s.scalars(select(Pair)).one().mentor.full_name == "Фёдоров Пётр Ильич"
        assert s.get(Organization, 1).head_name == "Королёва Алёна Игоревна"
    # the other way round the spelling gets more exact: the register takes the «ё»
    assert keep_yo("Семенов Петр Ильич", "Семёнов Пётр Ильич") == "Семёнов Пётр Ильич"
    assert keep_yo("Фёдоров Пётр Ильич", "Федорова Петра Ильич") == "Федорова Петра Ильич"


def test_a_later_row_with_empty_optional_cells_keeps_what_the_register_has(settings, tmp_path):
    """November's workbook lists the mentor again for a new pair, with only the columns the
    secretary had at hand: her Стаж, Место работы and Компетенции stay as September gave them
    (an empty cell is not a change) — they were wiped, her documents re-made with «—» to be
    signed again. A cell that is filled still changes the register."""
    header = [*MENTOR_HEADER, "Стаж (лет)", "Компетенции"]
    sheets = valid_sheets()
    sheets["Наставники"] = [
        header,
        [*sheets["Наставники"][1][:5], "МБОУ Идринская СОШ", "нет", None, None, 24, "Олимпиады"],
    ]
    first = process_workbook(settings, write_workbook(tmp_path / "сентябрь.xlsx", sheets))
    assert first.outcome == Outcome.DONE, first.message
    short = {"Наставники": [header[:7], sheets["Наставники"][1][:5] + [None, "нет"]]}
    again = process_workbook(settings, write_workbook(tmp_path / "ноябрь.xlsx", short))
    assert again.outcome == Outcome.DONE, again.message
    assert (len(again.entries), again.unchanged) == (0, len(first.entries))
    with session_scope(settings.database_url) as s:
        mentor = s.scalars(select(Pair)).one().mentor
        assert (mentor.workplace, mentor.experience_years, mentor.competences) == (
            "МБОУ Идринская СОШ",
            24,
            "Олимпиады",
        )
    changed = {"Наставники": [[*header[:7], "Стаж (лет)"], [*short["Наставники"][1], 25]]}
    assert (
        process_workbook(settings, write_workbook(tmp_path / "май.xlsx", changed)).outcome
        == Outcome.DONE
    )
    with session_scope(settings.database_url) as s:
        mentor = s.scalars(select(Pair)).one().mentor
        assert (mentor.experience_years, mentor.competences) == (25, "Олимпиады")


def test_a_pupil_mentor_listed_again_without_her_guardian_keeps_him(settings, tmp_path):
    """The demo school's pupil mentor Н-04 (10 Б) listed again in December with the required
    columns only: her guardian stays in the pairs' order, her programme, the training order
    and the final report — four documents were re-made without him, to be signed again."""
    from openpyxl import load_workbook

    from service.intake.demo import write_demo_workbook

    september = tmp_path / "сентябрь.xlsx"
    write_demo_workbook(september)
    first = process_workbook(settings, september)
    assert first.outcome == Outcome.DONE, first.message
    book = load_workbook(september)
    for name in book.sheetnames:
        if name != "Наставники":
            del book[name]
    sheet = book["Наставники"]
    header = [cell.value for cell in sheet[1]]
    required = {"Код", "ФИО", "Дата рождения", "Категория", "Должность или класс"}
    for column in reversed(range(len(header))):
        if header[column] not in required | {"Внешний наставник"}:
            sheet.delete_cols(column + 1)
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row, 1).value != "Н-04":
            sheet.delete_rows(row)
    book.save(tmp_path / "декабрь.xlsx")
    again = process_workbook(settings, tmp_path / "декабрь.xlsx")
    assert again.outcome == Outcome.DONE, again.message
    assert (len(again.entries), again.unchanged) == (0, len(first.entries))


def test_an_external_mentor_listed_again_need_not_repeat_his_document(settings, tmp_path):
    """September registers the external mentor with his passport; November's short
    «Наставники» lists him again for the required columns only: the register has his document,
    so the workbook is taken and his contract is not re-made. A NEW external mentor without a
    document is still refused."""
    sheets = valid_sheets()
    sheets["Наставники"][1][5:8] = ["ООО «Вектор»", "да", "паспорт 04 12 345678, выдан ОВД"]
    first = process_workbook(settings, write_workbook(tmp_path / "сентябрь.xlsx", sheets))
    assert first.outcome == Outcome.DONE, first.message
    short = {"Наставники": [MENTOR_HEADER[:7], [*sheets["Наставники"][1][:5], None, "да"]]}
    again = process_workbook(settings, write_workbook(tmp_path / "ноябрь.xlsx", short))
    assert again.outcome == Outcome.DONE, again.message
    assert (len(again.entries), again.unchanged) == (0, len(first.entries))
    with session_scope(settings.database_url) as s:
        mentor = s.scalars(select(Pair)).one().mentor
        assert mentor.identity_document == "паспорт 04 12 345678, выдан ОВД"
    new = [None, "Орлов Олег Петрович", date(1975, 6, 1), "сотрудник предприятия", "инженер"]
    short["Наставники"].append([*new, None, "да"])
    refused = process_workbook(settings, write_workbook(tmp_path / "декабрь.xlsx", short))
    assert refused.outcome == Outcome.REJECTED
    assert (
        "Наставник внешний («Внешний наставник» — да): укажите документ, удостоверяющий "
        "личность (вид, серия, номер, кем и когда выдан). Это вносится в договор о "
        "сотрудничестве." in refused.message
    )
    assert "строка 3" in refused.message and "строка 2" not in refused.message
