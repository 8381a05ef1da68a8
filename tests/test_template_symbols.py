"""Characters put into a template as symbols of a font (``w:sym``) are printed by Word and
LibreOffice and shown nowhere on the director's page: only picture fonts' are taken."""

from __future__ import annotations

import pytest

from service.documents.check import check_template_data
from service.documents.text import docx_text
from tests.libreoffice_print import printed_text
from tests.test_template_office import TEMPLATES, W, with_paragraph


def with_symbols(font: str = "Arial") -> bytes:
    """order_pairs.docx with «Премия: [1]2 500 руб., [не] выплачивать», the bracketed
    characters symbols of ``font`` (Times New Roman for «не» unless a picture font)."""
    other = font if font != "Arial" else "Times New Roman"
    paragraph = (
        f'<w:p xmlns:w="{W}"><w:r><w:t xml:space="preserve">Премия: </w:t></w:r><w:r>'
        f'<w:sym w:font="{font}" w:char="0031"/></w:r><w:r><w:t>2 500 руб., </w:t></w:r><w:r>'
        f'<w:sym w:font="{other}" w:char="043D"/><w:sym w:font="{other}" w:char="0435"/></w:r>'
        '<w:r><w:t xml:space="preserve"> выплачивать</w:t></w:r></w:p>'
    )
    return with_paragraph(TEMPLATES / "order_pairs.docx", paragraph)


def test_a_letter_or_digit_put_in_as_a_symbol_is_refused(tmp_path):
    """attack17: the template passed the check; the director's page read «Премия: 2 500 руб.,
    выплачивать», the archive's PDF «Премия: 12 500 руб.,не выплачивать»."""
    data = with_symbols()
    assert docx_text(data).splitlines()[-1] == "Премия: 2 500 руб.,  выплачивать"
    printed = printed_text(data, tmp_path)
    assert "Премия: 12 500 руб.,не выплачивать" in printed
    assert [str(p) for p in check_template_data(data, "order_pairs")] == [
        "В шаблоне есть знак, вставленный как символ шрифта «Arial» (Вставка → Символ): Word и "
        "LibreOffice его печатают, а на странице директора перед подписью его нет — так в "
        "текст можно вставить цифру или слово, которых директор не прочитал бы. Удалите знак и "
        "наберите его в тексте или вставьте из шрифта «(обычный текст)»."
    ]


@pytest.mark.parametrize("font", ["Wingdings", "Wingdings 2", "Webdings"])
def test_a_picture_fonts_symbol_is_taken(font):
    assert check_template_data(with_symbols(font), "order_pairs") == []


def with_symbol_bullet(char: str) -> bytes:
    """order_pairs.docx with a line «[char] ознакомить наставников», ``char`` a symbol of the
    Symbol font as Word's «Вставка → Символ» writes it."""
    paragraph = (
        f'<w:p xmlns:w="{W}"><w:r><w:sym w:font="Symbol" w:char="{char}"/></w:r><w:r>'
        '<w:t xml:space="preserve"> ознакомить наставников</w:t></w:r></w:p>'
    )
    return with_paragraph(TEMPLATES / "order_pairs.docx", paragraph)


@pytest.mark.parametrize("char", ["F0B7", "f0b7", "00B7", "F0E0", "F0AE"])
def test_a_symbol_fonts_bullet_or_arrow_is_taken(char):
    """template18: a school's «•» inserted from the Symbol font (Word writes «F0B7»,
    LibreOffice «f0b7») was refused as a letter or a digit could be."""
    assert check_template_data(with_symbol_bullet(char), "order_pairs") == []


@pytest.mark.parametrize("char", ["F031", "F02D", "F0B9", "F061", "F3B7"])
def test_a_symbol_fonts_digit_letter_or_sign_is_refused(char):
    """The Symbol font's «1», «−», «≠», «α» (and no other range) are still refused."""
    problems = [str(p) for p in check_template_data(with_symbol_bullet(char), "order_pairs")]
    assert problems and problems[0].startswith("В шаблоне есть знак, вставленный как символ")
