"""The secretary withdraws a pair entered by mistake (:mod:`service.pair_withdrawal`): a page
saying in words what will happen — which drafts leave the director's queue, that the
documents are made again without the pair, that its code is not used again — and only that
page's POST acts. A pair with anything signed is refused with the reason (an order is
needed)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from service.documents.gender import is_female
from service.errors import BadInput, Conflict, NotFound
from service.pair_withdrawal import plan_lines, withdraw_pair, withdrawal_plan
from service.register.withdrawal import WithdrawalRecord, pair_standing, withdrawal_of
from service.web.confirm import confirm_page
from service.web.filters import ru_initials as initials
from service.web.lookups import db, form_text, settings
from service.web.security import role_required

bp = Blueprint("withdrawal", __name__, url_prefix="/secretary/pairs")
WAIT_SECONDS = 60
"""How long the page waits for a workbook being processed before it says the register is busy."""


def _code(value: str | None) -> str:
    code = (value or "").strip()
    if not code:
        raise BadInput("Укажите код пары («Код пары» на листе «Пары»).")
    if len(code) > 100:
        raise BadInput("Код пары слишком длинный (не больше 100 знаков).")
    return code


def _mentees(names: list[str]) -> str:
    """«наставляемая Морозова А.С.», «наставляемые Смирнов И.О., Алиев Р.Р.»."""
    if len(names) == 1:
        word = "наставляемая" if is_female(names[0], None) else "наставляемый"
    else:
        word = "наставляемые"
    return f"{word} " + ", ".join(initials(x) for x in names)


@bp.get("/withdraw")
@role_required("secretary")
def confirm() -> str:
    """What withdrawing the pair ``?code=`` would do, and the button that does it."""
    code = _code(request.args.get("code"))
    db().close()  # the plan is found in a transaction of its own: nothing held meanwhile
    standing = withdrawal_plan(settings(), code, wait=WAIT_SECONDS)
    people = f"наставник {initials(standing.mentor)}; " + _mentees(standing.mentees)
    items = plan_lines(standing)
    return confirm_page(
        heading="Исключить пару, введённую по ошибке",
        summary=f"Исключить пару «{standing.code}» ({people})?",
        items=items or ["Документов пары в очереди на подпись нет."],
        notes=[
            "Документы, где названа пара, будут составлены заново без неё (новый пакет "
            f"«Исключение пары {standing.code}»): приказ об утверждении наставнических пар, "
            "согласие наставника и другие — новые версии придут на подпись.",
            "Пара останется в реестре с отметкой «исключена», запись об исключении — в "
            "журнале. Отменить исключение нельзя: код пары больше не используется.",
            f"Удалите строку пары «{standing.code}» из книги (листы «Пары», «План», «Итоги»): "
            "книгу с этим кодом служба не примет. Если пара всё же нужна, внесите её с новым "
            "кодом.",
        ],
        hidden=[("code", standing.code)],
        action=url_for("withdrawal.withdraw"),
        button="Исключить пару",
        cancel=url_for("secretary.index"),
        danger=True,
    )


@bp.post("/withdraw")
@role_required("secretary")
def withdraw() -> Response:
    code = _code(form_text("code", "Код пары", limit=100))
    earlier = _withdrawn_by_me(code)
    if earlier is not None:  # a second click: the first one's answer never came
        return _already(code, earlier)
    db().close()  # the withdrawal opens its own transactions: nothing held meanwhile
    try:
        done = withdraw_pair(settings(), code, current_user.login, wait=WAIT_SECONDS)
    except Conflict:
        # a second click sent while the first one ran: it waited for the register's turn and
        # found the pair withdrawn — by that first click, which is what it answers
        earlier = _withdrawn_by_me(code)
        if earlier is None:
            raise
        return _already(code, earlier)
    flash(done.message)
    return redirect(url_for("secretary.batch", batch_id=done.result.batch_id))


def _already(code: str, earlier: WithdrawalRecord) -> Response:
    """The answer to a second click: the pair withdrawn by this user, and its batch."""
    flash(f"Пара «{code}» уже исключена вами {earlier.at:%d.%m.%Y в %H:%M}.")
    return redirect(url_for("secretary.batch", batch_id=earlier.batch_id))


def _withdrawn_by_me(code: str) -> WithdrawalRecord | None:
    """This user's withdrawal of the pair ``code``, if it is withdrawn and by him."""
    session = db()
    try:
        standing = pair_standing(session, code)
    except NotFound:
        return None
    if standing.withdrawn_at is None:
        return None
    done = withdrawal_of(session, standing.code)
    if done is None or done.actor != current_user.login or done.batch_id is None:
        return None
    return done
