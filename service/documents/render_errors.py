"""Why a template did not render, said in Russian for the school's administrator.

A school's template can pass the check with the sample data and still fail with the school's
own (``{{ 1 / (… | length) }}`` with an empty list), or ask the sandbox for what it refuses
(``{{ org | attr('__class__') }}``). Jinja and Python say why in English («division by zero»,
«access to attribute '__class__' of 'dict' object is unsafe.»), and that text reached the
template page and the workbook's error report as it was. The sandbox's own bounds
(:mod:`service.documents.sandbox`) are said in Russian already and pass unchanged.
"""

from __future__ import annotations

import re
import zipfile

from jinja2.exceptions import SecurityError, UndefinedError

_UNSAFE = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")
_UNDEFINED = re.compile(r"^'([^']*)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']*)'")
_NO_ELEMENT = re.compile(r"object has no element (.+)$")
_COMPARE = re.compile(r"not supported between instances of '([^']*)' and '([^']*)'")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def render_failure(exc: BaseException) -> str:
    """Why rendering stopped, in Russian; the exception's own text stays only where no
    Russian wording fits, after one that says what kind of mistake it is."""
    text = str(exc).strip().rstrip(".")
    if isinstance(exc, zipfile.BadZipFile):
        return "файл повреждён — это не документ Word (.docx)"
    if isinstance(exc, SecurityError):
        if match := _UNSAFE.search(text):
            return f"обращение к «{match.group(1)}» в шаблоне запрещено (служебное поле)"
        if _CYRILLIC.search(text):
            return text
        return f"шаблон просит недоступное в шаблоне действие ({text})"
    if isinstance(exc, UndefinedError):
        if match := _UNDEFINED.search(text):
            return f"переменной «{match.group(1)}» нет в данных документа"
        if match := _NO_ATTRIBUTE.search(text):
            return f"в данных документа нет поля «{match.group(1)}»"
        if match := _NO_ELEMENT.search(text):
            return f"в данных документа нет элемента {match.group(1)}"
        return f"в данных документа нет того, что просит шаблон ({text})"
    if isinstance(exc, ZeroDivisionError):
        return "деление на ноль"
    if isinstance(exc, RecursionError):
        return (
            "метки шаблона вложены одна в другую слишком глубоко (десятки или сотни скобок, "
            "фильтров, условий или циклов друг в друге) — упростите их"
        )
    if isinstance(exc, TypeError) and (match := _COMPARE.search(text)):
        return f"сравниваются значения разных видов ({match.group(1)} и {match.group(2)})"
    if _CYRILLIC.search(text):
        return text
    return f"выражение в теге не вычисляется с этими данными ({type(exc).__name__}: {text})"
