"""Rendering a DOCX template: autoescaped, data never executed as a template.

:func:`render_template_file` (and :func:`render_document`) use the compile-once renderer of
:mod:`service.documents.fast_render`; :func:`render_plain` is docxtpl used plainly (a new
``DocxTemplate``, ``render``, ``save`` per document) — the reference the fast renderer is
tested against and benchmarked with.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

from service.config import Settings
from service.documents.catalogue import Kind
from service.documents.fast_render import render_fast
from service.documents.filters import make_environment
from service.documents.normalise import normalise_docx
from service.documents.render_errors import render_failure
from service.documents.template_files import template_file
from service.errors import BadInput


class TemplateError(BadInput):
    """A template is missing or cannot be rendered with the context it was given (a school's
    own template the check let through, a file removed by hand): said in Russian, with the
    template's name, to whoever processed the workbook or opened the preview."""


def _why(exc: Exception) -> str:
    """What went wrong, for the school's administrator (in Russian: :mod:`render_errors`)."""
    return render_failure(exc)


def render_template_file(template: Path, context: dict[str, Any]) -> bytes:
    """Render ``template`` with ``context`` and return the DOCX bytes.

    Values from the context are inserted as text (autoescaped), so a workbook cell holding
    ``{{ … }}``, ``&`` or ``<`` appears in the document exactly as typed.
    """
    if not template.is_file():
        raise TemplateError(f"Нет файла шаблона: {template}")
    try:
        return render_fast(template, context)
    except Exception as exc:  # jinja errors of every kind name the template's mistake
        raise TemplateError(f"Шаблон «{template.name}» не заполняется: {_why(exc)}") from exc


class _PlainTemplate(DocxTemplate):
    """docxtpl with its core properties rendered without autoescape: a property is text,
    which python-docx escapes when it writes ``docProps/core.xml`` (escaped twice, a title
    «ООО "Ромашка" & Co» read «ООО &#34;Ромашка&#34; &amp; Co» in Word's properties)."""

    def render_properties(
        self, context: dict[str, Any], jinja_env: jinja2.Environment | None = None
    ) -> None:
        env = jinja_env if jinja_env is not None else make_environment()
        super().render_properties(context, env.overlay(autoescape=False))


def render_plain(template: Path, context: dict[str, Any]) -> bytes:
    """The same document through docxtpl used plainly (slow; for tests and the benchmark)."""
    if not template.is_file():
        raise TemplateError(f"Нет файла шаблона: {template}")
    doc = _PlainTemplate(io.BytesIO(normalise_docx(template.read_bytes())))
    try:
        doc.render(context, make_environment(), autoescape=True)
    except Exception as exc:
        raise TemplateError(f"Шаблон «{template.name}» не заполняется: {_why(exc)}") from exc
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_document(where: Path | Settings, kind: Kind, context: dict[str, Any]) -> bytes:
    """The DOCX of one document of ``kind`` (``where``: see :func:`template_file`)."""
    return render_template_file(template_file(where, kind), context)
