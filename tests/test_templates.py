"""The DOCX templates: built by code, committed, and every one renders cleanly."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docxtpl import DocxTemplate

from service.documents.builder import build_all
from service.documents.catalogue import KINDS
from service.documents.filters import make_environment
from service.documents.render import render_template_file
from service.documents.sample import sample_context
from service.documents.text import docx_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"
PARTS = ("word/document.xml", "word/header1.xml", "word/header2.xml", "word/styles.xml")


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in PARTS if name in z.namelist()}


def test_committed_templates_are_what_the_builder_makes(tmp_path):
    built = build_all(tmp_path)
    assert {p.name for p in built} == {k.template for k in KINDS}
    for path in built:
        committed = TEMPLATES / path.name
        assert committed.is_file(), f"{path.name} is not committed: run `make templates`"
        assert parts(path) == parts(committed), f"{path.name} differs: run `make templates`"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.id)
def test_every_variable_a_template_uses_is_in_its_context(kind):
    template = DocxTemplate(str(TEMPLATES / kind.template))
    used = template.get_undeclared_template_variables(make_environment())
    assert used <= set(sample_context(kind.id)), used - set(sample_context(kind.id))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.id)
def test_every_kind_renders_real_text(kind):
    text = docx_text(render_template_file(TEMPLATES / kind.template, sample_context(kind.id)))
    for leftover in ("{{", "}}", "{%", "%}", "None", "«»"):
        assert leftover not in text, (kind.id, leftover)
    assert "МБОУ Идринская СОШ" in text
    assert len(text) > 400
