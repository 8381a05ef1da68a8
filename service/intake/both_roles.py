"""A mentor listed on «Наставляемые» too. The register keeps a mentor and a mentee apart (a
pupil may be both): a «Наставляемые» row of a mentor's ФИО and date of birth is a new
participant, with consents of his own «в качестве наставляемого». A secretary who pasted the
mentors into both sheets got, with no word, two more consents for each to print and sign
(play20). The row is taken — a teacher may be mentored while she mentors — with a warning
naming the mentor's row or Код, once: not when the register holds the mentee already."""

from __future__ import annotations

from datetime import date

from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.normalise import person_key
from service.intake.problems import cell_error
from service.intake.sheets import Record
from service.intake.wording import agree


def check_mentors_as_mentees(
    mentors: list[Record],
    mentees: list[Record],
    report: IntakeReport,
    own: RegisterLookup | None,
) -> None:
    """Warn at the ФИО of each «Наставляемые» row that is a mentor of this workbook or of the
    register (the same ФИО and date of birth) and not yet a registered mentee; ``own``: the
    register, when the workbook is of its school."""
    listed = {
        (person_key(name), birth): mentor
        for mentor in mentors
        if isinstance(name := mentor.get("full_name"), str)
        and isinstance(birth := mentor.get("birth_date"), date)
    }
    for mentee in mentees:
        name, birth = mentee.get("full_name"), mentee.get("birth_date")
        if not (isinstance(name, str) and isinstance(birth, date)):
            continue
        if own is not None and any(b == birth for b, _ in own.births_of(name, "mentee")):
            continue
        mentor = listed.get((person_key(name), birth))
        if mentor is not None:
            where = f"есть и на листе «Наставники» (строка {mentor.row})"
        elif own is not None and (
            codes := [code for b, code in own.births_of(name, "mentor") if b == birth]
        ):
            where = "уже есть в реестре как наставник" + (f" ({codes[0]})" if codes[0] else "")
        else:
            continue
        sex = mentee.get("sex")
        cell_error(
            report,
            mentee,
            "full_name",
            f"{name} ({birth:%d.%m.%Y}) {where}: эта строка добавит "
            f"{agree(name, 'его', 'её', 'его (её)', sex)} ещё и как "
            f"{agree(name, 'наставляемого', 'наставляемую', 'наставляемого', sex)} — отдельного "
            "участника со своими согласиями на обработку персональных данных. Если строка "
            "попала сюда по ошибке, удалите её; если "
            f"{agree(name, 'он', 'она', 'он (она)', sex)} и наставник, и наставляемый, "
            "предупреждение можно не учитывать.",
            warning=True,
        )
