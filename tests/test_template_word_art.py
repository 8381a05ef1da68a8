"""Text drawn as a picture — a WordArt figure, a text watermark — keeps its words out of the
text (VML ``v:textpath string="…"``): Word and LibreOffice print them, the director's page
does not show them. The template check refuses it."""

from __future__ import annotations

import io
import zipfile

import pytest

from service.documents.check import check_template_data
from service.documents.text import docx_text
from tests.test_template_office import TEMPLATES, W, with_paragraph
from tests.test_template_text_boxes import NAMESPACES

VML = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
SHAPE_TYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/></v:shapetype>'
)


def word_art(words: str) -> str:
    """A WordArt figure of ``words`` as Word writes it (VML, «Вставка → WordArt» of Word 2003
    or a document in compatibility mode), or a watermark in a header."""
    return (
        f'<w:pict>{SHAPE_TYPE}<v:shape id="PowerPlusWaterMarkObject1" type="#_x0000_t136" '
        'style="position:absolute;width:400pt;height:60pt" fillcolor="black" stroked="f">'
        '<v:textpath style="font-family:&quot;Times New Roman&quot;;font-size:1pt" '
        f'string="{words}"/></v:shape></w:pict>'
    )


def with_word_art(words: str) -> bytes:
    paragraph = (
        f'<w:p xmlns:w="{W}" {VML}><w:r><w:t xml:space="preserve">Приказ вводится. </w:t></w:r>'
        f"<w:r>{word_art(words)}</w:r></w:p>"
    )
    return with_paragraph(TEMPLATES / "order_pairs.docx", paragraph)


def problems(data: bytes) -> list[str]:
    return [str(p) for p in check_template_data(data, "order_pairs")]


def test_word_art_is_refused():
    """template18 (the lead's decision): «Петровой выговор» as WordArt passed the check, the
    archive's PDF printed it across the page under «Приказ вводится.» (as outlines, which
    pdftotext does not read), the director's page read «Приказ вводится.» only."""
    data = with_word_art("Петровой  выговор")
    assert docx_text(data).splitlines()[-1] == "Приказ вводится. "
    assert problems(data) == [
        "В шаблоне есть текст, нарисованный фигурой WordArt или подложкой («Петровой "
        "выговор»): Word и LibreOffice печатают его, а на странице директора перед подписью "
        "его нет — директор не прочитал бы этих слов. Наберите их в тексте абзаца или в "
        "надписи (Вставка → Надпись) или удалите фигуру (подложку в Word: Конструктор → "
        "Подложка → «Удалить подложку»)."
    ]


def test_a_watermark_in_the_header_is_refused():
    """Word's «Подложка» «НЕ ДЕЙСТВИТЕЛЕН» across every page, in the header (which declares
    the VML namespaces)."""
    source = (TEMPLATES / "order_pairs.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/header1.xml":
                data = data.decode().replace("</w:hdr>", f"<w:p><w:r>{word_art('НЕ ДЕЙСТВИТЕЛЕН')}"
                                    "</w:r></w:p></w:hdr>").encode()  # fmt: skip
            dst.writestr(info, data)
    assert problems(out.getvalue())[0].startswith(
        "В шаблоне есть текст, нарисованный фигурой WordArt или подложкой («НЕ ДЕЙСТВИТЕЛЕН»)"
    )


def alternate(choice: str, fallback: str) -> bytes:
    """A WordArt of Word 2010 and later: a shape whose text is text (``choice``), and its
    Word 2007 version drawn by VML (``fallback``)."""
    paragraph = (
        f'<w:p {NAMESPACES} xmlns:o="urn:schemas-microsoft-com:office:office"><w:r>'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline><wp:extent '
        'cx="2000000" cy="500000"/><wp:docPr id="3" name="WordArt 3"/><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent><w:p><w:r>'
        f"<w:t>{choice}</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr>"
        '<a:prstTxWarp prst="textArchUp"><a:avLst/></a:prstTxWarp></wps:bodyPr></wps:wsp>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback>"
        f"{word_art(fallback)}</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    return with_paragraph(TEMPLATES / "order_pairs.docx", paragraph)


def test_word_art_whose_text_is_text_is_taken():
    """A WordArt of Word 2010 and later keeps its words as text, read by the director's page;
    its Word 2007 version drawn with the same words is no other text."""
    data = alternate("Наставничество", "Наставничество")
    assert docx_text(data).splitlines()[-1] == "Наставничество"
    assert problems(data) == []


@pytest.mark.parametrize("fallback", ["Петровой выговор", ""])
def test_word_art_whose_versions_differ_is_refused(fallback):
    found = problems(alternate("Наставничество", fallback))
    assert found[0].startswith("В шаблоне есть надпись или фигура с двумя разными текстами")
