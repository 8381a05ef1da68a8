"""A pair the secretary withdrew as entered by mistake (:mod:`service.pair_withdrawal`) keeps
its code in the register: a workbook naming it again — on «Пары», «План» or «Итоги» — is
refused, row by row, rather than bringing the mistake back. A workbook sent again unchanged
(the same file with that row still in it) would otherwise make its programme again for the
director to sign."""

from __future__ import annotations

from collections.abc import Callable

from service.intake import schema
from service.intake.columns import Sheet
from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.problems import cell_error, day_text
from service.intake.sheets import Record


def check_withdrawn_pairs(
    records: Callable[[Sheet], list[Record]], report: IntakeReport, lookup: RegisterLookup | None
) -> None:
    """Refuse each row of «Пары», «План» and «Итоги» (``records`` of each sheet) naming a pair
    withdrawn from the register."""
    if lookup is None:
        return
    rows = [(r, "code") for r in records(schema.PAIRS)]
    rows += [(r, "pair_code") for s in (schema.PLAN, schema.RESULTS) for r in records(s)]
    for record, field in rows:
        code = record.get(field)
        if not code or (day := lookup.withdrawn_on(str(code))) is None:
            continue
        cell_error(
            report,
            record,
            field,
            f"Пара «{code}» исключена из реестра {day_text(day)} как введённая по ошибке; "
            "её код больше не используется. Удалите эту строку из книги; если пара всё же "
            "нужна, внесите её на лист «Пары» с новым кодом.",
        )
