"""Jinja's side of the compiled templates kept between processes: the renderer's loader,
Jinja's own file bytecode cache made private and checked, and the version the kept files
depend on.

The renderer compiles each part of a template through ``Environment.get_template`` (not
``from_string``), so that Jinja's bytecode cache (:class:`jinja2.FileSystemBytecodeCache`)
serves its compiled code to the next process; Jinja itself checks a cached file against the
Python version and the template source's checksum. The sandbox is unchanged: the compiled code
calls the environment's ``getattr`` and ``call`` at run time, so a template read from the
cache is as restricted as one compiled now (``tests/test_template_cache.py``).
"""

from __future__ import annotations

import hashlib
import sys
import threading
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.bccache
from lxml import etree

from service.documents import template_cache


class _PlanLoader(jinja2.BaseLoader):
    """The loader of the renderer's environment: it serves the source of the template
    :func:`compiled` is compiling, so that Jinja's ``get_template`` — and its bytecode cache —
    compile it (names are the template file's SHA-256 and the part's name)."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}

    def get_source(self, environment: jinja2.Environment, template: str):
        if template not in self.sources:
            raise jinja2.TemplateNotFound(template)
        return self.sources[template], None, lambda: True


class CheckedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file bytecode cache written and read through :mod:`template_cache`: private,
    atomic, each file checked against its SHA-256 (a damaged one is compiled again)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = template_cache.read(Path(self._get_cache_filename(bucket)))
        if data is not None:  # Jinja checks its own magic and the source's checksum too
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        template_cache.write(Path(self._get_cache_filename(bucket)), bucket.bytecode_to_string())


LOADER = _PlanLoader()
"""The loader of the renderer's environment (:func:`fast_render.environment`)."""
_lock = threading.Lock()
_VERSIONED_SOURCES = (
    "fast_render.py",
    "docxtpl_steps.py",
    "jinja_cache.py",
    "filters.py",
    "typeset.py",
    "sandbox.py",
    "normalise.py",
    "revisions.py",
    "comments.py",
    "docx_zip.py",
)


@lru_cache(maxsize=1)
def version() -> str:
    """What a kept compiled template depends on besides the template file: Python, Jinja,
    docxtpl, python-docx and lxml versions and this renderer's own code (its modules' bytes,
    the filters included). Kept files of another version are never read."""
    import docx
    import docxtpl

    facts = hashlib.sha256(
        f"{sys.version} jinja2 {jinja2.__version__} docxtpl {docxtpl.__version__} "
        f"python-docx {docx.__version__} lxml {etree.LXML_VERSION}".encode()
    )
    here = Path(__file__).parent
    for name in _VERSIONED_SOURCES:
        facts.update((here / name).read_bytes())
    return facts.hexdigest()[:20]


def compiled(env: jinja2.Environment, name: str, source: str) -> jinja2.Template:
    """``source`` compiled as the template ``name`` (from Jinja's bytecode cache if there)."""
    if env.loader is not LOADER:  # an environment of the caller's own
        return env.from_string(source)
    with _lock:
        LOADER.sources[name] = source
        try:
            return env.get_template(name)
        finally:
            del LOADER.sources[name]
