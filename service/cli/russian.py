"""click's own words in Russian: «Использование:», «Параметры», «Ошибка: Нет такого параметра:
--all.» — so that a mistyped command answers in the language of the rest of the CLI.

click marks its messages for :mod:`gettext` (``_("Usage:")``, ``ngettext(...)``) but ships no
catalogue, and the module-level ``gettext.gettext`` it calls looks for compiled ``.mo`` files by
the process's locale (a server's is usually ``C.UTF-8``). So the catalogue is this dictionary, as
a :class:`gettext.NullTranslations` subclass, and :func:`install` points the ``_``/``ngettext``
names of click's modules at it. A message not listed here (or a future click's new wording)
stays in English: nothing breaks.
"""

from __future__ import annotations

import gettext
import importlib

CATALOGUE: dict[str, str] = {
    "Usage:": "Использование:",
    "Options": "Параметры",
    "Commands": "Команды",
    "Positional arguments": "Аргументы",
    "Show this message and exit.": "Показать эту справку и выйти.",
    "Error: {message}": "Ошибка: {message}",
    "Try '{command} {option}' for help.": "Справка: {command} {option}",
    "Aborted!": "Прервано.",
    "Missing command.": "Не указана команда.",
    "Missing argument": "Не указан аргумент",
    "Missing option": "Не указан параметр",
    "Missing parameter": "Не указан параметр",
    "Missing parameter: {param_name}": "Не указан параметр: {param_name}",
    "No such option {name!r}.": "Нет такого параметра: {name}.",
    "No such command {name!r}.": "Нет такой команды: {name}.",
    "Option {name!r} does not take a value.": "Параметр {name} пишется без значения.",
    "Invalid value for {param_hint}: {message}": "Недопустимое значение {param_hint}: {message}",
    "Invalid value: {message}": "Недопустимое значение: {message}",
    "{value!r} is not a valid {number_type}.": "«{value}» — не число.",
    "{value} is not in the range {range}.": "{value} — вне допустимых пределов {range}.",
    "file": "файл",
    "directory": "папка",
    "path": "путь",
    # click passes the kind title-cased («Файл»): the Russian wording does without it
    "{name} {filename!r} does not exist.": "«{filename}» не найден.",
    "{name} {filename!r} is a file.": "«{filename}» — файл, а нужна папка.",
    "{name} {filename!r} is a directory.": "«{filename}» — папка, а нужен файл.",
    "{name} {filename!r} is not readable.": "«{filename}»: нет доступа на чтение.",
    "{name} {filename!r} is not writable.": "«{filename}»: нет доступа на запись.",
    "Could not open file {filename!r}: {message}": "Не открывается файл «{filename}»: {message}",
    "default: {default}": "по умолчанию: {default}",
    "required": "обязательно",
    "env var: {var}": "переменная окружения: {var}",
}
"""English message → Russian; the ``{…}`` fields are the same (``!r`` dropped: «…» instead)."""

PLURALS: dict[str, tuple[str, str]] = {
    "Did you mean {possibility}?": (
        "Возможно, имелось в виду {possibility}?",
        "(Возможно, имелось в виду одно из: {possibilities}?)",
    ),
    "Option {name!r} requires an argument.": (
        "Параметру {name} нужно значение.",
        "Параметру {name} нужны значения ({nargs}).",
    ),
    "Got unexpected extra argument ({args})": (
        "Лишний аргумент ({args})",
        "Лишние аргументы ({args})",
    ),
    "{value!r} is not {choice}.": (
        "«{value}» — не {choice}.",
        "«{value}» — не из допустимых: {choices}.",
    ),
}
"""English singular → Russian (one, several) for click's ``ngettext`` messages."""

CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


class Russian(gettext.NullTranslations):
    """The catalogue above, with gettext's interface."""

    def gettext(self, message: str) -> str:
        return CATALOGUE.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = PLURALS.get(singular)
        if forms is None:
            return singular if n == 1 else plural
        return forms[0] if n == 1 else forms[1]


def install() -> None:
    """Make click speak Russian in this process (idempotent, no effect on other libraries)."""
    russian = Russian()
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = russian.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = russian.ngettext
