"""Checking a DOCX template before it is used: every variable it names exists in its kind's
context, and a rendering with a full sample leaves no tags, no «None», no empty «»."""

from __future__ import annotations

from pathlib import Path

import jinja2
from docxtpl import DocxTemplate

from service.documents.catalogue import BY_ID, KINDS
from service.documents.filters import make_environment
from service.documents.render import TemplateError, render_template_file
from service.documents.sample import sample_context
from service.documents.text import docx_text

LEFTOVERS = ("{{", "}}", "{%", "%}", "None", "«»")


def guess_kind(path: Path) -> str | None:
    """The kind whose catalogue template has this file name, if any."""
    for kind in KINDS:
        if kind.template == path.name:
            return kind.id
    return None


def check_template(path: Path, kind_id: str) -> list[str]:
    """Problems of the template at ``path`` used as ``kind_id``, in Russian; [] when fine."""
    if kind_id not in BY_ID:
        return [f"Неизвестный вид документа «{kind_id}». Возможные: {', '.join(BY_ID)}."]
    context = sample_context(kind_id)
    try:
        template = DocxTemplate(str(path))
        used = template.get_undeclared_template_variables(make_environment())
    except jinja2.TemplateSyntaxError as exc:
        return [f"Ошибка в записи тега (строка {exc.lineno} XML): {exc.message}"]
    except Exception as exc:  # not a DOCX, damaged zip, …
        return [f"Файл не открывается как документ Word (.docx): {exc}"]
    problems = [
        f"Переменной «{name}» нет в данных документа этого вида (см. docs/template-context.md)."
        for name in sorted(used - set(context))
    ]
    if problems:
        return problems
    try:
        text = docx_text(render_template_file(path, context))
    except TemplateError as exc:
        return [f"Шаблон не заполняется: {exc}"]
    return [f"После заполнения в тексте остаётся «{bad}»." for bad in LEFTOVERS if bad in text]
