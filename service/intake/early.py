"""Programmes that end early (seed 000 §7): a pair whose «Дата окончания» is moved before the
end its signed order on pairs approved did not carry its programme through.

The final report a director signs counts programmes by their «Итоги» status; «завершена» of
such a pair would print a completed programme that was not. So moving the date is taken with
a warning saying what follows, and «завершена» of a shortened pair is an error. Before the
director signs the order, a changed date is a correction and nothing is said.
"""

from __future__ import annotations

from datetime import date

from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.normalise import code_key
from service.intake.problems import cell_error, day_text
from service.intake.sheets import Record
from service.intake.vocabulary import RESULT_COMPLETED

SIGNED_ORDER = "по подписанному приказу об утверждении пар"


def check_early_ends(
    pairs: list[Record], results: list[Record], report: IntakeReport, own: RegisterLookup | None
) -> None:
    """Warn of each pair this workbook ends early; refuse «завершена» of a pair that ended
    early (its end moved here or by an earlier workbook). ``own``: the register, when the
    workbook is of its school."""
    if own is None:
        return
    by_code = {code_key(str(r.get("code"))): r for r in pairs if r.get("code")}
    for pair in pairs:
        ends = own.pair_ends(str(pair.get("code"))) if pair.get("code") else None
        end = pair.get("end")
        if ends is None or ends[1] is None or not isinstance(end, date):
            continue
        registered, approved = ends
        if end < approved and end != registered:
            cell_error(
                report,
                pair,
                "end",
                f"Дата окончания пары «{pair.get('code')}» перенесена с {day_text(approved)} "
                f"({SIGNED_ORDER}) на {day_text(end)}: программа пары завершается досрочно. "
                "В «Итогах» укажите для неё статус «завершена досрочно» и причину.",
                warning=True,
            )
    for result in results:
        code = result.get("pair_code")
        if result.get("status") != RESULT_COMPLETED or not code:
            continue
        ends = own.pair_ends(str(code))
        if ends is None or ends[1] is None:
            continue
        registered, approved = ends
        row = by_code.get(code_key(str(code)))
        end = row.get("end") if row is not None else registered
        if isinstance(end, date) and end < approved:
            cell_error(
                report,
                result,
                "status",
                f"Программа пары «{code}» завершена досрочно: дата окончания {day_text(end)}, "
                f"а {SIGNED_ORDER} — {day_text(approved)}. Укажите статус «завершена "
                "досрочно» и причину.",
            )
