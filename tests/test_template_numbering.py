"""Words in the number format of a list are printed by Word and LibreOffice before the
paragraph and shown nowhere on the director's page: a template with them is refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from service.documents.check import check_template_data
from service.documents.text import docx_text
from tests.libreoffice_print import libreoffice_lines

TEMPLATE = Path(__file__).resolve().parent.parent / "templates_docx" / "order_pairs.docx"
NUMBERED = (
    '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="9"/></w:numPr></w:pPr>'
    "<w:r><w:t>Назначить наставником Петрову.</w:t></w:r></w:p>"
)


def numbered(number_format: str) -> bytes:
    """order_pairs.docx with a last paragraph in the list whose number format (abstract
    numbering 0, list 9) is ``number_format``, written as Word writes it."""
    out = io.BytesIO()
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode()
                end = text.rindex("<w:sectPr")
                data = (text[:end] + NUMBERED + text[end:]).encode()
            elif item.filename == "word/numbering.xml":
                text = data.decode()
                start = text.index('<w:lvlText w:val="', text.index('w:abstractNumId="0"'))
                end = text.index('"/>', start)
                data = (text[:start] + f'<w:lvlText w:val="{number_format}' + text[end:]).encode()
            target.writestr(item.filename, data)
    return out.getvalue()


def problems(data: bytes) -> list[str]:
    return [str(problem) for problem in check_template_data(data, "order_pairs")]


def test_words_in_a_lists_number_format_are_refused(tmp_path):
    """attack17: «Иванова уволить. %1.» as the number format of the list passed the check:
    the archive's PDF (and Word) printed «Иванова уволить. 1. Назначить наставником
    Петрову.», the director's page «Назначить наставником Петрову.»."""
    data = numbered("Иванова уволить. %1.")
    printed = "\n".join(libreoffice_lines(data, tmp_path)).split()
    assert " ".join(printed[-6:]) == "Иванова уволить. 1. Назначить наставником Петрову."
    assert docx_text(data).splitlines()[-1] == "Назначить наставником Петрову."
    assert problems(data) == [
        "В нумерации списка записан текст «Иванова уволить. 1.» (формат номера): Word и "
        "LibreOffice печатают его перед абзацем как его номер, а на странице директора перед "
        "подписью номеров нет — директор не прочитал бы этих слов. Оставьте в формате номера "
        "только номер и знаки («1.», «1.1.», «а)»): в Word — «Определить новый формат номера», "
        "поле «Формат номера»; слова перенесите в текст абзаца."
    ]


@pytest.mark.parametrize(
    "number_format",
    ["%1.", "%1)", "%1.%2.", "o", "§ %1", "Статья %1.", "Приложение %1", "п. %1", "Раздел %1.",
     "п. %1.%2.", "Этап %1.", "Тема %1.", "Модуль %1", "Занятие %1.", "Шаг %1)"],
)  # fmt: skip
def test_numbers_bullets_and_words_naming_the_number_are_taken(number_format):
    assert problems(numbered(number_format)) == []
