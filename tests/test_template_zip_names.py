"""A template whose ZIP holds one part name twice is refused: readers take different ones."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pytest

from service.documents.check import check_template_data
from service.documents.text import docx_text

TEMPLATE = Path(__file__).resolve().parent.parent / "templates_docx" / "order_pairs.docx"
TWICE = (
    "В файле две части с одним именем «{}»: по правилам формата .docx так не бывает, Word "
    "считает такой файл повреждённым, а программы могут взять из двух частей разные — сервис "
    "показывал бы перед подписью не тот текст, что Word у читателя. Откройте файл в Word и "
    "сохраните его заново как «Документ Word (*.docx)»."
)


def with_second_body(second_name: str) -> bytes:
    """order_pairs.docx with another «word/document.xml» (named ``second_name``) before its
    own: the title «Об утверждении…» reads «Иванову уволить…» in it."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(TEMPLATE) as source,
        zipfile.ZipFile(out, "w") as target,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")  # zipfile's «Duplicate name»: the point
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                other = data.replace("Об утверждении".encode(), "Иванову уволить".encode())
                target.writestr(second_name, other)
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("second_name", ["word/document.xml", "Word/Document.xml"])
def test_a_part_name_held_twice_is_refused(second_name):
    """attack17: a second «word/document.xml» passed the check, and every document made from
    the template held both: the service and LibreOffice read the last, Word calls such a
    package damaged and takes what it takes. A name differing in case is the same part to
    Word (the service read «word/document.xml» and saw nothing amiss)."""
    data = with_second_body(second_name)
    assert "Иванову уволить" not in docx_text(data)
    problems = [str(problem) for problem in check_template_data(data, "order_pairs")]
    assert problems == [TWICE.format("word/document.xml")]
