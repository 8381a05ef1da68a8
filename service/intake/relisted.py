"""A participant of an earlier school year listed again once this year has pairs — the
September list sent again in January with a new pair — does not become this year's for being
on the sheet (service/register/listed.py): told, so the secretary knows why no consent of the
new year is made for him and what makes him this year's."""

from __future__ import annotations

from datetime import date

from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.problems import cell_error
from service.intake.sheets import Record
from service.intake.wording import agree


def check_listed_again(
    organization: Record | None,
    people: list[tuple[str, list[Record]]],
    starts: dict[int, date],
    report: IntakeReport,
    own: RegisterLookup | None,
) -> None:
    """Warn of each person of ``people`` ((role, records)) the register keeps of an earlier
    year though listed again: in none of the registered pairs of the school year (the
    workbook's «Организация», else the register's), nor in a pair of this workbook beginning
    in it (``starts``: each record's earliest pair start)."""
    if own is None:
        return
    year = organization.get("school_year") if organization is not None else own.school_year()
    if not isinstance(year, str) or not year[:4].isdigit():
        return
    first = date(int(year[:4]), 9, 1)
    for role, records in people:
        for record in records:
            name, birth = record.get("full_name"), record.get("birth_date")
            start = starts.get(id(record))
            if not isinstance(name, str) or birth is None or (start and start >= first):
                continue
            listed = own.listed_before(role, record.get("code"), name, birth, year)
            if listed is None:
                continue
            he = agree(name, "он", "она", "он (она)", record.get("sex"))
            cell_error(
                report,
                record,
                "full_name",
                f"«{name}» — участник {listed} учебного года, и ни в одной паре {year} учебного "
                f"года {agree(name, 'его', 'её', 'его (её)', record.get('sex'))} нет: строка "
                f"прочитана, сведения обновлены, но участником этого учебного года {he} станет, "
                "когда войдёт в пару, — тогда и будут составлены документы нового года. Если "
                f"{he} участвует в этом году, укажите пару на листе «Пары».",
                warning=True,
            )
