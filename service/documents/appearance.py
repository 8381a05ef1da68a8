"""What Word shows of a template's text that the director's page does not show the same way:
text formatted hidden (:func:`hidden_text_problem`), fonts embedded in the file
(:func:`embedded_fonts_problem`), template tags in the markup rather than the text
(:func:`markup_tag_problem`), words in the numbers of a list (:func:`numbering_text_problem`)
a text box whose two versions differ (:func:`alternate_text_problem`), text drawn by WordArt
or a watermark (:func:`word_art_problem`) and characters put in as symbols of a font
(:func:`symbol_problem`). Part of the template check
(:mod:`service.documents.check`).
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from service.documents.normalise import PARTS, RELS, SAFE_XML, W
from service.documents.text import words_of

_OFF = {"0", "false", "off"}


def hidden_text_problem(parts: dict[str, bytes]) -> str | None:
    """Text formatted hidden (Word's «Шрифт → скрытый», ``w:vanish``, in the text or in a
    style): Word neither shows nor prints it, and LibreOffice leaves it out of the archive's
    PDF, while the director's page shows it — she would read a clause that is in no printed
    copy (attack15). A hidden paragraph mark (``w:pPr/w:rPr``) hides no text and is kept."""
    for name, part in parts.items():
        if not name.endswith(".xml") or b"vanish" not in part:
            continue
        for element in etree.fromstring(part, SAFE_XML).iter(f"{{{W}}}vanish"):
            holder = element.getparent()
            mark = holder is not None and etree.QName(holder.getparent()).localname == "pPr"
            if not mark and element.get(f"{{{W}}}val", "true").lower() not in _OFF:
                return (
                    "В шаблоне есть скрытый текст (Шрифт → «скрытый»): Word его не показывает и "
                    "не печатает, а на странице директора перед подписью он виден — директор "
                    "прочитал бы то, чего нет в напечатанном документе. Снимите с текста "
                    "отметку «скрытый» (в тексте и в стилях) или удалите его."
                )
    return None


def embedded_fonts_problem(parts: dict[str, bytes]) -> str | None:
    """Fonts embedded in the file (Word's «Внедрить шрифты в файл»): an embedded font draws
    whatever it likes for a letter or a digit — a «1» drawn as «9» — so Word and the archive's
    PDF (LibreOffice uses the embedded font too) would show a text other than the one the
    director's page shows her before she signs (attack15). A template needs none."""
    fonts = parts.get("word/fontTable.xml", b"")
    embedded = any(name.startswith("word/fonts/") for name in parts) or (
        b"embed" in fonts
        and any(
            etree.QName(element).localname.startswith("embed")
            for element in etree.fromstring(fonts, SAFE_XML).iter()
            if isinstance(element.tag, str)
        )
    )
    if not embedded:
        return None
    return (
        "В шаблон встроены шрифты: встроенный шрифт может рисовать одни буквы и цифры вместо "
        "других, и Word показал бы и напечатал не тот текст, что директор прочитал перед "
        "подписью. Снимите отметку о внедрении шрифтов — в Word: Файл → Параметры → Сохранение "
        "→ «Внедрить шрифты в файл»; в LibreOffice Writer: Файл → Свойства → вкладка «Шрифт» → "
        "«Внедрять шрифты в документ», — сохраните шаблон заново как документ Word (.docx) и "
        "загрузите его."
    )


_TAG_MARKS = ("{{", "{%", "{#")
_TEXTS = {"t", "instrText", "delText", "delInstrText"}
"""Elements whose content is text typed in Word: a tag belongs there."""


def markup_tag_problem(parts: dict[str, bytes]) -> str | None:
    """A template tag in the markup — an attribute, the run's properties, an XML comment —
    and not in the text: Word cannot put one there, and rendering fills it all the same, so
    a tag could make the clause the director read white, struck out or hidden once the
    number is given at signing (``<w:color w:val="{% if doc.number %}FFFFFF…">``), the words
    unchanged (attack15)."""
    for name, part in parts.items():
        if not PARTS.fullmatch(name) or not any(m.encode() in part for m in _TAG_MARKS):
            continue
        for element in etree.fromstring(part, SAFE_XML).iter():
            typed = isinstance(element.tag, str) and etree.QName(element).localname in _TEXTS
            values = list(element.attrib.values()) if isinstance(element.tag, str) else []
            if not typed:
                values.append(element.text or "")
            values.append(element.tail or "")
            if any(mark in value for value in values for mark in _TAG_MARKS):
                return (
                    "Тег шаблона ({{ … }} или {% … %}) стоит не в тексте документа, а в его "
                    "разметке (в свойствах текста, в атрибуте, в комментарии XML): в Word его "
                    "туда не поставить, а заполнение меняло бы оформление — например, делало "
                    "бы прочитанный директором текст белым или зачёркнутым после подписи. "
                    "Уберите его: откройте шаблон в Word, напишите теги в тексте и сохраните."
                )
    return None


_WORD = re.compile(r"[^\W\d_]{2,}")
"""Two letters or more: a word (a bullet «o» or «§» is one character)."""
_NUMBER_WORDS = {
    "статья", "раздел", "глава", "часть", "пункт", "подпункт", "приложение", "параграф",
    "п", "пп", "ст", "ч", "гл", "разд", "прил", "article", "section", "chapter", "part",
    "подраздел", "абзац", "этап", "тема", "модуль", "занятие", "шаг", "блок", "таблица",
    "рисунок",
}  # fmt: skip
"""Words a legal text or a programme puts before a number («Статья 1.», «Приложение 2»,
«Этап 1.», «Тема 2.»): they say nothing (template18: a roadmap's «Этап %1.» was refused)."""


def numbering_text_problem(parts: dict[str, bytes]) -> str | None:
    """Words in the number format of a list (``w:lvlText``, Word's «Формат номера»): Word and
    LibreOffice print them before the paragraph as its number, the director's page shows no
    numbers — «Иванова уволить. 1.» before «Назначить наставником Петрову.» was in the
    archive's PDF and never before her (attack17). Words that only name the number
    («Статья %1.», «Приложение %1») are taken."""
    for name, part in parts.items():  # word/numbering.xml, by whatever name it is given
        if not name.endswith(".xml") or b"lvlText" not in part:
            continue
        for element in etree.fromstring(part, SAFE_XML).iter(f"{{{W}}}lvlText"):
            shown = element.get(f"{{{W}}}val", "")
            if any(w.lower() not in _NUMBER_WORDS for w in _WORD.findall(shown)):
                return (
                    f"В нумерации списка записан текст «{shown.replace('%', '')}» (формат "
                    "номера): Word и LibreOffice печатают его перед абзацем как его номер, а на "
                    "странице директора перед подписью номеров нет — директор не прочитал бы "
                    "этих слов. Оставьте в формате номера только номер и знаки («1.», «1.1.», "
                    "«а)»): в Word — «Определить новый формат номера», поле «Формат номера»; "
                    "слова перенесите в текст абзаца."
                )
    return None


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def alternate_text_problem(parts: dict[str, bytes]) -> str | None:
    """A text box or shape saved in two versions (``mc:AlternateContent``: one for Word 2010
    and later, one for Word 2007) with different words: the director's page shows the first,
    a program that cannot show it prints the other (attack17). The words are read as the page
    reads them (:func:`~service.documents.text.words_of`): a formula's «не» (``m:t``) in a
    version Word and LibreOffice never show — its ``Requires`` a namespace neither knows —
    passed, since only ``w:t`` was compared, and stood on the director's page alone
    (attack20)."""
    for name, part in parts.items():
        if not PARTS.fullmatch(name) or b"AlternateContent" not in part:
            continue
        for alternate in etree.fromstring(part, SAFE_XML).iter(f"{{{_MC}}}AlternateContent"):
            texts = {
                words_of(version)
                + "".join(path.get("string", "") for path in version.iter(_TEXTPATH)): None
                for version in alternate
                if isinstance(version.tag, str)
            }
            if len(texts) > 1:
                shown = "» и «".join(texts)
                return (
                    f"В шаблоне есть надпись или фигура с двумя разными текстами («{shown}»): "
                    "Word и LibreOffice печатают тот, который понимают (Word 2010 и новее обычно "
                    "первый, другие программы — второй), а директор перед подписью видит только "
                    "первый. Удалите надпись и вставьте её заново в Word."
                )
    return None


_MARGIN_KINDS = ("/header", "/footer", "/footnotes", "/endnotes")
"""Relationships of the parts Word prints besides the body (:data:`text.MARGINS`)."""


def margin_parts_problem(parts: dict[str, bytes]) -> str | None:
    """A header, footer or notes part named otherwise than Word names it (``header1.xml``…):
    Word and LibreOffice print the part the relationship names, whatever its name, and the
    director's page shows its text, while the check and the renderer take these parts by
    their names (:data:`PARTS`) — white text, WordArt, a text box's other version in
    «word/kopf.xml» passed unchecked (attack20)."""
    rels = parts.get("word/_rels/document.xml.rels")
    if rels is None:
        return None
    for link in etree.fromstring(rels, SAFE_XML).iter(f"{{{RELS}}}Relationship"):
        target = link.get("Target", "")
        if not link.get("Type", "").endswith(_MARGIN_KINDS) or link.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            part = posixpath.normpath(target).lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join("word", target))
        if not PARTS.fullmatch(part):
            return (
                f"Колонтитул или сноски шаблона записаны в части «{part}», а не так, как их "
                "называет Word («word/header1.xml», «word/footer1.xml», «word/footnotes.xml»): "
                "Word их печатает, а сервис проверяет и заполняет только части с этими "
                "именами — текст этой части не был бы проверен. Откройте файл в Word и "
                "сохраните его заново как «Документ Word (*.docx)»."
            )
    return None


_OFFICE_NAMESPACES = (
    "http://schemas.openxmlformats.org/",
    "http://schemas.microsoft.com/office/",
    "urn:schemas-microsoft-com:",
    "http://purl.oclc.org/ooxml/",
    "http://www.w3.org/",
)
"""The namespaces of Word's markup (Open XML, Word 2010 and later, VML, Strict Open XML)."""
_NAMESPACE_DECLARATION = re.compile(rb"""xmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']""")
_UNPREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*[\s/>]")
"""An element named without a prefix: Word writes none."""


def foreign_markup_problem(parts: dict[str, bytes]) -> str | None:
    """Text inside an element of no namespace of Word's: Word skips an element of a namespace
    the part calls ignorable, its text with it (or reads it, when the part says so:
    ``mc:ProcessContent``), LibreOffice prints it, and the director's page read it inside a
    paragraph and left it out between paragraphs — «Иванова уволить.» wrapped so stood in the
    archive's PDF and not on her page (attack20). Word never writes such an element; saved
    again in Word, the template loses it."""
    for name, part in parts.items():
        if not PARTS.fullmatch(name):
            continue
        declared = {n.decode("utf-8", "replace") for n in _NAMESPACE_DECLARATION.findall(part)}
        if all(n.startswith(_OFFICE_NAMESPACES) for n in declared) and not _UNPREFIXED.search(part):
            continue  # every element has a prefix, and every prefix is Word's
        for element in etree.fromstring(part, SAFE_XML).iter():
            if not isinstance(element.tag, str):
                continue
            namespace = etree.QName(element).namespace
            if namespace and namespace.startswith(_OFFICE_NAMESPACES):
                continue
            words = " ".join(words_of(element).split())
            if words:
                return (
                    f"В шаблоне есть текст («{words[:80]}») внутри разметки, которой Word не "
                    f"пишет («{etree.QName(element).localname}»"
                    + (f", {namespace}" if namespace else "")
                    + "): Word такой текст пропускает или показывает, LibreOffice печатает, а "
                    "страница директора перед подписью может его не показать — директор "
                    "прочитал бы не то, что напечатано. Откройте шаблон в Word и сохраните его "
                    "заново как «Документ Word (*.docx)»."
                )
    return None


_TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"
_FALLBACK = f"{{{_MC}}}Fallback"


def word_art_problem(parts: dict[str, bytes]) -> str | None:
    """Text drawn as a picture: a WordArt figure or a text watermark (Word's «Подложка»,
    «ОБРАЗЕЦ» across the page) keeps its words in the VML ``v:textpath string="…"``, not in
    the text — Word and LibreOffice print them, the director's page, which shows the text,
    never did (template18, the lead's decision). A Word 2007 version of a figure
    (``mc:Fallback``) is compared with its other version instead
    (:func:`alternate_text_problem`)."""
    for name, part in parts.items():
        if not PARTS.fullmatch(name) or b"textpath" not in part:
            continue
        for path in etree.fromstring(part, SAFE_XML).iter(_TEXTPATH):
            words = " ".join(path.get("string", "").split())
            if words and next(path.iterancestors(_FALLBACK), None) is None:
                return (
                    f"В шаблоне есть текст, нарисованный фигурой WordArt или подложкой "
                    f"(«{words}»): Word и LibreOffice печатают его, а на странице директора "
                    "перед подписью его нет — директор не прочитал бы этих слов. Наберите их "
                    "в тексте абзаца или в надписи (Вставка → Надпись) или удалите фигуру "
                    "(подложку в Word: Конструктор → Подложка → «Удалить подложку»)."
                )
    return None


_PICTURE_FONTS = {"wingdings", "wingdings 2", "wingdings 3", "webdings"}
"""Fonts of pictures only (a tick, a box, an arrow): a symbol of theirs is no letter or digit."""
_SYMBOL_MARKS = {
    0xB7, 0xD7, 0xE0, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF, 0xDB, 0xDC, 0xDD,
    0xDE, 0xDF, 0xD2, 0xD3, 0xD4, 0xE2, 0xE3, 0xE4,
}  # fmt: skip
"""The Symbol font's marks that say nothing (Word's «Вставка → Символ» bullet «•» is
``F0B7``): bullets «•» «⋅» «◊», the card suits, arrows, «®» «©» «™». Its digits, Greek letters,
signs «−» «±» «<» «≠» could change what a sentence says; a school's secretary put «•» before a
line and the template was refused (template18)."""


def _says_nothing(font: str, char: str) -> bool:
    """Whether the symbol ``char`` (hex, «F0B7» or «f0b7») of ``font`` is a picture, not a
    letter, digit or sign."""
    if font in _PICTURE_FONTS:
        return True
    try:
        code = int(char, 16)
    except ValueError:
        return False
    return font == "symbol" and (code & 0xFF) in _SYMBOL_MARKS and code >> 8 in (0, 0xF0)


def symbol_problem(parts: dict[str, bytes]) -> str | None:
    """A character put in as a symbol of a font (``w:sym``) rather than as text: Word and
    LibreOffice print it, the director's page shows nothing — «Премия: [1]2 500 руб., [не]
    выплачивать» read «Премия: 2 500 руб., выплачивать» (attack17). Only the picture fonts'
    symbols (Wingdings, Webdings) are taken, and the Symbol font's bullets, arrows and marks
    (:data:`_SYMBOL_MARKS`); the Symbol font has digits and letters too."""
    for name, part in parts.items():
        if not PARTS.fullmatch(name) or b"sym" not in part:
            continue
        for element in etree.fromstring(part, SAFE_XML).iter(f"{{{W}}}sym"):
            font = element.get(f"{{{W}}}font", "")
            if not _says_nothing(font.strip().lower(), element.get(f"{{{W}}}char", "")):
                return (
                    f"В шаблоне есть знак, вставленный как символ шрифта «{font}» (Вставка → "
                    "Символ): Word и LibreOffice его печатают, а на странице директора перед "
                    "подписью его нет — так в текст можно вставить цифру или слово, которых "
                    "директор не прочитал бы. Удалите знак и наберите его в тексте или вставьте "
                    "из шрифта «(обычный текст)»."
                )
    return None
