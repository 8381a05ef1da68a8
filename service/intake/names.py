"""ФИО in a cell (INTAKE.md, «Reading rules»): :func:`to_name` reads a person's ФИО — spaces
tidied, each word capitalised, a surname's particle typed in lower case kept so — or refuses it
with the Russian message for the report; :func:`to_ref` and :func:`to_refs` read the people a
cell names, by ФИО or Код. Split from :mod:`service.intake.normalise` (the other cells' rules,
the keys and the particles' lists, which the register and the documents use too)."""

from __future__ import annotations

import re

from service.documents.russian import first_name_genders
from service.intake.normalise import (
    NAME_PARTICLES,
    SURNAME_PARTICLES,
    ValueProblem,
    clean_text,
    shown,
    to_text,
)

_WORD_RE = re.compile(r"^[A-Za-zА-Яа-яЁё]+(?:['-][A-Za-zА-Яа-яЁё]+)*$")
_CYRILLIC_RE = re.compile("[А-Яа-яЁё]")
_LATIN_RE = re.compile("[A-Za-z]")


def _capitalise_word(word: str, particles: bool = False) -> str:
    """With ``particles``, one of :data:`SURNAME_PARTICLES` typed in lower case stays so."""
    if word.lower() in NAME_PARTICLES or (particles and word in SURNAME_PARTICLES):
        return word.lower()
    parts = []
    for number, part in enumerate(word.split("-")):
        if number and (part.lower() in NAME_PARTICLES or (particles and part in SURNAME_PARTICLES)):
            parts.append(part.lower())  # «Гасан-оглы»: the particle glued on keeps lower case
            continue
        pieces = part.split("'")
        fixed = []
        for index, piece in enumerate(pieces):
            if not piece:
                fixed.append(piece)
                continue
            rest = piece[1:]
            keep_inner = rest and not rest.islower() and not rest.isupper()
            tail = rest if keep_inner else rest.lower()
            # «д'Артаньян»: the letter after a one-letter prefix keeps its capital.
            upper_first = index == 0 or len(pieces[index - 1]) == 1
            fixed.append((piece[0].upper() if upper_first else piece[0].lower()) + tail)
        parts.append("'".join(fixed))
    return "-".join(parts)


NAME_HINT = "Напишите ФИО полностью: Фамилия Имя Отчество (отчество — если есть)"
_PATRONYMIC_RE = re.compile(r"(?:ович|евич|ьич|овна|евна|ична)$", re.IGNORECASE)
"""A Russian patronymic's ending; the second word of a ФИО is a first name, never one of these
(«Нурлан Абаевич Сейткали» is written in the order Имя Отчество Фамилия)."""


def to_name(value: object) -> str:
    """ФИО: spaces tidied, each part capitalised, 2–4 words of letters, «-» and «'» allowed; a
    particle typed in lower case stays so, not counted: «фон Визин Денис» (not in a name typed
    all in one case: «ВАН ЛИ», a Chinese surname, or «ВАН ДЕЙК»? Each word is capitalised)."""
    if not isinstance(value, str):
        raise ValueProblem(f"«{shown(value)}» — не ФИО. {NAME_HINT}.")
    text = clean_text(value).replace("\n", " ")
    text = re.sub(r"\s*[-\u2010\u2011\u2012\u2013\u2014]\s*", "-", text)
    text = re.sub(r"\s*[’ʼ`´‘]\s*", "'", text)
    if re.search(r"[^\W\d_]{2} ?\.$", text) and text.count(".") == 1:
        text = text[:-1].rstrip()  # «Иванов Иван Иванович.»: a full stop, not an initial
    words = text.split(" ")
    original = shown(value)
    if "." in text:
        raise ValueProblem(
            f"В ФИО «{original}» есть инициалы или точки. {NAME_HINT}, без сокращений."
        )
    cased = text not in (text.lower(), text.upper())
    particles = [cased and w in SURNAME_PARTICLES for w in words[:-1]] + [False]
    if particles.count(False) == 1 and any(particles):  # «фон Визин»: a surname alone
        these = [w for w, p in zip(words, particles, strict=True) if p]
        said = f"{'частицами' if len(these) > 1 else 'частицей'} «{' '.join(these)}»"
        raise ValueProblem(f"«{original}» — только фамилия (с {said}), имени нет. {NAME_HINT}.")
    if not 2 <= particles.count(False) <= 4 or len(words) > 6:
        raise ValueProblem(f"«{original}» не похоже на ФИО: слов {len(words)}. {NAME_HINT}.")
    for word in words:
        if not _WORD_RE.match(word):
            raise ValueProblem(
                f"В ФИО «{original}» есть недопустимые символы («{word}»). "
                f"Допустимы буквы, дефис и апостроф. {NAME_HINT}."
            )
        if _CYRILLIC_RE.search(word) and _LATIN_RE.search(word):
            latin = "".join(sorted(set(_LATIN_RE.findall(word))))
            raise ValueProblem(
                f"В слове «{word}» (ФИО «{original}») русские буквы смешаны с латинскими "
                f"({latin}). Буквы выглядят одинаково, но это разные символы: перепечатайте "
                "слово русскими буквами."
            )
    if words[0].lower() in NAME_PARTICLES:
        raise ValueProblem(f"ФИО «{original}» начинается с «{words[0]}». {NAME_HINT}.")
    if misplaced := _surname_after_name(words, particles):
        start, end = misplaced
        if end < len(words) and _given(words[end]) and not _PATRONYMIC_RE.search(words[end]):
            # a name after the particle's surname: the particle is inside a compound surname,
            # «Лопес де Вега Анна» (review20: told to write «де Вега Лопес Анна»)
            joined = "-".join(_capitalise_word(word, True) for word in words[:end])
            named = " ".join([joined, *(_capitalise_word(w, cased) for w in words[end:])])
            raise ValueProblem(
                f"В ФИО «{original}» частица «{words[start]}» стоит внутри фамилии "
                f"«{' '.join(words[:end])}»: составная фамилия пишется через дефис. "
                f"Напишите «{named}»."
            )
        surname = " ".join(words[start:end])
        named = " ".join(
            _capitalise_word(word, cased) for word in words[start:end] + words[:start] + words[end:]
        )
        raise ValueProblem(
            f"В ФИО «{original}» фамилия «{surname}» стоит после имени: ФИО пишется в порядке "
            f"Фамилия Имя Отчество. Напишите «{named}»."
        )
    if (end := _turkic_patronymic_end(words)) is not None:
        named = " ".join(_capitalise_word(word, cased) for word in words[end:] + words[:end])
        raise ValueProblem(
            f"В ФИО «{original}» отчество «{' '.join(words[1:end])}» стоит перед фамилией: ФИО "
            f"записано в порядке Имя Отчество Фамилия. Напишите «{named}» (Фамилия Имя Отчество)."
        )
    first = particles.index(False) + 1  # after the particles and surname: «фон Визин Денис»
    if _PATRONYMIC_RE.search(words[first]):
        named = " ".join(_capitalise_word(word, cased) for word in words[2:] + words[:2])
        advice = f"Напишите «{named}» (Фамилия Имя Отчество)" if len(words) > 2 else NAME_HINT
        raise ValueProblem(
            f"В ФИО «{original}» второе слово «{words[1]}» — отчество: ФИО записано в порядке "
            f"Имя Отчество Фамилия. {advice}."
        )
    return " ".join(_capitalise_word(word, cased) for word in words)


def _surname_after_name(words: list[str], particles: list[bool]) -> tuple[int, int] | None:
    """Where (start, end) a surname with its particle in lower case stands after a name:
    «фон Визин» of «Денис фон Визин» (left20: taken for the surname «Денис» and printed
    «Ф.В. Денис»); None when the particles begin the ФИО («фон Визин Денис») or follow one
    written with a capital («Де ла Крус Мария»), or when they end the ФИО after no word that
    is a known first name or a patronymic: «Нгуен ван Ань», a Vietnamese middle name typed in
    lower case, was refused, told to write «ван Ань Нгуен» (review20). A patronymic's particle
    («Ильхам Рашид оглы») is no surname's."""
    for index, particle in enumerate(particles):
        if particle and index and not particles[index - 1]:
            if words[index - 1].lower() in SURNAME_PARTICLES:
                continue
            end = particles.index(False, index) + 1
            if end == len(words) and not any(_given(word) for word in words[:index]):
                continue
            return index, end
    return None


def _turkic_patronymic_end(words: list[str]) -> int | None:
    """Where the name and a Turkic patronymic end when a surname follows them: 3 of «Эльдар
    Рашид оглы Мамедов», 2 of «Эльдар Рашид-оглы Мамедов» (left22: read as the surname «Эльдар»
    and printed «Р.О. Эльдар»); None when «оглы», «кызы»… end the ФИО as they should («Мамедов
    Эльдар Рашид оглы») or begin a surname («Гасан-оглы Эльдар»)."""
    for index, word in enumerate(words[:-1]):
        lower = word.lower()
        apart = lower in NAME_PARTICLES and index >= 2
        glued = index >= 1 and lower.rpartition("-")[2] in NAME_PARTICLES and "-" in lower
        if apart or glued:
            return index + 1
    return None


def _given(word: str) -> bool:
    """``word`` is a first name the dictionary knows, or a patronymic."""
    return bool(_PATRONYMIC_RE.search(word) or first_name_genders(word))


def to_ref(value: object) -> str:
    """One person named in a cell: the normalised ФИО if it reads as one, else the Код as is."""
    text = to_text(value).replace("\n", " ")
    try:
        return to_name(text)
    except ValueProblem:
        return text


_REF_MARK_RE = re.compile(r"^(?:(?:\d{1,2}[.)]|[-\u2013\u2014])\s+|[•·*]\s*)")
"""A list mark before a person in a cell: «1. », «2) », «- », «•» (a Код «1.5» keeps its dot)."""


def to_refs(value: object) -> tuple[str, ...]:
    """People named in a cell, separated by «;» (or line breaks, commas), list marks («1.»,
    «–», «•») dropped: ФИО or Код each."""
    parts = (_REF_MARK_RE.sub("", part.strip()) for part in re.split(r"[;,\n]", to_text(value)))
    return tuple(to_ref(part) for part in parts if part)
