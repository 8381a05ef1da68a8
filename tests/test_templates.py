"""The shipped DOCX templates are the source of truth: every one is package data, passes the
check a school's own template must pass, and renders the samples of its kind cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import load_settings
from service.documents.catalogue import KINDS
from service.documents.check import check_template
from service.documents.render import render_template_file
from service.documents.sample import sample_context
from service.documents.text import docx_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"


def test_the_shipped_folder_holds_one_template_per_kind(tmp_path):
    assert load_settings({"home": tmp_path}).templates_dir == TEMPLATES
    assert {p.name for p in TEMPLATES.glob("*.docx")} == {k.template for k in KINDS}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.id)
def test_every_shipped_template_passes_the_check(kind):
    assert check_template(TEMPLATES / kind.template, kind.id) == []


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.id)
def test_every_kind_renders_real_text(kind):
    text = docx_text(render_template_file(TEMPLATES / kind.template, sample_context(kind.id)))
    for leftover in ("{{", "}}", "{%", "%}", "None", "«»"):
        assert leftover not in text, (kind.id, leftover)
    assert "МБОУ Идринская СОШ" in text
    assert len(text) > 400


@pytest.mark.parametrize(
    ("text", "period", "sentence"),
    [
        ("продолжить работу", "продолжить работу.", "Продолжить работу."),
        ("Проведено 12 встреч!", "Проведено 12 встреч!", "Проведено 12 встреч!"),
        ("зачем?", "зачем?", "Зачем?"),
        ("", "", ""),
    ],
)
def test_sentence_filters(text, period, sentence):
    from service.documents.filters import make_environment

    env = make_environment()
    assert env.from_string("{{ t | period }}").render(t=text) == period
    assert env.from_string("{{ t | sentence }}").render(t=text) == sentence


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.id)
def test_a_signature_in_a_table_never_leaves_its_row_on_another_page(kind):
    """A table row that holds a signature line («____ / И.О. Фамилия») may not split across
    pages: a long school name pushed the contract's «Директор» to one page and the director's
    signature line and «М. П.» to the next."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(TEMPLATES / kind.template))
    loose = [
        " / ".join(c.text for c in row.cells)[:60]
        for table in document.tables
        for row in table.rows
        if any("___ /" in c.text for c in row.cells)
        and (row._tr.trPr is None or row._tr.trPr.find(qn("w:cantSplit")) is None)
    ]
    assert loose == []
