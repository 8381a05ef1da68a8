"""Rules of the sheets «План» and «Итоги»: each row names a pair of «Пары» or of the register,
a plan's term lies within the pair's dates, and a pair has one row of results, with a reason
when its programme did not end as planned."""

from __future__ import annotations

from datetime import date

from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.normalise import code_key
from service.intake.problems import cell_error as _error
from service.intake.problems import day_text as _d
from service.intake.sheets import Record
from service.intake.vocabulary import RESULT_COMPLETED


def check_pair_code(
    record: Record, codes: dict[str, Record], report: IntakeReport, lookup: RegisterLookup | None
) -> None:
    """Refuse a «План» or «Итоги» row of a pair neither «Пары» (``codes``, by
    :func:`code_key`) nor the register has; take the code as «Пары» spells it; warn of a plan's
    term outside the pair's dates."""
    code = record.get("pair_code")
    if not code:
        return
    pair = codes.get(code_key(str(code)))
    if pair is None:
        withdrawn = lookup is not None and lookup.withdrawn_on(str(code)) is not None
        if not withdrawn and (lookup is None or not lookup.has_pair(str(code))):
            _error(
                report,
                record,
                "pair_code",
                f"Пары с кодом «{code}» нет ни на листе «Пары», ни в реестре. Укажите код "
                "так, как он записан в столбце «Код пары» листа «Пары».",
            )
        return
    record.values["pair_code"] = pair.get("code")  # as spelled on «Пары», for the register
    term, start, end = record.get("term"), pair.get("start"), pair.get("end")
    dated = isinstance(term, date) and isinstance(start, date) and isinstance(end, date)
    # an end before the start is the pair's own error: no period to measure the plan against
    if dated and start <= end and not start <= term <= end:
        _error(
            report,
            record,
            "term",
            f"Срок {_d(term)} вне сроков программы пары «{code}» ({_d(start)} – {_d(end)}).",
            warning=True,
        )


def check_results(results: list[Record], report: IntakeReport) -> None:
    """Refuse an «Итоги» row whose programme did not end as planned without a reason, and a
    pair's second row."""
    first: dict[str, Record] = {}
    for result in results:
        status = result.get("status")
        needs_reason = status and status != RESULT_COMPLETED and "reason" not in result.bad
        if needs_reason and not result.get("reason"):
            _error(
                report,
                result,
                "reason",
                f"Статус «{status}»: укажите причину — почему программа "
                f"{'продлена' if status == 'продлена' else 'завершена досрочно'}.",
            )
        if code := result.get("pair_code"):
            key = code_key(str(code))
            if key in first:
                _error(
                    report,
                    result,
                    "pair_code",
                    f"Итоги пары «{code}» уже указаны в строке {first[key].row}. "
                    "Оставьте одну строку на пару.",
                )
            else:
                first[key] = result
