"""A DOCX renderer that compiles each template once and keeps docxtpl's semantics.

Plain docxtpl, for every document, unzips the template, parses every part with python-docx,
patches the body XML into a Jinja template (:meth:`DocxTemplate.patch_xml`), compiles it,
renders it, and saves the whole package again (re-serialising and re-deflating every part,
styles included). Only the rendering depends on the data, so here the rest is done once per
template and cached (:class:`CompiledTemplate`):

- the patched XML of the body, of each header and footer with tags and of footnotes with tags,
  compiled by the shared Jinja environment (:func:`service.documents.filters.make_environment`,
  autoescape on);
- the document element without its body (the body is put back into a copy of it);
- core properties templates, when a property holds a tag;
- headers, footers, footnotes and core properties without tags: what docxtpl makes of them
  (it re-renders them for every document), made once;
- every other part of the package as the compressed bytes found in the template file.

A render runs the compiled templates, applies docxtpl's own after-render steps in its order
(``\\n<w:p`` unwrapping, ``{_{`` escapes, :meth:`~DocxTemplate.resolve_listing` for ``\\n``,
``\\t``, ``\\a``, ``\\f`` in data, :meth:`~DocxTemplate.fix_tables` and the ``docPr`` id
renumbering of the body), serialises the changed parts as python-docx would and writes the
ZIP directly (:mod:`service.documents.docx_zip`), entries in the template's order with a
fixed date: the same template and data give the same bytes.

The cache is per process and keyed by the template's path; it is rebuilt when the file's
modification time, size or inode changes. Not supported (docxtpl needs its own instance for
them): ``InlineImage``, ``Subdoc`` and media replacement — the templates use none. A template
without core properties gets none (docxtpl would add python-docx's default, dated now); every
part docxtpl does not render keeps the template's bytes where python-docx would re-serialise
it (the same XML).
"""

from __future__ import annotations

import copy
import io
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from lxml import etree

from service.documents.docx_zip import deflate, member_data, read_members, write_zip
from service.documents.filters import make_environment
from service.documents.normalise import normalise_docx

FOOTNOTES_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
)
CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
"""The core properties docxtpl renders (``DocxTemplate.render_properties``)."""
_TEMPLATE_MARKS = ("{{", "{%", "{#", "}_}", "{_%", "%_}", "{_{")
_LISTING = re.compile("[\t\a\n\f]")
_PARAGRAPH_OPEN = re.compile(r"<w:p([ >])")
_PARAGRAPH_UNWRAP = re.compile(r"\n<w:p([ >])")
_READ_ATTEMPTS = 5
_DOCPR_ID_START = 1000
"""docxtpl renumbers ``wp:docPr`` ids of the body from 1001 on (``render_init``)."""

_DOCXTPL = DocxTemplate(io.BytesIO())
"""Only docxtpl's text-processing methods are used (patch_xml, resolve_listing, fix_tables):
they do not touch the instance, and calling them keeps the installed version's behaviour."""


def is_templated(xml: str) -> bool:
    """True if ``xml`` (after docxtpl's patching) changes when rendered: it holds a Jinja tag,
    one of docxtpl's ``{_{`` escapes or a character ``resolve_listing`` rewrites."""
    return any(mark in xml for mark in _TEMPLATE_MARKS) or bool(_LISTING.search(xml))


def serialize(element: etree._Element) -> bytes:
    """An XML part as python-docx saves it (``serialize_part_xml``)."""
    return etree.tostring(element, encoding="UTF-8", standalone=True)


def finish_part(xml: str) -> str:
    """docxtpl's steps after Jinja in ``render_xml_part``, in its order."""
    xml = _PARAGRAPH_UNWRAP.sub(r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if _LISTING.search(xml):  # resolve_listing changes nothing else
        xml = _DOCXTPL.resolve_listing(xml)
    return xml


@dataclass(frozen=True)
class _Part:
    """A part rendered for each document: ``kind`` is ``header`` (headers and footers) or
    ``footnotes``."""

    name: str
    kind: str
    template: jinja2.Template
    encoding: str = "utf-8"


class CompiledTemplate:
    """Everything about one template file that does not depend on the data."""

    def __init__(self, data: bytes, env: jinja2.Environment, stamp: tuple[int, ...] = ()):
        self.stamp = stamp
        data = normalise_docx(data)  # tags as Word or LibreOffice saved them, joined again
        self.members = read_members(data)
        by_name = {m.name: m for m in self.members}
        document = Document(io.BytesIO(data))
        main = document.part
        self.document_name = main.partname.membername
        root = parse_xml(member_data(by_name[self.document_name]))
        body = root.find(qn("w:body"))
        source = _DOCXTPL.xml_to_string(body)
        self.body = env.from_string(_PARAGRAPH_OPEN.sub(r"\n<w:p\1", _DOCXTPL.patch_xml(source)))
        self.body_index = root.index(body)
        root.remove(body)
        self.shell = root
        self.parts: list[_Part] = []
        for rel in main.rels.values():
            if rel.is_external or rel.reltype not in (RT.HEADER, RT.FOOTER):
                continue
            part = rel.target_part
            if not part.blob:
                continue
            xml = _DOCXTPL.get_part_xml(part)
            encoding = _DOCXTPL.get_headers_footers_encoding(xml)
            patched = _DOCXTPL.patch_xml(xml)
            self._add_part(part.partname.membername, "header", patched, env, encoding)
        for part in main.package.iter_parts():
            if part.content_type == FOOTNOTES_CONTENT_TYPE:
                patched = _DOCXTPL.patch_xml(part.blob.decode("utf-8"))
                self._add_part(part.partname.membername, "footnotes", patched, env)
        self.core_name: str | None = None
        self.core: dict[str, jinja2.Template] = {}
        self.core_source = b""
        core_rel = next(
            (r for r in main.package.rels.values() if r.reltype == RT.CORE_PROPERTIES), None
        )
        if core_rel is not None:
            props = core_rel.target_part.core_properties
            initial = {name: getattr(props, name) for name in CORE_PROPERTIES}
            self.core_name = core_rel.target_part.partname.membername
            self.core_source = member_data(by_name[self.core_name])
            self.core = {name: env.from_string(value) for name, value in initial.items()}
            if not any(is_templated(value) for value in initial.values()):
                self._constant(self.core_name, self._render_core({}))
                self.core_name = None

    def _add_part(
        self, name: str, kind: str, patched: str, env: jinja2.Environment, encoding: str = "utf-8"
    ) -> None:
        """Render ``name`` per document if it has tags, else once, now."""
        template = env.from_string(_PARAGRAPH_OPEN.sub(r"\n<w:p\1", patched))
        part = _Part(name, kind, template, encoding)
        if is_templated(patched):
            self.parts.append(part)
        else:
            self._constant(name, self._render_part(part, {}))

    def _constant(self, name: str, data: bytes) -> None:
        """Replace member ``name`` by ``data`` once for all documents (docxtpl re-serialises
        parts it renders even without tags; usually the bytes are the template's own)."""
        index = next(i for i, m in enumerate(self.members) if m.name == name)
        if member_data(self.members[index]) != data:
            self.members[index] = deflate(name, data)

    def render(self, context: dict[str, Any]) -> bytes:
        """The DOCX bytes of this template rendered with ``context``."""
        changed = {self.document_name: self._render_body(context)}
        for part in self.parts:
            changed[part.name] = self._render_part(part, context)
        if self.core_name is not None:
            changed[self.core_name] = self._render_core(context)
        return write_zip(
            deflate(m.name, changed[m.name]) if m.name in changed else m for m in self.members
        )

    @staticmethod
    def _render_part(part: _Part, context: dict[str, Any]) -> bytes:
        xml = finish_part(part.template.render(context))
        if part.kind == "header":  # docxtpl loads it back as a python-docx part
            return serialize(parse_xml(xml.encode(part.encoding)))
        return xml.encode("utf-8")  # footnotes: docxtpl sets the part's raw blob

    def _render_body(self, context: dict[str, Any]) -> bytes:
        xml = finish_part(self.body.render(context))
        tree = _DOCXTPL.fix_tables(xml)
        if "docPr" in xml:
            for number, element in enumerate(
                tree.xpath("//wp:docPr", namespaces=nsmap), _DOCPR_ID_START + 1
            ):
                element.attrib["id"] = str(number)
        root = copy.deepcopy(self.shell)
        root.insert(self.body_index, tree)
        return serialize(root)

    def _render_core(self, context: dict[str, Any]) -> bytes:
        element = parse_xml(self.core_source)
        props = CoreProperties(element)
        for name, template in self.core.items():
            setattr(props, name, template.render(context))
        return serialize(element)


_cache: dict[str, CompiledTemplate] = {}
_lock = threading.Lock()
_env: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    """This process's Jinja environment (autoescape on, the templates' filters)."""
    global _env
    if _env is None:
        _env = make_environment()
        _env.autoescape = True
    return _env


def _stamp(path: str) -> tuple[int, ...]:
    stat = os.stat(path)
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def compile_template(template: Path) -> CompiledTemplate:
    """The compiled form of ``template``, from the cache unless the file changed."""
    key = os.path.abspath(template)
    stamp = _stamp(key)
    entry = _cache.get(key)
    if entry is not None and entry.stamp == stamp:
        return entry
    with _lock:
        entry = _cache.get(key)
        if entry is None or entry.stamp != stamp:
            for _ in range(_READ_ATTEMPTS):  # a template being rewritten: read it once it is still
                data = Path(key).read_bytes()
                if (now := _stamp(key)) == stamp:
                    break
                stamp = now
                time.sleep(0.05)
            entry = CompiledTemplate(data, environment(), stamp)
            _cache[key] = entry
    return entry


def render_fast(template: Path, context: dict[str, Any]) -> bytes:
    """Render ``template`` with ``context`` through the cache (errors as Jinja raises them)."""
    return compile_template(template).render(context)


def clear_cache() -> None:
    """Forget every compiled template (tests; a long-lived process never needs it)."""
    with _lock:
        _cache.clear()


def warm(templates_dir: Path) -> int:
    """Compile every template in ``templates_dir`` now (before the first document is
    waited for); returns how many. A template that does not compile is left for the render
    to report."""
    count = 0
    for path in sorted(templates_dir.glob("*.docx")):
        try:
            compile_template(path)
            count += 1
        except Exception:  # the render of a document of this kind will say what is wrong
            continue
    return count
