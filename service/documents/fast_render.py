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
- core properties templates, when a property holds a tag (rendered without autoescape: a
  property is text, which python-docx escapes as it writes ``docProps/core.xml``);
- headers, footers, footnotes and core properties without tags: what docxtpl makes of them
  (it re-renders them for every document), made once;
- every other part of the package as the compressed bytes found in the template file.

A render runs the compiled templates, applies docxtpl's own after-render steps in its order
(:mod:`service.documents.docxtpl_steps`: ``\\n<w:p`` unwrapping, ``{_{`` escapes,
:meth:`~DocxTemplate.resolve_listing` for ``\\n``, ``\\t``, ``\\a``, ``\\f`` in data,
:meth:`~DocxTemplate.fix_tables`; then the ``docPr`` id renumbering of the body), serialises
the changed parts as python-docx would and writes the ZIP directly
(:mod:`service.documents.docx_zip`), entries in the template's order with a fixed date: the
same template and data give the same bytes.

Compiled templates are kept per process, keyed by the template's path, and compiled again
when the file's modification or change time, size or inode changes (or, for a file changed
within the last :data:`RACY_SECONDS`, its SHA-256); and between processes
(:mod:`service.documents.template_cache`, the folder of the setting ``cache_dir``), keyed by
the file's SHA-256: the :class:`Plan` (everything above before Jinja, as plain data) and
Jinja's bytecode of its templates (:mod:`service.documents.jinja_cache`), so a new process —
a render pool worker too — does not compile the 16 templates again.

Not supported (docxtpl needs its own instance for them): ``InlineImage``, ``Subdoc`` and
media replacement — the templates use none. A template without core properties gets none
(docxtpl would add python-docx's default, dated now); every part docxtpl does not render keeps
the template's bytes where python-docx would re-serialise it (the same XML).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import os
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import parse_xml

from service.documents import jinja_cache, template_cache
from service.documents.docx_zip import Member, deflate, member_data, read_members, write_zip
from service.documents.docxtpl_steps import (
    DOCXTPL,
    PARAGRAPH_OPEN,
    finish_part,
    fix_tables,
    is_templated,
    serialize,
)
from service.documents.filters import make_environment
from service.documents.normalise import normalise_docx

FOOTNOTES_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
)
CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
"""The core properties docxtpl renders (``DocxTemplate.render_properties``)."""
_READ_ATTEMPTS = 5
RACY_SECONDS = 2.0
"""A template file changed this recently may change again without its stamp changing (the
file system's clock is coarse: 1 s, FAT's 2 s): its bytes are compared until it is older."""
_DOCPR_ID_START = 1000
"""docxtpl renumbers ``wp:docPr`` ids of the body from 1001 on (``render_init``)."""


@dataclass(frozen=True)
class _Part:
    """A part rendered for each document: ``kind`` is ``header`` (headers and footers) or
    ``footnotes``."""

    name: str
    kind: str
    template: jinja2.Template
    encoding: str = "utf-8"


@dataclass
class Plan:
    """What compiling a template makes before Jinja: plain data, kept between processes
    (:mod:`service.documents.template_cache`) as JSON and the members' ZIP, never pickled."""

    members: list[Member]
    """Every part as stored; parts without tags already as docxtpl makes them."""
    document_name: str
    body: str
    """The body's patched XML: the source of its Jinja template."""
    body_index: int
    shell: bytes
    """The document element without its body."""
    parts: list[tuple[str, str, str, str]]
    """Headers, footers and footnotes with tags: name, kind, Jinja source, encoding."""
    core_name: str | None = None
    core_source: bytes = b""
    core: dict[str, str] = field(default_factory=dict)
    """Core properties with tags: property → Jinja source."""

    def dumps(self) -> bytes:
        header = {
            "document_name": self.document_name,
            "body": self.body,
            "body_index": self.body_index,
            "shell": self.shell.decode("utf-8"),
            "parts": self.parts,
            "core_name": self.core_name,
            "core_source": self.core_source.decode("utf-8"),
            "core": self.core,
        }
        text = json.dumps(header, ensure_ascii=False).encode("utf-8")
        return len(text).to_bytes(4, "big") + text + write_zip(self.members)

    @classmethod
    def loads(cls, data: bytes) -> Plan:
        size = int.from_bytes(data[:4], "big")
        header = json.loads(data[4 : 4 + size].decode("utf-8"))
        return cls(
            members=read_members(data[4 + size :]),
            document_name=header["document_name"],
            body=header["body"],
            body_index=header["body_index"],
            shell=header["shell"].encode("utf-8"),
            parts=[tuple(part) for part in header["parts"]],
            core_name=header["core_name"],
            core_source=header["core_source"].encode("utf-8"),
            core=header["core"],
        )


def make_plan(data: bytes, env: jinja2.Environment) -> Plan:
    """The data-free work of docxtpl on the template file ``data`` (see the module's doc)."""
    data = normalise_docx(data)  # tags as Word or LibreOffice saved them, joined again
    members = read_members(data)
    by_name = {m.name: m for m in members}
    document = Document(io.BytesIO(data))
    main = document.part
    document_name = main.partname.membername
    root = parse_xml(member_data(by_name[document_name]))
    body = root.find(qn("w:body"))
    source = PARAGRAPH_OPEN.sub(r"\n<w:p\1", DOCXTPL.patch_xml(DOCXTPL.xml_to_string(body)))
    body_index = root.index(body)
    body.clear()  # emptied first: lxml moves a removed element's every node (quadratic)
    root.remove(body)
    plan = Plan(members, document_name, source, body_index, serialize(root), [])
    for rel in main.rels.values():
        if rel.is_external or rel.reltype not in (RT.HEADER, RT.FOOTER):
            continue
        part = rel.target_part
        if not part.blob:
            continue
        xml = DOCXTPL.get_part_xml(part)
        encoding = DOCXTPL.get_headers_footers_encoding(xml)
        _add_part(plan, part.partname.membername, "header", DOCXTPL.patch_xml(xml), env, encoding)
    for part in main.package.iter_parts():
        if part.content_type == FOOTNOTES_CONTENT_TYPE:
            patched = DOCXTPL.patch_xml(part.blob.decode("utf-8"))
            _add_part(plan, part.partname.membername, "footnotes", patched, env)
    core_rel = next(
        (r for r in main.package.rels.values() if r.reltype == RT.CORE_PROPERTIES), None
    )
    if core_rel is not None:
        props = core_rel.target_part.core_properties
        initial = {name: getattr(props, name) for name in CORE_PROPERTIES}
        name = core_rel.target_part.partname.membername
        core_source = member_data(by_name[name])
        if any(is_templated(value) for value in initial.values()):
            plan.core_name, plan.core_source, plan.core = name, core_source, initial
        else:
            core = {key: env.from_string(value) for key, value in initial.items()}
            _constant(plan, name, _render_core(core_source, core, {}))
    return plan


def _add_part(
    plan: Plan, name: str, kind: str, patched: str, env: jinja2.Environment, encoding: str = "utf-8"
) -> None:
    """Render ``name`` per document if it has tags, else once, now."""
    source = PARAGRAPH_OPEN.sub(r"\n<w:p\1", patched)
    if is_templated(patched):
        plan.parts.append((name, kind, source, encoding))
    else:
        part = _Part(name, kind, env.from_string(source), encoding)
        _constant(plan, name, _render_part(part, {}))


def _constant(plan: Plan, name: str, data: bytes) -> None:
    """Replace member ``name`` by ``data`` once for all documents (docxtpl re-serialises
    parts it renders even without tags; usually the bytes are the template's own)."""
    index = next(i for i, m in enumerate(plan.members) if m.name == name)
    if member_data(plan.members[index]) != data:
        plan.members[index] = deflate(name, data)


def _render_part(part: _Part, context: dict[str, Any]) -> bytes:
    xml = finish_part(part.template.render(context))
    if part.kind == "header":  # docxtpl loads it back as a python-docx part
        return serialize(parse_xml(xml.encode(part.encoding)))
    return xml.encode("utf-8")  # footnotes: docxtpl sets the part's raw blob


def _render_core(source: bytes, core: dict[str, jinja2.Template], context: dict) -> bytes:
    element = parse_xml(source)
    props = CoreProperties(element)
    for name, template in core.items():
        setattr(props, name, template.render(context))
    return serialize(element)


class CompiledTemplate:
    """Everything about one template file that does not depend on the data: its
    :class:`Plan` with the Jinja templates compiled (through the environment's loader, so
    Jinja's bytecode cache serves them when one is configured)."""

    def __init__(
        self, plan: Plan, env: jinja2.Environment, digest: str, stamp: tuple[int, ...] = ()
    ):
        """``digest``: the template file's SHA-256, which names its Jinja templates."""
        self.stamp = stamp
        self.digest = digest
        # read within RACY_SECONDS of its change: the stamp alone is not trusted (_current)
        self.racy = bool(stamp) and _recent(stamp)
        key = f"{digest}/{jinja_cache.version()}"
        self.members = plan.members
        self.document_name = plan.document_name
        self.body = jinja_cache.compiled(env, f"{key}/{plan.document_name}", plan.body)
        self.body_index = plan.body_index
        self.shell = parse_xml(plan.shell)
        self.parts = [
            _Part(name, kind, jinja_cache.compiled(env, f"{key}/{name}", source), encoding)
            for name, kind, source, encoding in plan.parts
        ]
        self.core_name = plan.core_name
        self.core_source = plan.core_source
        # a core property is text, escaped by python-docx as it writes docProps/core.xml:
        # autoescaped too, «&» came out as «&amp;amp;» in Word's properties
        text = env.overlay(autoescape=False) if plan.core else env
        self.core = {
            name: jinja_cache.compiled(text, f"{key}/core/{name}", source)
            for name, source in plan.core.items()
        }

    @classmethod
    def from_bytes(cls, data: bytes, env: jinja2.Environment) -> CompiledTemplate:
        """Compile the template file ``data`` now, keeping nothing (the template check)."""
        return cls(make_plan(data, env), env, hashlib.sha256(data).hexdigest())

    def render(self, context: dict[str, Any]) -> bytes:
        """The DOCX bytes of this template rendered with ``context``."""
        changed = {self.document_name: self._render_body(context)}
        for part in self.parts:
            changed[part.name] = _render_part(part, context)
        if self.core_name is not None:
            changed[self.core_name] = _render_core(self.core_source, self.core, context)
        return write_zip(
            deflate(m.name, changed[m.name]) if m.name in changed else m for m in self.members
        )

    def _render_body(self, context: dict[str, Any]) -> bytes:
        xml = finish_part(self.body.render(context))
        tree = fix_tables(xml)
        if "docPr" in xml:
            for number, element in enumerate(
                tree.xpath("//wp:docPr", namespaces=nsmap), _DOCPR_ID_START + 1
            ):
                element.attrib["id"] = str(number)
        root = copy.deepcopy(self.shell)
        root.insert(self.body_index, tree)
        return serialize(root)


_cache: dict[str, CompiledTemplate] = {}
_lock = threading.Lock()
_env: jinja2.Environment | None = None
_pruned: list[int] = []


def environment() -> jinja2.Environment:
    """This process's Jinja environment (autoescape on, the templates' filters)."""
    global _env
    if _env is None:
        _env = make_environment()
        _env.autoescape = True
        _env.loader = jinja_cache.LOADER
    return _env


def _stamp(path: str) -> tuple[int, ...]:
    """Modification and change times, size and inode: the change time moves on every write
    and ``utime`` too (a time set back by ``touch -r`` or ``cp -p`` is not missed)."""
    stat = os.stat(path)
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


def _recent(stamp: tuple[int, ...]) -> bool:
    """True when the file of ``stamp`` was modified or changed within :data:`RACY_SECONDS`."""
    return time.time() - max(stamp[0], stamp[1]) / 1e9 <= RACY_SECONDS


def _current(entry: CompiledTemplate | None, path: str, stamp: tuple[int, ...]) -> bool:
    """True when ``entry`` was compiled from the file ``path`` as it is now: the same stamp,
    and — while the file is recent (:attr:`CompiledTemplate.racy`) — the same SHA-256, since
    two writes within one tick of a coarse clock leave the stamp unchanged."""
    if entry is None or entry.stamp != stamp:
        return False
    if not entry.racy:
        return True
    if hashlib.sha256(Path(path).read_bytes()).hexdigest() != entry.digest:
        return False
    entry.racy = _recent(stamp)
    return True


def _kept_folder() -> Path | None:
    """Where compiled templates of this version are kept between processes (None: not)."""
    if template_cache.configured() is None:
        return None
    kept = template_cache.folder("templates", jinja_cache.version())
    if kept is not None and not _pruned:  # once per process: what an upgrade left behind
        _pruned.append(template_cache.prune(kept.parent, kept.name))
    return kept


def _compile(data: bytes, stamp: tuple[int, ...]) -> CompiledTemplate:
    """The template file ``data`` compiled, its plan and Jinja code taken from the kept
    files when they are there and intact, else made and kept."""
    env = environment()
    digest = hashlib.sha256(data).hexdigest()
    kept = _kept_folder()
    jinja_folder = (
        template_cache.folder("templates", jinja_cache.version(), "jinja") if kept else None
    )
    env.bytecode_cache = (
        jinja_cache.CheckedBytecodeCache(str(jinja_folder)) if jinja_folder else None
    )
    plan = None
    if kept is not None and (raw := template_cache.read(kept / f"{digest}.plan")) is not None:
        try:
            plan = Plan.loads(raw)
        except (ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile):
            plan = None  # intact but not ours: made again below
    if plan is None:
        plan = make_plan(data, env)
        if kept is not None:
            # a part that is not UTF-8 XML: such a template is compiled in every process
            with contextlib.suppress(ValueError):
                template_cache.write(kept / f"{digest}.plan", plan.dumps())
    return CompiledTemplate(plan, env, digest, stamp)


def compile_template(template: Path) -> CompiledTemplate:
    """The compiled form of ``template``: this process's copy unless the file changed, else
    the kept one (:mod:`template_cache`) for the file's SHA-256, else compiled now."""
    key = os.path.abspath(template)
    stamp = _stamp(key)
    entry = _cache.get(key)
    if _current(entry, key, stamp):
        return entry
    with _lock:
        entry = _cache.get(key)
        if not _current(entry, key, stamp):
            for _ in range(_READ_ATTEMPTS):  # a template being rewritten: read it once it is still
                data = Path(key).read_bytes()
                if (now := _stamp(key)) == stamp:
                    break
                stamp = now
                time.sleep(0.05)
            entry = _compile(data, stamp)
            _cache[key] = entry
    return entry


def render_fast(template: Path, context: dict[str, Any]) -> bytes:
    """Render ``template`` with ``context`` through the cache (errors as Jinja raises them)."""
    return compile_template(template).render(context)


def clear_cache() -> None:
    """Forget every compiled template this process holds, and its Jinja environment with
    Jinja's own cache of templates (tests; a long-lived process never needs it). Templates
    kept between processes (:mod:`template_cache`) stay."""
    global _env
    with _lock:
        _cache.clear()
        _env = None


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
