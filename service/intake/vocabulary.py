"""Closed lists of the intake workbook (INTAKE.md), in their canonical Russian spelling.

The blank workbook offers them as drop-down lists; the reader accepts any spelling that
differs only in case, spaces, ё/е and the kind of dash, and stores the canonical one.
"""

from __future__ import annotations

MENTOR_CATEGORIES: tuple[str, ...] = (
    "педагог",
    "обучающийся",
    "родитель обучающегося",
    "выпускник",
    "сотрудник предприятия",
    "предприниматель или общественный деятель",
    "ветеран педагогического труда",
    "педагог вуза или колледжа",
)

MENTEE_CATEGORIES: tuple[str, ...] = (
    "обучающийся",
    "молодой специалист",
    "педагог",
    "педагог в процессе адаптации",
)

FORMS: tuple[str, ...] = (
    "Ученик – ученик",
    "Учитель – учитель",
    "Учитель – ученик",
    "Руководитель – педагог",
    "Работодатель – ученик",
    "Педагог вуза (колледжа) – молодой педагог",
)

MODES: tuple[str, ...] = (
    "традиционная",
    "групповая",
    "виртуальная",
    "краткосрочная",
    "реверсивная",
    "ситуационная",
    "скоростная",
)
DEFAULT_MODE = "традиционная"

FINAL_EVENT_FORMS: tuple[str, ...] = (
    "круглый стол",
    "конференция",
    "семинар",
    "фестиваль",
    "форум",
)

RESULT_STATUSES: tuple[str, ...] = ("завершена", "завершена досрочно", "продлена")
RESULT_COMPLETED = "завершена"
RESULT_EARLY = "завершена досрочно"

YES_WORDS: frozenset[str] = frozenset({"да", "+", "1", "истина", "true", "yes"})
NO_WORDS: frozenset[str] = frozenset({"нет", "-", "0", "ложь", "false", "no"})
EXTERNAL_WORDS: dict[str, bool] = {
    **dict.fromkeys(("внешний", "внешняя", "внеш", "внешний наставник"), True),
    **dict.fromkeys(("внутренний", "внутренняя", "внутр", "внутренний наставник"), False),
    **dict.fromkeys(("штатный", "штатная", "сотрудник школы", "работает в школе"), False),
}
"""«Внешний наставник» as an office writes it besides «да»/«нет» (lower case, a final dot
ignored): what the word plainly means."""

SEX_WORDS: dict[str, str] = {
    "м": "м",
    "муж": "м",
    "мужской": "м",
    "ж": "ж",
    "жен": "ж",
    "женский": "ж",
    "женщина": "ж",
    "девочка": "ж",
    "девушка": "ж",
    "мужчина": "м",
    "мальчик": "м",
    "юноша": "м",
}
"""«Пол» as a school writes it (case, ё/е, spaces and a final dot ignored) → «м» or «ж»."""
