"""Rules that ask what the register already has: an external mentor listed again may leave
out the document the register holds; a pair typed again under another code is refused; so is
a person's corrected ФИО with no Код to say whose it is; a pair's new mentor is reported."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from difflib import SequenceMatcher

from service.intake.lookup import RegisterLookup
from service.intake.mentor_back import mentor_back
from service.intake.model import IntakeReport
from service.intake.normalise import code_key, person_key, spelled_otherwise
from service.intake.problems import cell_error as _error
from service.intake.problems import day_text as _d
from service.intake.sheets import Record
from service.intake.wording import agree


def check_external(
    mentors: list[Record], report: IntakeReport, lookup: RegisterLookup | None
) -> None:
    """An external mentor needs an identity document for his contract: in this row, or in the
    register from an earlier workbook (an empty cell keeps the register's value)."""
    needs = {
        "identity_document": "документ, удостоверяющий личность (вид, серия, номер, кем и "
        "когда выдан)",
    }
    for mentor in mentors:
        if mentor.get("is_external") is not True:
            continue
        if lookup is not None and _registered_document(mentor, lookup):
            continue
        for name, what in needs.items():
            if not mentor.get(name) and name not in mentor.bad:
                _error(
                    report,
                    mentor,
                    name,
                    f"Наставник внешний («Внешний наставник» — да): укажите {what}. "
                    "Это вносится в договор о сотрудничестве.",
                )


def _registered_document(mentor: Record, lookup: RegisterLookup) -> bool:
    code, name, birth = mentor.get("code"), mentor.get("full_name"), mentor.get("birth_date")
    if not isinstance(name, str):
        return False
    return lookup.has_identity_document(
        str(code) if code else None, name, birth if isinstance(birth, date) else None
    )


CODE_GAP = "пробел или тире между буквами и цифрами кода не делают код другим"


def shared_code(code: str, owners: list[tuple[str, str, date | None]]) -> str:
    """The line for a Код that is the Код of several registered people («Н01» of «Н01» and
    «Н 01», two people of a register made before spaces and dashes were left out of codes)."""
    count = {2: "двух", 3: "трёх", 4: "четырёх"}.get(len(owners), str(len(owners)))
    named = ", ".join(f"«{registered}» — {name}" for registered, name, _ in owners)
    return f"Код «{code}» в реестре у {count} человек: {named} ({CODE_GAP})."


def listed_and_registered(
    ref: str, listed: Record, sheet: str, role: str, lookup: RegisterLookup
) -> str | None:
    """The line refusing a Код that is the Код of the sheet's ``listed`` row spelled otherwise
    and, spelled as typed, another registered person's: «Н-01» for the sheet's «Н01» (Белова)
    and the register's «Н-01» (Петрова), two people of a register of before. None otherwise."""
    code, name = str(listed.get("code")), listed.get("full_name")
    if not spelled_otherwise(ref, code) or not isinstance(name, str):
        return None
    exact = [o for o in lookup.code_owners(ref, role) if not spelled_otherwise(ref, o[0])]
    if not exact or person_key(exact[0][1]) == person_key(name):
        return None
    return (
        f"Код «{ref}» — это и «{code}» листа «{sheet}» (строка {listed.row}, {name}), и "
        f"«{exact[0][0]}» реестра ({exact[0][1]}): {CODE_GAP}. Укажите здесь ФИО нужного "
        "человека."
    )


def check_code_owners(
    records: list[Record], role: str, report: IntakeReport, lookup: RegisterLookup | None
) -> None:
    """Refuse a row whose Код is a registered person's (spelled alike or otherwise: «Н01» is
    «Н-01») while its ФИО and date of birth are both another's: the row would rename that
    person. So is a Код of several registered people (a register of before) whom the row is
    none of."""
    if lookup is None:
        return
    for record in records:
        code, name, birth = record.get("code"), record.get("full_name"), record.get("birth_date")
        if not code or not isinstance(name, str):
            continue
        owners = lookup.code_owners(str(code), role)
        if len(owners) > 1:  # a register of before: «Н01» and «Н 01» two people
            if not any(person_key(o[1]) == person_key(name) or o[2] == birth for o in owners):
                line = shared_code(str(code), owners) + " Дайте этому человеку другой Код."
                _error(report, record, "code", line)
            continue
        if not owners:
            continue
        if person_key(owners[0][1]) == person_key(name) or owners[0][2] == birth:
            continue
        registered, other, born = owners[0]
        if not spelled_otherwise(str(code), registered):
            if isinstance(birth, date) and born is not None:  # a Код given to someone else
                _error(report, record, "code", _taken(str(code), other, born, name, birth))
            continue
        _error(
            report,
            record,
            "code",
            f"Код «{code}» — это Код «{registered}» реестра ({CODE_GAP}), а в реестре под ним "
            f"{other}" + (f" ({_d(born)})" if born else "") + ". Если это другой человек, "
            f"дайте {agree(name, 'ему', 'ей', 'ему')} другой Код; если это {other} и ФИО с датой "
            f"рождения исправлены, укажите Код «{registered}».",
        )


def check_unique_codes(records: list[Record], name: str, report: IntakeReport) -> None:
    """Refuse a Код (of column ``name``) given to two rows."""
    first: dict[str, Record] = {}
    for record in records:
        if not (code := record.get(name)):
            continue
        key = code_key(str(code))
        if key in first and spelled_otherwise(str(code), str(first[key].get(name))):
            _error(
                report,
                record,
                name,
                f"Код «{code}» совпадает с кодом «{first[key].get(name)}» в строке "
                f"{first[key].row}: {CODE_GAP}. Коды должны быть разными: измените один из них.",
            )
        elif key in first:
            _error(
                report,
                record,
                name,
                f"Код «{code}» уже есть в строке {first[key].row}. Коды должны быть разными.",
            )
        else:
            first[key] = record


TWIN = (
    "Эти наставник и наставляемые уже составляют пару «{code}» (с {start} по {end}), а сроки "
    "пересекаются. Если это та же пара, укажите её код «{code}»: другой код добавил бы вторую "
    "пару, и приказ утвердил бы обе."
)


def check_twins(
    pairs: list[Record],
    people: dict[int, tuple],
    report: IntakeReport,
    lookup: RegisterLookup | None,
) -> None:
    """Refuse a pair whose mentor and mentees already make a pair of another code, in this
    workbook or in the register, over an overlapping period: the same pair typed under a new
    code («П-1» for «П-01») was a second pair, and the re-made order approved both. The same
    people after the first programme ends (a new year) are a new pair."""
    listed = {code_key(str(p.get("code"))) for p in pairs if p.get("code")}
    seen: dict[tuple, list[Record]] = defaultdict(list)
    for pair in pairs:
        code, start, end = pair.get("code"), pair.get("start"), pair.get("end")
        if id(pair) not in people or not (
            code and isinstance(start, date) and isinstance(end, date)
        ):
            continue
        others = [
            (str(o.get("code")), o.get("start"), o.get("end")) for o in seen[people[id(pair)]]
        ]
        seen[people[id(pair)]].append(pair)
        if lookup is not None:
            mentor = str(pair.get("mentor_ref"))
            mentees: tuple[str, ...] = pair.get("mentee_refs")  # type: ignore[assignment]
            others += [
                (span.code, span.start, span.end)
                for span in lookup.pairs_with(mentor, mentees)
                if code_key(span.code) not in listed
            ]
        for other, other_start, other_end in others:
            if code_key(other) == code_key(str(code)):  # a repeated code, reported as such
                continue
            if other_start <= end and start <= other_end:
                _error(
                    report,
                    pair,
                    "code",
                    TWIN.format(code=other, start=_d(other_start), end=_d(other_end)),
                )
                break


REUSED = (
    "Код «{code}» уже принадлежит паре прежнего срока: {mentor} — {mentees} (с {start} по "
    "{end}). В этой строке другие наставник и наставляемые — это новая пара: дайте ей код, "
    "которого ещё нет в реестре (например, «{free}»). Код остаётся за парой во все учебные "
    "годы: под ним её программы и отчёты."
)


def check_reused_codes(pairs: list[Record], report: IntakeReport, lookup: RegisterLookup) -> None:
    """Refuse a registered pair's code given next school year to another pair — another
    mentor and other mentees, none of the pair's people (a school numbering each year's pairs
    from «П-01» again): it was taken as the pair's new term, last year's pair «continued» with
    other people under last year's programme and report. Same people, or some of them, are
    the pair going on (:func:`service.register.terms.is_new_term`)."""
    listed = {code_key(str(p.get("code"))) for p in pairs if p.get("code")}
    for pair in pairs:
        code, start, mentor = pair.get("code"), pair.get("start"), pair.get("mentor_ref")
        mentees = pair.get("mentee_refs") or ()
        if not (code and isinstance(start, date) and isinstance(mentor, str)):
            continue
        if pair.bad & {"mentor_ref", "mentee_refs"}:
            continue
        found = lookup.reused_code(str(code), mentor, tuple(mentees), start)  # type: ignore[arg-type]
        if found is None:
            continue
        free = _free_code(found.code, listed, lookup)
        listed.add(code_key(free))
        _error(
            report,
            pair,
            "code",
            REUSED.format(
                code=found.code,
                mentor=found.mentor,
                mentees=", ".join(found.mentees),
                start=_d(found.start),
                end=_d(found.end),
                free=free,
            ),
        )


def _free_code(code: str, listed: set[str], lookup: RegisterLookup) -> str:
    """The first code after ``code`` in its numbering («П-01» → «П-02», keeping the digits'
    width) neither registered nor in this workbook."""
    match = re.fullmatch(r"(.*?)(\d+)", code.strip())
    stem, number, width = (match[1], int(match[2]), len(match[2])) if match else (code + "-", 1, 1)
    while True:
        number += 1
        candidate = f"{stem}{number:0{width}d}"
        if code_key(candidate) not in listed and not lookup.has_pair(candidate):
            return candidate


TYPO_LETTERS = 3
"""How many letters two ФИО may differ by to be one person's typo and its correction
(«Смирнов Иля Олегович» and «Смирнов Илья Олегович»: one). Counted, not a ratio of the whole:
a long first name and patronymic in common made «Кузьмин Артём Сергеевич» 0.85 alike to
«Кузнецов Артём Сергеевич» — another child born the same day, refused without a Код."""


def _taken(code: str, other: str, born: date, name: str, birth: date) -> str:
    """A registered Код under another ФИО *and* another date of birth: the row would rename
    the registered person (a school numbering next year's people from «Н-01» again)."""
    return (
        f"Под Кодом «{code}» в реестре — {other} ({_d(born)}), а в этой строке {name} "
        f"({_d(birth)}): другие и ФИО, и дата рождения. Если это другой человек, дайте "
        f"{agree(name, 'ему', 'ей', 'ему')} Код, которого ещё нет в реестре (Коды прошлых лет "
        f"остаются за своими людьми). Если это {other} и исправлены и ФИО, и дата рождения, "
        "передайте исправления по очереди: сначала ФИО с прежней датой, затем дату."
    )


def similar_names(one: str, other: str) -> bool:
    """The same surname, or ФИО alike but for a few letters (:data:`TYPO_LETTERS`)."""
    a, b = person_key(one).split(), person_key(other).split()
    if a[:1] == b[:1]:
        return True
    changes = SequenceMatcher(None, " ".join(a), " ".join(b), autojunk=False).get_opcodes()
    differ = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in changes if tag != "equal")
    return differ <= TYPO_LETTERS


def check_corrected_names(
    records: list[Record], role: str, report: IntakeReport, lookup: RegisterLookup | None
) -> None:
    """Refuse a row without Код whose ФИО is not in the register but is like the ФИО of a
    registered person of the same role born the same day: a corrected typo added a second
    person with consents of his own (people are matched by ФИО and date of birth, or by Код).
    So is a row of a registered ФИО born another day: a corrected date of birth. With a Код
    the row is taken as written: twins share a surname and a birthday, namesakes a ФИО."""
    if lookup is None:
        return
    for record in records:
        name, birth = record.get("full_name"), record.get("birth_date")
        if record.get("code") or not isinstance(name, str) or not isinstance(birth, date):
            continue
        born = lookup.born_on(birth, role)
        if any(person_key(other) == person_key(name) for other, _ in born):
            continue
        similar = [(other, code) for other, code in born if similar_names(other, name)]
        if similar:
            _error(report, record, "full_name", _corrected(name, birth, *similar[0]))
            continue
        # the same ФИО born another day: a corrected date of birth (a namesake has a Код)
        if births := lookup.births_of(name, role):
            _error(report, record, "birth_date", _redated(name, *births[0]))


def _redated(name: str, birth: date, code: str | None) -> str:
    he, his = agree(name, "он", "она", "он"), agree(name, "его", "её", "его")
    if code:
        how = f"укажите в этой строке {his} Код «{code}»"
    else:
        how = (
            f"сначала передайте книгу, где у {agree(name, 'него', 'неё', 'него')} прежняя "
            "дата рождения и заполнен «Код», затем — новую дату рождения с тем же Кодом"
        )
    return (
        f"В реестре уже есть {name} с другой датой рождения ({_d(birth)}). Если это {he} и "
        f"дата рождения исправлена, {how}: дата исправится во всех {his} документах. Если это "
        "другой человек (полный тёзка), заполните у него «Код»."
    )


def _corrected(name: str, birth: date, other: str, code: str | None) -> str:
    he, his = agree(other, "он", "она", "он"), agree(other, "его", "её", "его")
    if code:
        how = f"укажите в этой строке {his} Код «{code}»"
    else:
        how = (
            f"сначала передайте книгу, где у {agree(other, 'него', 'неё', 'него')} прежнее "
            "ФИО и заполнен «Код», затем — новое ФИО с тем же Кодом"
        )
    return (
        f"В реестре уже есть {other} с той же датой рождения ({_d(birth)}). Если это {he} и "
        f"ФИО исправлено, {how}: ФИО исправится во всех {his} документах. Если это другой "
        f"человек, заполните у {agree(name, 'него', 'неё', 'него')} «Код»."
    )


def check_mentor_change(
    pair: Record,
    mentor: Record | None,
    ref: str,
    report: IntakeReport,
    lookup: RegisterLookup,
    saved_on: date | None = None,
) -> None:
    """Warn that a registered pair gets another mentor (``mentor``: the workbook's row of the
    mentor the pair names, ``ref``: the reference to him): the pair's documents are made again
    naming the new one, and no order «о замене наставника» is made. A mentor replaced in this
    term named again changes back (:mod:`service.intake.mentor_back`): refused when the
    workbook was saved (``saved_on``) before the replacement."""
    code = pair.get("code")
    if not code:
        return
    start = pair.get("start")
    if isinstance(start, date) and lookup.starts_new_term(str(code), start):
        return  # a new term of the pair (next year's): its mentor is the new term's
    refs = [ref]
    if mentor is not None and mentor.get("code"):  # renamed in this workbook: his Код says
        refs = [str(mentor.get("code"))]
        name, birth = mentor.get("full_name"), mentor.get("birth_date")
        if isinstance(name, str) and isinstance(birth, date):
            # a Код given only now: the register knows him by ФИО and date of birth, as the
            # register's own matching of the row does (he was reported as his own successor)
            refs.append(f"{name} ({_d(birth)})")
    formers = [lookup.former_mentor(str(code), r) for r in refs]
    if None in formers:
        return
    former = formers[0]
    registered = lookup.pair_code(str(code))
    if registered is not None and spelled_otherwise(str(code), registered):
        _error(
            report,
            pair,
            "code",
            f"Код пары «{code}» — это код «{registered}» реестра ({CODE_GAP}), а у пары "
            f"«{registered}» другой наставник — {former}. Если это новая пара, дайте ей другой "
            f"код; если у пары «{registered}» меняется наставник, укажите код «{registered}».",
        )
        return
    back = next(filter(None, (lookup.replaced_mentor(str(code), r) for r in refs)), None)
    if back is not None:
        said, refused = mentor_back(str(code), back[0], former, back[1], saved_on)
        _error(report, pair, "mentor_ref", said, warning=not refused)
        return
    _error(
        report,
        pair,
        "mentor_ref",
        f"У пары «{code}» меняется наставник: {agree(former, 'был', 'была', 'был')} {former}. "
        "Пара остаётся той же (тот же код); её программа и приказ об утверждении пар "
        "составляются заново, новыми версиями — подписанные версии остаются как были. "
        "Приказа о замене наставника сервис не составляет.",
        warning=True,
    )
