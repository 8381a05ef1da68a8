"""Checking a DOCX template before it is used, problem by problem, each with its paragraph.

The file itself is checked first (:mod:`service.documents.package_check`: damaged parts,
macros, links out of the file, …). The template is then normalised as it will be compiled
(:mod:`service.documents.normalise`), then, part by part (body, headers, footers, notes): tags
left half-typed, ``{% if %}`` and ``{% for %}`` not closed in order, Jinja syntax, and the rules
of :mod:`service.documents.tag_rules` (no ``_`` names, no method calls, known filters, variables
and fields of the kind's context). Only a template without such problems is rendered with its
kind's sample context (:mod:`service.documents.sample`), and the text must then hold no tags,
no «None» and no empty «».
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from lxml import etree

from service.config import SHIPPED_TEMPLATES
from service.documents.catalogue import BY_ID, KINDS
from service.documents.fast_render import CompiledTemplate, environment
from service.documents.fields import rendered_fields_problem
from service.documents.nesting import (
    MAX_DEPTH,
    TOO_DEEP,
    TOO_DEEP_ERRORS,
    depth_of,
    too_deep_paragraph,
)
from service.documents.normalise import (
    PARTS,
    TAG,
    W,
    is_docx,
    normalise_docx,
    unpacked_size,
)
from service.documents.package_check import package_problem, unreadable_xml
from service.documents.problem import Problem
from service.documents.render_errors import render_failure
from service.documents.requisite_check import requisites_problems
from service.documents.sample import sample_context
from service.documents.tag_rules import (
    check_ast,
    check_blocks,
    russian_syntax_message,
)
from service.documents.text import docx_text

LEFTOVERS = ("{{", "}}", "{%", "%}", "None", "«»")
HALVES = ("{{", "}}", "{%", "%}", "{#", "#}")
_PARAGRAPH_OPEN = re.compile(r"<w:p([ >])")
_XML_TAG = re.compile(r"<[^>]*>")
MAX_UNPACKED = 50 * 2**20
"""A template unpacked (the shipped ones are under 1 MB): checked before anything is unpacked."""
_DOCXTPL = DocxTemplate(io.BytesIO())


def guess_kind(path: Path) -> str | None:
    """The kind whose catalogue template has this file name, if any."""
    for kind in KINDS:
        if kind.template == path.name:
            return kind.id
    return None


def check_template(path: Path, kind_id: str, shipped: Path = SHIPPED_TEMPLATES) -> list[str]:
    """Problems of the template at ``path`` used as ``kind_id``, in Russian; [] when fine."""
    return [str(problem) for problem in check_template_data(path.read_bytes(), kind_id, shipped)]


def check_template_data(
    data: bytes, kind_id: str, shipped: Path = SHIPPED_TEMPLATES
) -> list[Problem]:
    """Problems of the DOCX ``data`` used as a template of ``kind_id``; [] when fine.
    ``shipped``: the folder of the standard templates the home renders from when it has no
    template of its own (``settings.templates_dir``) — what signing compares a school's
    template with."""
    if kind_id not in BY_ID:
        return [Problem(f"Неизвестный вид документа «{kind_id}». Возможные: {', '.join(BY_ID)}.")]
    if not is_docx(data):
        return [Problem("Файл не открывается как документ Word (.docx).")]
    size = unpacked_size(data)
    if size > MAX_UNPACKED:
        return [
            Problem(
                f"Документ в распакованном виде занимает {size // 2**20} МБ, а шаблон может "
                f"занимать не больше {MAX_UNPACKED // 2**20} МБ (обычный шаблон — меньше "
                "1 МБ): уберите из файла большие картинки или вложенные объекты."
            )
        ]
    try:
        refused = package_problem(data)
        if refused:
            return [Problem(refused)]
        data = normalise_docx(data)
    except zipfile.BadZipFile as exc:
        return [Problem(f"Файл не открывается как документ Word (.docx): {exc}.")]
    except etree.XMLSyntaxError as exc:
        return [Problem(unreadable_xml(data, exc))]
    context = sample_context(kind_id)
    problems: list[Problem] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [archive.read(name) for name in archive.namelist() if PARTS.fullmatch(name)]
    try:
        for part in parts:
            problems += _check_part(part, context)
        if problems:
            return _unique(problems)
        compiled = CompiledTemplate.from_bytes(data, environment())
    except TOO_DEEP_ERRORS:  # parsed, checked and compiled by recursion
        texts = (text for part in parts for text in _paragraphs(etree.fromstring(part)))
        return [Problem(TOO_DEEP, too_deep_paragraph(environment(), texts))]
    try:
        sample = compiled.render(context)
    except Exception as exc:  # StrictUndefined, a filter given wrong data, …
        return [Problem(f"Шаблон не заполняется образцом данных: {render_failure(exc)}.")]
    if refused := rendered_fields_problem(sample):
        return [Problem(refused)]
    if signing := requisites_problems(data, compiled, kind_id, context, shipped):
        return signing
    text = docx_text(sample)
    return [
        Problem(f"После заполнения образцом данных в тексте остаётся «{bad}».")
        for bad in LEFTOVERS
        if bad in text
    ]


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _paragraphs(root: etree._Element) -> list[str]:
    texts = []
    for paragraph in root.iter(f"{{{W}}}p"):
        texts.append("".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t")))
    return texts


def _check_part(data: bytes, context: dict) -> list[Problem]:
    """Problems in one XML part of the (normalised) template."""
    if b"{" not in data and b"}" not in data:
        return []
    root = etree.fromstring(data)
    problems: list[Problem] = []
    tags: list[tuple[str, str]] = []
    for text in _paragraphs(root):
        for match in TAG.finditer(text):
            tags.append((match.group(), text))
        rest = TAG.sub("", text)
        halves = [half for half in HALVES if half in rest]
        if halves:
            shown = ", ".join(f"«{h}»" for h in halves)
            problems.append(Problem(f"Тег не дописан или разорван (остались {shown})", text))
    check_blocks(tags, lambda message, where: problems.append(Problem(f"Тег: {message}", where)))
    if problems:
        return problems
    xml = etree.tostring(root, encoding="unicode")  # as docxtpl reads it: `&quot;` → `"`
    source = _PARAGRAPH_OPEN.sub(r"\n<w:p\1", _DOCXTPL.patch_xml(xml))
    lines = source.split("\n")

    def where(line: int) -> str:
        if not 0 < line <= len(lines):
            return ""
        return html.unescape(_XML_TAG.sub("", lines[line - 1])).strip()

    env = environment()
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        message = russian_syntax_message(exc.message)
        return [Problem(f"Ошибка в записи тега: {message}", where(exc.lineno))]
    depth, line = depth_of(tree)
    if depth > MAX_DEPTH:  # checked and compiled by recursion, in time growing with depth²
        return [Problem(TOO_DEEP, where(line))]
    check_ast(
        tree, env, context, lambda m, line: problems.append(Problem(m.capitalize(), where(line)))
    )
    return problems
