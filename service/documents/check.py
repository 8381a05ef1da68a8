"""Checking a DOCX template before it is used, problem by problem, each with its paragraph.

The template is first normalised as it will be compiled (:mod:`service.documents.normalise`),
then, part by part (body, headers, footers, notes): tags left half-typed, ``{% if %}`` and
``{% for %}`` not closed in order, Jinja syntax, and the rules of
:mod:`service.documents.tag_rules` (no ``_`` names, no method calls, known filters, variables
and fields of the kind's context). Only a template without such problems is rendered with its
kind's sample context (:mod:`service.documents.sample`), and the text must then hold no tags,
no «None» and no empty «».
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from lxml import etree

from service.documents.catalogue import BY_ID, KINDS
from service.documents.fast_render import CompiledTemplate, environment
from service.documents.normalise import (
    PARTS,
    RELS,
    TAG,
    W,
    is_docx,
    normalise_docx,
    unpacked_size,
)
from service.documents.problem import Problem
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
_OUTSIDE_ALLOWED = ("hyperlink", "attachedTemplate")
"""Links out of a template that are not refused: a hyperlink in the text, and the letterhead
«.dotx» the template was made from (its link is dropped from every document made:
:func:`service.documents.normalise.detach_template`)."""
_DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(code) for code in ("utf-8", "utf-16-le", "utf-16-be"))


def guess_kind(path: Path) -> str | None:
    """The kind whose catalogue template has this file name, if any."""
    for kind in KINDS:
        if kind.template == path.name:
            return kind.id
    return None


def check_template(path: Path, kind_id: str) -> list[str]:
    """Problems of the template at ``path`` used as ``kind_id``, in Russian; [] when fine."""
    return [str(problem) for problem in check_template_data(path.read_bytes(), kind_id)]


def check_template_data(data: bytes, kind_id: str) -> list[Problem]:
    """Problems of the DOCX ``data`` used as a template of ``kind_id``; [] when fine."""
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
        refused = _package_problem(data)
        if refused:
            return [Problem(refused)]
        data = normalise_docx(data)
    except (zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        return [Problem(f"Файл не открывается как документ Word (.docx): {exc}.")]
    context = sample_context(kind_id)
    problems: list[Problem] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if PARTS.fullmatch(name):
                problems += _check_part(archive.read(name), context)
    if problems:
        return _unique(problems)
    try:
        text = docx_text(CompiledTemplate.from_bytes(data, environment()).render(context))
    except Exception as exc:  # StrictUndefined, a filter given wrong data, …
        return [Problem(f"Шаблон не заполняется образцом данных: {exc}.")]
    return [
        Problem(f"После заполнения образцом данных в тексте остаётся «{bad}».")
        for bad in LEFTOVERS
        if bad in text
    ]


def _package_problem(data: bytes) -> str | None:
    """What makes the package itself unacceptable, in Russian; None when nothing does.

    Every part is read through zipfile, which checks its size and checksum against the
    directory. An XML part must not declare a DOCTYPE (Word never writes one: a template with
    one was made to expand entities or to read a file), and a relationship may lead outside
    the file only as a hyperlink: a picture, object or Word template linked to
    «http://…» or «file://…» is fetched by LibreOffice when the archive's PDF is made (by the
    server, from wherever it stands) and by Word at every reader of every document."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            try:
                part = archive.read(info)
            except (zipfile.BadZipFile, zlib.error) as exc:
                raise zipfile.BadZipFile(
                    f"часть «{info.filename}» повреждена: её размер или контрольная сумма не "
                    "совпадают с оглавлением архива"
                ) from exc
            if info.filename.lower().endswith("vbaproject.bin") or (
                info.filename == "[Content_Types].xml" and b"macroEnabled" in part
            ):
                return (
                    "В файле есть макросы (документ Word с макросами, .docm): документы по "
                    "такому шаблону Word не открыл бы. Сохраните шаблон как «Документ Word "
                    "(*.docx)» — без макросов."
                )
            if not info.filename.endswith((".xml", ".rels")):
                continue
            if any(mark in part for mark in _DOCTYPE_MARKS):
                return (
                    f"В части «{info.filename}» объявлен DOCTYPE (сущности XML): Word его не "
                    "пишет, а сущности могут раздуть документ или прочитать файлы сервера. "
                    "Откройте файл в Word и сохраните его заново как «Документ Word (*.docx)»."
                )
            if info.filename.endswith(".rels"):
                for link in etree.fromstring(part).iter(f"{{{RELS}}}Relationship"):
                    kind = link.get("Type", "").rsplit("/", 1)[-1]
                    if link.get("TargetMode") == "External" and kind not in _OUTSIDE_ALLOWED:
                        return (
                            f"В шаблоне есть ссылка на внешний файл «{link.get('Target', '')}» "
                            "(рисунок, объект или шаблон Word, связанный с файлом, а не "
                            "вставленный в документ): его открывали бы сервер при создании PDF "
                            "и Word у каждого читателя документа. Вставьте рисунок в документ "
                            "(без «Связать с файлом») или удалите ссылку."
                        )
    return None


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
    check_ast(
        tree, env, context, lambda m, line: problems.append(Problem(m.capitalize(), where(line)))
    )
    return problems
