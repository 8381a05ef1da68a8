"""«Пол» of a person against the ФИО: a warning when the ФИО does not tell the sex and «Пол» is
empty (here and in the register), and when «Пол» says otherwise than a ФИО that tells it for
certain — the documents follow «Пол», so a slip of the keyboard would make «Иванова Мария
Петровна» «наставляемый». Warnings only: nothing is refused."""

from __future__ import annotations

from datetime import date

from service.documents.russian import first_name_genders, known_surname
from service.documents.russian_names import gender_is_certain, name_gender
from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.normalise import person_key
from service.intake.problems import cell_error
from service.intake.sheets import Record

_AS = {
    "ж": "о женщине («наставляемая», «ознакомлена»)",
    "м": "о мужчине («наставляемый», «ознакомлен»)",
}


def check_name_order(person: Record, report: IntakeReport) -> None:
    """Warn of a ФИО of two words written first name first: «Пётр Ёлкин» reads as the surname
    «Пётр» — the documents would say «Пётру Ё.» (play11). Only when the first word is a first
    name and no surname and the second a surname and no first name, as the dictionary knows
    them («Роман Иванов» is left alone: Роман is a surname too)."""
    name = person.get("full_name")
    if "full_name" in person.bad or not isinstance(name, str) or len(name.split()) != 2:
        return
    first, second = name.split()
    if not first_name_genders(first) or known_surname(first):
        return
    if first_name_genders(second) or not known_surname(second):
        return
    cell_error(
        report,
        person,
        "full_name",
        f"ФИО «{name}» записано, похоже, в порядке Имя Фамилия: «{first}» — имя, «{second}» — "
        f"фамилия. Документы будут составлены с фамилией «{first}». ФИО пишется «Фамилия Имя "
        f"Отчество»: «{second} {first}».",
        warning=True,
    )


def check_sex(
    person: Record, role: str, report: IntakeReport, lookup: RegisterLookup | None
) -> None:
    """Warn about ``person``'s «Пол» (``role``: "mentor" or "mentee") as the module says."""
    name, birth, sex = person.get("full_name"), person.get("birth_date"), person.get("sex")
    if "sex" in person.bad or not isinstance(name, str):
        return
    told = "ж" if name_gender(name) == "femn" else "м"
    if sex:
        if sex != told and gender_is_certain(name):
            cell_error(
                report,
                person,
                "sex",
                f"В столбце «Пол» — «{sex}», а по ФИО «{name}» это "
                f"{'женщина' if told == 'ж' else 'мужчина'}. Документы будут составлены по "
                f"столбцу «Пол» — как {_AS[str(sex)]}. Если это ошибка, исправьте «Пол».",
                warning=True,
            )
        return
    if gender_is_certain(name):
        return
    if lookup is not None and isinstance(birth, date):
        code = person.get("code")
        if lookup.sex_of(role, str(code) if code else None, name, birth):
            return
    cell_error(
        report,
        person,
        "sex",
        f"По ФИО «{name}» не понять, мужчина это или женщина: документы будут составлены как "
        f"{_AS[told]}. Заполните столбец «Пол»: «м» или «ж» (если столбца нет, добавьте его).",
        warning=True,
    )


_OFFICE_AS = {
    "ж": "о женщине («действующей», «назначена», «Ответственной»)",
    "м": "о мужчине («действующего», «назначен», «Ответственному»)",
}
_OFFICE = {
    "head_name": "руководителя",
    "curator_name": "куратора",
    "coordinator_name": "координатора",
    "responsible": "ответственного за итоговое мероприятие",
}


def check_office_sex(
    offices: list[Record],
    people: list[Record],
    report: IntakeReport,
    lookup: RegisterLookup | None,
) -> None:
    """Warn when the ФИО of the director, the curator, the coordinator (``offices``: the sheet
    «Организация») or the final event's responsible (the sheet «Итоговое мероприятие») does
    not tell the sex and nothing else does: those sheets have no «Пол», and the documents would
    call «Ким Сон Хи» «действующего», «назначен», «Ответственному» without a word. A
    participant of the same ФИО with «Пол» tells it (here or in the register); one of this
    workbook without «Пол» has a warning of its own."""
    here = {person_key(str(p.get("full_name"))) for p in people if p.get("full_name")}
    for office in offices:
        for field, whom in _OFFICE.items():
            name = office.get(field)
            if field in office.bad or not isinstance(name, str) or gender_is_certain(name):
                continue
            if person_key(name) in here:
                continue
            if lookup is not None and len(lookup.sexes_named(name)) == 1:
                continue
            told = "ж" if name_gender(name) == "femn" else "м"
            cell_error(
                report,
                office,
                field,
                f"По ФИО {whom} «{name}» не понять, мужчина это или женщина: документы будут "
                f"составлены как {_OFFICE_AS[told]}. Если это не так, а человек участвует в "
                "программе, укажите «Пол» в его строке на листе «Наставники» или «Наставляемые»; "
                "иначе проверьте эти слова в приказах и договорах перед подписью.",
                warning=True,
            )
