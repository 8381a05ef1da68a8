"""`make templates` rebuilds templates_docx/ from tools/template_builder: what it writes must be
what is shipped, paragraph by paragraph, or a rebuild silently drops a change made to a .docx
(e.g. the point «Признать утратившим силу» of an order made again, added to the five orders)."""

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tools.template_builder import BUILDERS

SHIPPED = Path(__file__).resolve().parent.parent / "templates_docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraphs(docx: Path) -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_the_builder_writes_the_shipped_text(kind, tmp_path):
    built = tmp_path / f"{kind}.docx"
    BUILDERS[kind]().save(built)
    assert _paragraphs(built) == _paragraphs(SHIPPED / f"{kind}.docx")


def test_an_order_made_again_revokes_the_signed_one_in_the_builder_too(tmp_path):
    built = tmp_path / "order_pairs.docx"
    BUILDERS["order_pairs"]().save(built)
    text = _paragraphs(built)
    assert (
        "4. Признать утратившим силу приказ {{ org.short_name }} от {{ doc.replaces.date | date }}"
        " №\u00a0{{ doc.replaces.number }} «Об утверждении наставников и наставнических пар/групп»."
    ) in text
    assert (
        "{% if doc.replaces is defined %}5{% else %}4{% endif %}. Контроль за исполнением "
        "настоящего приказа оставляю за собой."
    ) in text
