"""Programmes whose end is moved before the one their signed order on pairs approved (seed 000
§7): a pair may stop early (a mentee moved to another school, a mentor left) or carry its plan
through in full ahead of time — only its «Итоги» can tell which.

So moving the date is taken with a warning asking for the status in «Итоги» (unless the same
workbook's «Итоги» give it: play10 was asked for the «завершена досрочно» it had written), and
«завершена» of such a pair with a warning saying the report will show its plan done in full;
without «Итоги» the pair counts as ended early (planning.Register.ended_early). Before the
director signs the order, a changed date is a correction and nothing is said.
"""

from __future__ import annotations

from datetime import date, timedelta

from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.normalise import code_key
from service.intake.problems import cell_error, day_text
from service.intake.sheets import Record
from service.intake.vocabulary import RESULT_COMPLETED, RESULT_EARLY, RESULT_STATUSES
from service.intake.years import school_year

SIGNED_ORDER = "по подписанному приказу об утверждении пар"


def check_early_ends(
    pairs: list[Record], results: list[Record], report: IntakeReport, own: RegisterLookup | None
) -> None:
    """Warn of each pair whose end this workbook moves before the approved one, and of
    «завершена» of such a pair (its end moved here or by an earlier workbook). ``own``: the
    register, when the workbook is of its school."""
    if own is None:
        return
    by_code = {code_key(str(r.get("code"))): r for r in pairs if r.get("code")}
    given = {code_key(str(r.get("pair_code"))) for r in results if r.get("pair_code")}
    for pair in pairs:
        if pair.get("code") and code_key(str(pair.get("code"))) in given:
            continue  # its status is in this workbook's «Итоги»: nothing to ask for
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
                f"({SIGNED_ORDER}) на {day_text(end)}. В «Итогах» укажите её статус: "
                "«завершена», если план мероприятий выполнен в полном объёме, иначе «завершена "
                "досрочно» и причину.",
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
                f"Дата окончания пары «{code}» — {day_text(end)}, а {SIGNED_ORDER} — "
                f"{day_text(approved)}: со статусом «завершена» отчёт покажет её план "
                "выполненным в полном объёме досрочно. Если пара прекратила работу, укажите "
                "«завершена досрочно» и причину.",
                warning=True,
            )
    check_late_results(pairs, results, report, own)


def check_late_results(
    pairs: list[Record], results: list[Record], report: IntakeReport, own: RegisterLookup
) -> None:
    """Warn of «Итоги» of a registered pair of an earlier school year that its year's final
    report will not show: the report in force is a later year's (docs/intake.md). A pair this
    workbook lists again is left to it (a new term's «Итоги» are the new term's)."""
    listed = {code_key(str(p.get("code"))) for p in pairs if p.get("code")}
    for result in results:
        code = result.get("pair_code")
        if not code or code_key(str(code)) in listed:
            continue
        found = own.unrenewed_year(str(code))
        if found is None:
            continue
        year, later = found
        cell_error(
            report,
            result,
            "pair_code",
            f"Пара «{code}» — программа {year} учебного года: её отчёт наставника будет "
            f"составлен, а итоговый аналитический отчёт {year} учебного года по этим «Итогам» "
            f"уже не обновляется — действует итоговый отчёт {later} учебного года, он считает "
            "пары своего года.",
            warning=True,
        )


TERM_ENDING = timedelta(days=31)
"""«Итоги» of a term given within this time before its end are the term's own (May's
results of a pair ending on 31 May)."""


def check_new_term_results(
    pairs: list[Record],
    results: list[Record],
    report: IntakeReport,
    own: RegisterLookup | None,
    today: date,
) -> None:
    """Refuse «Итоги» «завершена» or «продлена» of a pair continued on a new term that ends
    more than a month after ``today``: they are last year's «Итоги» sent late (play17: a
    mentor's report of the new term, begun in September, «завершена» with last year's
    results). A pair this workbook lists again is left to it; «завершена досрочно» may come
    any time."""
    if own is None:
        return
    listed = {code_key(str(p.get("code"))) for p in pairs if p.get("code")}
    for result in results:
        code, status = result.get("pair_code"), result.get("status")
        if not code or code_key(str(code)) in listed or status == RESULT_EARLY:
            continue
        term = own.continued_term(str(code))
        if term is None and status == RESULT_COMPLETED:
            _early_completed(result, str(code), own, today, report)
        if status not in RESULT_STATUSES or term is None or term[1] - today <= TERM_ENDING:
            continue
        start, end, before = term
        year = f"{school_year(start)}–{school_year(start) + 1}"
        cell_error(
            report,
            result,
            "pair_code",
            f"Пара «{code}» с {day_text(start)} идёт новым сроком ({year} учебный год, по "
            f"{day_text(end)}): эти «Итоги» со статусом «{status}» стали бы итогами нового "
            "срока, который ещё не закончился, — отчёт наставника назвал бы его программу "
            f"{'завершённой' if status == RESULT_COMPLETED else 'продлённой'}. Итоги прежнего "
            f"срока пары ({before} учебный год) книгой не изменить: они остаются в документах "
            "своего года. «Итоги» нового срока передайте, когда он закончится; если программа "
            "прекращена раньше, укажите «завершена досрочно» и причину.",
        )


def _early_completed(
    result: Record, code: str, own: RegisterLookup, today: date, report: IntakeReport
) -> None:
    """Warn of «завершена» of a registered pair whose end is more than a month away (play17:
    П-06, begun two days before, got a mentor's report «программа завершена» for a row typed
    under its code). Its end moved earlier is :func:`check_early_ends`'s."""
    term, ends = own.registered_term(code), own.pair_ends(code)
    if term is None or term[1] - today <= TERM_ENDING:
        return
    if ends is not None and ends[1] is not None and term[1] < ends[1]:
        return
    cell_error(
        report,
        result,
        "status",
        f"Пара «{code}» идёт по {day_text(term[1])} — больше месяца после сегодняшнего дня "
        f"({day_text(today)}): со статусом «завершена» её отчёт наставника назовёт программу "
        "выполненной в полном объёме. Проверьте код пары; если пара прекратила работу, "
        "укажите «завершена досрочно» и причину.",
        warning=True,
    )
