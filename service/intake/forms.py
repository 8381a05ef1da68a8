"""A pair's form against its people: «Ученик – ученик» is a pupil mentoring a pupil, «Учитель –
ученик» an adult mentoring a pupil, «Учитель – учитель» an adult mentoring an adult (seed 001,
program §8). The form is printed in the order approving the pairs; a teacher left as the mentor
of a «Ученик – ученик» pair after a mentor change (or a pupil typed into a «Учитель – учитель»
pair) went into it unnoticed.

Only the pupil / not-pupil side is checked — which adult category fits which form is the
school's call (a graduate or a parent may mentor in «Учитель – ученик») — and not at all for a
reverse («реверсивная») pair, where the younger one may mentor the elder.
"""

from __future__ import annotations

from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.problems import cell_error
from service.intake.sheets import Record
from service.intake.vocabulary import FORMS
from service.intake.wording import agree

PUPIL = "обучающийся"
REVERSE = "реверсивная"
GROUP = "групповая"
PUPIL_MENTOR = frozenset({"Ученик – ученик"})
PUPIL_MENTEE = frozenset(f for f in FORMS if f.endswith("– ученик"))

Person = tuple[Record | None, str]
"""A pair's participant as resolved: his row on this workbook's sheet (None: in the register
only) and the reference stored."""


def check_form(
    pair: Record,
    mentor: Person | None,
    mentees: list[Person],
    report: IntakeReport,
    lookup: RegisterLookup | None,
) -> None:
    """Warn of each participant of ``pair`` who is a pupil where its form wants an adult, or
    the other way round; and of a «групповая» pair with one mentee (a group that lost the
    others), printed as «традиционная» (:func:`service.documents.context.mode_of`)."""
    form = pair.get("form")
    mode = pair.get("mode")
    if mode is None and lookup is not None and pair.get("code"):
        mode = lookup.pair_mode(str(pair.get("code")))  # an empty «Вид» keeps the register's
    if mode == GROUP and len(mentees) == 1:
        cell_error(
            report,
            pair,
            "mode",
            f"В паре «{pair.get('code')}» один наставляемый, а вид — «{GROUP}»: наставничество в "
            "группе — от двух наставляемых. В программе, отчёте и приказе об утверждении пар "
            "вид будет «традиционная».",
            warning=True,
        )
    if form not in FORMS or mode == REVERSE:
        return
    sides = [("mentor", "наставник", form in PUPIL_MENTOR, mentor)]
    sides += [("mentee", "наставляемый", form in PUPIL_MENTEE, m) for m in mentees]
    for role, who, pupil, person in sides:
        if person is None:
            continue
        row, ref = person
        if row is not None:
            category, name = row.get("category"), row.get("full_name") or ref
        else:
            category, name = (lookup.category_of(ref, role) if lookup else None), ref
        if not isinstance(category, str) or (category == PUPIL) == pupil:
            continue
        whose, whom = (
            ("наставника", "наставника")
            if role == "mentor"  # «наставник» is said of a woman too
            else _mentee_words(str(name), row.get("sex") if row is not None else None)
        )
        cell_error(
            report,
            pair,
            "form",
            f"У {whose} «{name}» категория «{category}», а в форме «{form}» {who} — "
            f"{'обучающийся' if pupil else 'не обучающийся'}. Проверьте форму пары или "
            f"{whom}: форма печатается в приказе об утверждении пар.",
            warning=True,
        )


def _mentee_words(name: str, sex: object) -> tuple[str, str]:
    """«наставляемого» (whose) and «наставляемого» (whom) agreeing with the mentee ``name``:
    «у наставляемой», «проверьте наставляемую»."""
    return (
        agree(name, "наставляемого", "наставляемой", "наставляемого", sex),
        agree(name, "наставляемого", "наставляемую", "наставляемого", sex),
    )
