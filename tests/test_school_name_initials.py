"""A school named after a person, «им. А. М. Матросова»: its short name is printed in the
director's narrow signature cell of every order, where LibreOffice broke it as «им. А.» /
«М. Матросова» (reader16). The spaces after «им.» and after each initial are no-break ones in
the rendered order's cell, as Word reads it (put in by the context, context.glued_initials, and
again at rendering, service.documents.typeset: the test fails only without both)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from service.documents.catalogue import BY_ID, KINDS
from service.documents.context import common_context
from service.documents.kind import Kind
from service.documents.render import render_template_file
from service.documents.sample import sample_context
from service.register import models as m

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"


def school(short_name: str) -> m.Organization:
    return m.Organization(
        full_name="Муниципальное бюджетное общеобразовательное учреждение",
        short_name=short_name,
        locality="г. Верхнеуральск",
        head_name="Хабибуллин Ринат Маратович",
        head_position="Директор",
        curator_name="Григорьева Елена Львовна",
        curator_position="заместитель директора",
        school_year="2025–2026",
    )


def signature_cells(short_name: str, kind: Kind) -> list[str]:
    """The cells of the order of ``kind``, rendered for the school named ``short_name``, that
    name the school: the director's signature cell, as Word reads it."""
    context = sample_context(kind.id)
    common = common_context(school(short_name))
    context.update(org=common["org"], director=common["director"])
    rendered = Document(io.BytesIO(render_template_file(TEMPLATES / kind.template, context)))
    cells = [c.text for t in rendered.tables for row in t.rows for c in row.cells]
    return [text for text in cells if short_name.split()[-1] in text]


ORDERS = [kind for kind in KINDS if kind.is_order]


@pytest.mark.parametrize("kind", ORDERS, ids=[kind.id for kind in ORDERS])
def test_initials_in_the_school_name_do_not_break_across_lines(kind):
    assert signature_cells("МБОУ «СОШ № 17 им. А. М. Матросова»", kind) == [
        "Директор МБОУ «СОШ № 17 им.\u00a0А.\u00a0М.\u00a0Матросова»"
    ]


def test_a_name_without_initials_is_printed_as_typed():
    order = BY_ID["order_pairs"]
    assert signature_cells("МБОУ Идринская СОШ", order) == ["Директор МБОУ Идринская СОШ"]
