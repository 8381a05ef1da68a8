"""How a document's text looks, compared before and after signing: the formatting of each run
of text and of each paragraph and table, in order (:func:`look_changed`).

The signing guard (:mod:`service.documents.unchanged`) compares the words the signature adds,
and the director's page shows the text without its formatting. A school's template could keep
the words and change their look at signing: ``{% if doc.number %}`` before a run formatted
struck out (or white, or one point high) and ``{% else %}`` before the same words plain — the
director read «Приказ вводится в действие», the signed order has it struck out (review15; a
tag inside the markup itself is refused by :func:`~service.documents.appearance.
markup_tag_problem`). The shipped templates look the same before and after signing.
"""

from __future__ import annotations

import difflib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from service.documents.behind import box_colour, dark, fill_of, shaded
from service.documents.normalise import PARTS, SAFE_XML, W
from service.documents.unchanged import WORD

_HOLDERS = {"p": "pPr", "tbl": "tblPr", "tr": "trPr", "tc": "tcPr"}
"""Each element whose look is compared as a whole, and its properties' element."""
_RUN = f"{{{W}}}r"

LOOK_CHANGE = (
    "Шаблон меняет оформление текста, когда при подписи в него вписываются номер и дата: от "
    "doc.number, doc.date… зависит, каким будет текст — зачёркнутым, белым, другого размера. "
    "Директор читает документ перед подписью без оформления, а подписанный выглядел бы иначе. "
    "От номера и даты может зависеть только их собственная запись: оформите текст одинаково в "
    "обеих ветках условия {% if doc.number %}…{% else %}…{% endif %} или вынесите его из "
    "условия."
)
"""The template check's refusal of a template whose look changes at signing."""


@dataclass
class Look:
    """The look of a DOCX's text (:func:`look`): ``blocks``, each paragraph, table, row and
    cell as (element, its properties in canonical XML), alike ones one after another counted
    once; ``text``, the text of its runs, a paragraph to a line, and for each character its
    run's properties (``runs``) and its paragraph's text (``where``)."""

    blocks: list[tuple[str, bytes]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    runs: list[bytes] = field(default_factory=list)
    where: list[str] = field(default_factory=list)


def look(data: bytes) -> Look:
    """The look of the DOCX ``data``'s text, part by part in name order."""
    found = Look()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(n for n in archive.namelist() if PARTS.fullmatch(n)):
            root = etree.fromstring(archive.read(name), SAFE_XML)
            paragraph = ""
            for element in root.iter(_RUN, *(f"{{{W}}}{tag}" for tag in _HOLDERS)):
                tag = etree.QName(element).localname
                if tag == "r":
                    text = "".join(element.itertext())
                    found.text += text
                    found.runs += [_props(element.find(f"{{{W}}}rPr"))] * len(text)
                    found.where += [paragraph] * len(text)
                    continue
                if tag == "p":
                    paragraph = " ".join("".join(element.itertext()).split())
                    found.text.append("\n")
                    found.runs.append(b"")
                    found.where.append(paragraph)
                token = (tag, _props(element.find(f"{{{W}}}{_HOLDERS[tag]}")))
                if not found.blocks or found.blocks[-1] != token:
                    found.blocks.append(token)
    return found


def _props(props: etree._Element | None) -> bytes:
    return b"" if props is None else etree.tostring(props, method="c14n")


def _words(found: Look) -> list[tuple[str, tuple[bytes, ...], str]]:
    """Each word or number of the text: (itself, its characters' run properties, its
    paragraph)."""
    text = "".join(found.text)
    return [
        (m.group(), tuple(found.runs[m.start() : m.end()]), found.where[m.start()])
        for m in WORD.finditer(text)
    ]


def look_change(
    template: bytes, shipped: Path, before: bytes, after: bytes, explained: set[str]
) -> str | None:
    """Where the signed version (``after``) looks otherwise than the version the signer read
    (``before``): the paragraph's text ("" for a paragraph's or table's own look); None when
    it does not, and always for the shipped template itself. The look of each word the two
    share is compared, but for the ones a requisite prints (``explained``: the number, the
    date's day, month and year, «г.») — an order's number and date are often underlined or
    bold, their blanks «_______» plain (template16: such a template was refused)."""
    if shipped.is_file() and template == shipped.read_bytes():
        return None
    old, new = look(before), look(after)
    if old.blocks != new.blocks:
        return ""
    old_words, new_words = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(
        a=[w for w, _, _ in old_words], b=[w for w, _, _ in new_words], autojunk=False
    )
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation != "equal":
            continue
        for (word, was, _), (_, now, where) in zip(old_words[i1:i2], new_words[j1:j2], strict=True):
            if was != now and word.lower() not in explained:
                return where
    return None


def look_changed(
    template: bytes, shipped: Path, before: bytes, after: bytes, explained: set[str]
) -> bool:
    """Whether the signed version (``after``) looks otherwise than the version the signer read
    (``before``): :func:`look_change`."""
    return look_change(template, shipped, before, after, explained) is not None


_STRUCK = {f"{{{W}}}strike", f"{{{W}}}dstrike"}
_OFF = {"0", "false", "off"}


def struck_text_problem(parts: dict[str, bytes]) -> str | None:
    """Text formatted struck out (Word's «Шрифт → зачёркнутый», single or double, in the text
    or in a style): the director's page shows it as any other text, while Word and the
    printed document show it struck out — deleted, to whoever reads it (review15)."""
    for name, part in parts.items():
        if not name.endswith(".xml") or b"strike" not in part:
            continue
        for element in etree.fromstring(part, SAFE_XML).iter(*_STRUCK):
            if element.get(f"{{{W}}}val", "true").lower() not in _OFF:
                return (
                    "В шаблоне есть зачёркнутый текст (Шрифт → «зачёркнутый»): на странице "
                    "директора перед подписью он виден как обычный, а в Word и в напечатанном "
                    "документе — зачёркнутым, то есть удалённым. Снимите зачёркивание (в тексте "
                    "и в стилях) или удалите этот текст."
                )
    return None


_WHITE_THEMES = {"background1", "light1"}
_TINY = 8
"""Half-points: text smaller than 4 points is not read on paper."""


def invisible_text_problem(parts: dict[str, bytes]) -> str | None:
    """Text that paper does not show: white (``w:color`` near FFFFFF or the theme's background
    colour) with no shading behind it, or under 4 points high — set on the text, in a
    paragraph or character style it uses, or as the document's default. The director's page
    shows it as any other text before signing, Word and the printed copy do not (review15, as
    hidden text: :func:`~service.documents.appearance.hidden_text_problem`). Text in a table
    whose table style fills cells, or on a shaded run, paragraph or cell, may be white."""
    styles = parts.get("word/styles.xml")
    bad_styles: set[str] = set()
    shaded_styles: set[str] = set()
    if styles is not None:
        root = etree.fromstring(styles, SAFE_XML)
        defaults = root.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
        if defaults is not None and _unseen(defaults):
            return _INVISIBLE
        bad_styles = _unseen_styles(root)
        shaded_styles = _shaded_styles(root)
    for name, part in parts.items():
        if not PARTS.fullmatch(name):
            continue
        for run in etree.fromstring(part, SAFE_XML).iter(f"{{{W}}}r"):
            if not "".join(t.text or "" for t in run.iter(f"{{{W}}}t")).strip():
                continue
            props = run.find(f"{{{W}}}rPr")
            if props is not None and _unreadable(props):
                return _INVISIBLE
            white = (props is not None and _white(props)) or _style_of(run) in bad_styles
            if white and not shaded(run) and not _styles_of(run) & shaded_styles:
                return _INVISIBLE
            if props is not None and _on_its_own_colour(run, props):
                return _INVISIBLE
    return None


_HIGHLIGHTS = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00",
    "magenta": "FF00FF", "red": "FF0000", "yellow": "FFFF00", "darkBlue": "000080",
    "darkCyan": "008080", "darkGreen": "008000", "darkMagenta": "800080", "darkRed": "800000",
    "darkYellow": "808000", "darkGray": "808080", "lightGray": "C0C0C0",
}  # fmt: skip
"""Word's highlight colours."""
_CLOSE = 0x30
"""How far apart (in each of red, green, blue) a text's colour and the colour behind it must
be for the text to be read."""


def _on_its_own_colour(run: etree._Element, props: etree._Element) -> bool:
    """Whether the text's colour is (nearly) that of its highlight or of the shading of the
    run, its paragraph or its cell: red on red, dark blue on a dark-blue highlight, as
    unread as white on white (attack17)."""
    element = props.find(f"{{{W}}}color")
    color = _rgb(element.get(f"{{{W}}}val")) if element is not None else None
    if color is None:
        return False
    highlight = props.find(f"{{{W}}}highlight")
    behind = [_HIGHLIGHTS.get(highlight.get(f"{{{W}}}val", "")) if highlight is not None else None]
    behind.append(fill_of(props.find(f"{{{W}}}shd")))
    for holder in run.iterancestors(f"{{{W}}}p", f"{{{W}}}tc"):
        where = "pPr" if etree.QName(holder).localname == "p" else "tcPr"
        behind.append(fill_of(holder.find(f"{{{W}}}{where}/{{{W}}}shd")))
    box = box_colour(run)  # attack20: dark-blue text in a dark-blue text box was taken
    theme = element.get(f"{{{W}}}themeColor")
    if box is not None and box == theme and not _shifted(element):
        return True
    behind.append(box)
    return any(_near(color, _rgb(value)) for value in behind)


def _shifted(color: etree._Element) -> bool:
    """Whether a ``w:color`` makes its theme colour lighter or darker."""
    return any(color.get(f"{{{W}}}{name}") for name in ("themeTint", "themeShade"))


def _near(color: tuple[int, int, int], other: tuple[int, int, int] | None) -> bool:
    return other is not None and all(abs(a - b) < _CLOSE for a, b in zip(color, other, strict=True))


def _rgb(value: str | None) -> tuple[int, int, int] | None:
    """«1F497D» as (31, 73, 125); None for «auto», a theme's name or nothing."""
    if value is None or len(value) != 6:
        return None
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except ValueError:
        return None


_INVISIBLE = (
    "В шаблоне есть текст, которого не видно на бумаге: белый (цвета фона) или того же "
    "цвета, что выделение или заливка под ним, высотой меньше "
    "4 пунктов, сжатый до трети ширины, с буквами, наложенными друг на друга (интервал "
    "«уплотнённый» больше чем на 3 пункта), смещённый вверх или вниз больше чем на 24 пункта "
    "или на чёрном выделении. На странице директора перед подписью он виден как обычный, а в "
    "Word и в напечатанном документе — нет. Сделайте этот текст обычного цвета, размера и "
    "положения (в тексте и в стилях) или удалите его."
)


def _white(props: etree._Element) -> bool:
    """Whether run properties make text white (near FFFFFF, or the theme's background)."""
    color = props.find(f"{{{W}}}color")
    if color is None:
        return False
    value = (color.get(f"{{{W}}}val") or "").upper()
    return (color.get(f"{{{W}}}themeColor") or "") in _WHITE_THEMES or (
        len(value) == 6
        and all(c in "0123456789ABCDEF" for c in value)
        and all(int(value[i : i + 2], 16) >= 0xF0 for i in (0, 2, 4))
    )


def _unreadable(props: etree._Element) -> bool:
    """Whether run properties make text tiny, squeezed (under a third of its width, or its
    letters drawn over each other), moved off its line (raised or lowered by more than
    :data:`_MOVED` — lowered by 1,500 pt it left the page) or dark on a black highlight —
    unread whatever stands behind it."""
    highlight = props.find(f"{{{W}}}highlight")
    blacked = highlight is not None and highlight.get(f"{{{W}}}val") == "black"
    spacing, position = _signed(props, "spacing"), _signed(props, "position")
    return (
        (blacked and not _white(props))
        or _number(props, "sz", _TINY)
        or _number(props, "w", _SQUEEZED)
        or (spacing is not None and spacing < -_CONDENSED)
        or (position is not None and abs(position) > _MOVED)
    )


_CONDENSED = 60
"""Twentieths of a point a run's letters may be drawn closer together (Word's «уплотнённый»
by 3 pt): by 10 pt «не» was a blot between two words (attack17)."""
_MOVED = 48
"""Half-points text may be raised or lowered (24 pt): further it stands on other lines or
off the page (attack17: lowered by 1,500 pt it was on no paper)."""


def _signed(props: etree._Element, name: str) -> int | None:
    """The whole number, perhaps negative, the property ``name`` gives, if any."""
    element = props.find(f"{{{W}}}{name}")
    value = element.get(f"{{{W}}}val") if element is not None else None
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _unseen(props: etree._Element) -> bool:
    """Whether run properties make text white or unreadable (:func:`_unreadable`)."""
    return _white(props) or _unreadable(props)


_SQUEEZED = 33
"""Per cent of a letter's width: text squeezed narrower is not read."""


def _number(props: etree._Element, name: str, least: int) -> bool:
    """Whether the property ``name`` is set below ``least``."""
    element = props.find(f"{{{W}}}{name}")
    value = element.get(f"{{{W}}}val") if element is not None else None
    return value is not None and value.isdigit() and int(value) < least


def _unseen_styles(root: etree._Element) -> set[str]:
    """The ids of the paragraph and character styles whose text is white or tiny, by
    themselves or by the style they are based on."""

    def unseen(style: etree._Element) -> bool:
        props = style.find(f"{{{W}}}rPr")
        filled = style.find(f".//{{{W}}}shd") is not None
        return props is not None and _unseen(props) and not filled

    return _styles_where(root, unseen)


def _shaded_styles(root: etree._Element) -> set[str]:
    """The ids of the paragraph and character styles that shade their text (``w:shd`` of the
    style's paragraph or run properties, a fill other than white), by themselves or by the
    style they are based on: a school's heading style «Шапка» on a dark fill, its words made
    white in the text (template18: refused as white on nothing). And the table styles that
    fill some of their cells (a dark ``w:shd`` anywhere in the style: the table, its cells,
    a header row or banded rows), themselves or by their base: any table style was taken,
    «Сетка таблицы» — Word's own for every table, borders only — or one not defined at all,
    and a clause typed white in such a table passed, on no paper (review19)."""
    shaded = _styles_where(
        root,
        lambda style: any(
            dark(style.find(f"{{{W}}}{where}/{{{W}}}shd")) for where in ("pPr", "rPr")
        ),
    )
    return shaded | _styles_where(
        root, lambda style: any(dark(shd) for shd in style.iter(f"{{{W}}}shd")), ("table",)
    )


def _styles_where(
    root: etree._Element,
    test: Callable[[etree._Element], bool],
    types: tuple[str, ...] = ("paragraph", "character"),
) -> set[str]:
    """The ids of the styles of ``types`` for which ``test`` holds, or for a style they are
    based on."""
    own: dict[str, tuple[bool, str | None]] = {}
    for style in root.iter(f"{{{W}}}style"):
        if style.get(f"{{{W}}}type") not in types:
            continue
        based = style.find(f"{{{W}}}basedOn")
        own[style.get(f"{{{W}}}styleId", "")] = (
            test(style),
            based.get(f"{{{W}}}val") if based is not None else None,
        )
    found = set()
    for style_id in own:
        seen, current = set(), style_id
        while current in own and current not in seen:
            seen.add(current)
            if own[current][0]:
                found.add(style_id)
                break
            current = own[current][1]
    return found


def _styles_of(run: etree._Element) -> set[str]:
    """The character style of ``run``, its paragraph's style and the styles of the tables it
    stands in."""
    found = {
        style.get(f"{{{W}}}val", "")
        for table in run.iterancestors(f"{{{W}}}tbl")
        if (style := table.find(f"{{{W}}}tblPr/{{{W}}}tblStyle")) is not None
    }
    style = run.find(f"{{{W}}}rPr/{{{W}}}rStyle")
    if style is not None:
        found.add(style.get(f"{{{W}}}val", ""))
    paragraph = next(run.iterancestors(f"{{{W}}}p"), None)
    style = paragraph.find(f"{{{W}}}pPr/{{{W}}}pStyle") if paragraph is not None else None
    if style is not None:
        found.add(style.get(f"{{{W}}}val", ""))
    return found


def _style_of(run: etree._Element) -> str | None:
    """The character style of ``run``, else its paragraph's style."""
    style = run.find(f"{{{W}}}rPr/{{{W}}}rStyle")
    if style is not None:
        return style.get(f"{{{W}}}val")
    paragraph = next(run.iterancestors(f"{{{W}}}p"), None)
    style = paragraph.find(f"{{{W}}}pPr/{{{W}}}pStyle") if paragraph is not None else None
    return style.get(f"{{{W}}}val") if style is not None else None
