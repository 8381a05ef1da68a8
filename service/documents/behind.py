"""What stands behind a run's text on paper: the shading or highlight of the run, the fill of
its text box or shape, the shading of its paragraph, cell or table (:func:`shaded`), and the
colour a ``w:shd`` paints (:func:`fill_of`). The template check's «text paper does not show»
(:mod:`service.documents.look`) takes white text with something coloured behind it.
"""

from __future__ import annotations

from lxml import etree

from service.documents.normalise import W


def fill_of(shading: etree._Element | None) -> str | None:
    """The colour a ``w:shd`` paints: its fill, or for the pattern «solid» (100 %) the
    pattern's colour — as LibreOffice and Word 97's files write a cell's dark fill
    (``w:val="solid" w:color="000080" w:fill="auto"``), «auto» there being black."""
    if shading is None:
        return None
    if shading.get(f"{{{W}}}val") == "solid":
        color = shading.get(f"{{{W}}}color") or "auto"
        return "000000" if color.lower() == "auto" else color
    return shading.get(f"{{{W}}}fill")


def shaded(run: etree._Element) -> bool:
    """Whether something coloured stands behind ``run``: shading or highlight on it, the fill
    of its text box or shape, shading of its paragraph, cell or table (a table style that
    fills cells is :func:`service.documents.look._shaded_styles`' to tell)."""
    props = run.find(f"{{{W}}}rPr")
    if props is not None:
        highlight = props.find(f"{{{W}}}highlight")
        if highlight is not None and highlight.get(f"{{{W}}}val") not in (None, "none", "white"):
            return True
        if dark(props.find(f"{{{W}}}shd")):
            return True
    shape = next(run.iterancestors(_WSP, *_VML_SHAPES), None)
    if shape is not None and _filled(shape):
        return True
    for holder in run.iterancestors(f"{{{W}}}p", f"{{{W}}}tc", f"{{{W}}}tbl"):
        tag = etree.QName(holder).localname
        if tag == "p" and dark(holder.find(f"{{{W}}}pPr/{{{W}}}shd")):
            return True
        if tag == "tc" and dark(holder.find(f"{{{W}}}tcPr/{{{W}}}shd")):
            return True
        # Word's «Заливка», «Применить к: таблице» (a table style's fill: look._shaded_styles)
        if tag == "tbl" and dark(holder.find(f"{{{W}}}tblPr/{{{W}}}shd")):
            return True
    return False


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_WSP = f"{{{_WPS}}}wsp"
_VML = "urn:schemas-microsoft-com:vml"
_VML_SHAPES = tuple(f"{{{_VML}}}{name}" for name in ("shape", "rect", "roundrect", "oval"))
_FILLS = {"solidFill", "gradFill", "pattFill", "blipFill"}
_LIGHT = {"FFFFFF", "BG1", "LT1", "WHITE"}


def _filled(shape: etree._Element) -> bool:
    """Whether a shape or text box holding text is filled with a colour other than white:
    Word's rectangle (Вставка → Фигуры) is blue with white text by its style, a school's
    banner dark with white text (template18: refused as white text on nothing)."""
    if shape.tag == _WSP:
        props = shape.find(f"{{{_WPS}}}spPr")
        own = [c for c in (props if props is not None else []) if isinstance(c.tag, str)]
        for child in own:
            name = etree.QName(child).localname
            if name == "noFill":
                return False
            if name in _FILLS:
                return name != "solidFill" or not _light(child)
        style = shape.find(f".//{{{_A}}}fillRef")
        return style is not None and style.get("idx", "0") != "0" and not _light(style)
    if shape.get("filled", "t").lower() in ("f", "false"):
        return False
    fill = shape.find(f"{{{_VML}}}fill")
    if fill is not None and _opacity(fill.get("opacity") or "1") < _SEEN:
        return False
    color = (shape.get("fillcolor") or "white").split()[0].lstrip("#").upper()
    return color not in _LIGHT and not _whitish(color)


def box_colour(run: etree._Element) -> str | None:
    """The colour the text box or shape holding ``run`` is filled with: «RRGGBB», or the
    theme colour's name as Word names it for text («accent2», «text1»); None for no box, no
    fill, or a fill of no one colour (a gradient, a picture, a theme colour made lighter)."""
    shape = next(run.iterancestors(_WSP, *_VML_SHAPES), None)
    if shape is None:
        return None
    if shape.tag == _WSP:
        props = shape.find(f"{{{_WPS}}}spPr")
        for child in props if props is not None else []:
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name == "solidFill":
                return _drawing_colour(child)
            if name == "noFill" or name in _FILLS:
                return None
        style = shape.find(f".//{{{_A}}}fillRef")
        if style is None or style.get("idx", "0") == "0":
            return None
        return _drawing_colour(style)
    if shape.get("filled", "t").lower() in ("f", "false"):
        return None
    value = ((shape.get("fillcolor") or "white").split() or ["white"])[0]
    value = _VML_COLOURS.get(value.lower(), value.lstrip("#"))
    return value.upper() if len(value) == 6 else None


_THEME_NAMES = {
    "tx1": "text1", "bg1": "background1", "dk1": "dark1", "lt1": "light1", "tx2": "text2",
    "bg2": "background2", "dk2": "dark2", "lt2": "light2", "hlink": "hyperlink",
    "folHlink": "followedHyperlink",
}  # fmt: skip
"""DrawingML's names of the theme's colours as Word's ``w:themeColor`` writes them."""
_VML_COLOURS = {
    "black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "008000", "blue": "0000FF",
    "navy": "000080", "yellow": "FFFF00", "gray": "808080", "silver": "C0C0C0",
    "maroon": "800000", "purple": "800080", "teal": "008080", "olive": "808000",
    "lime": "00FF00", "aqua": "00FFFF", "fuchsia": "FF00FF",
}  # fmt: skip
"""The colours VML names (``fillcolor="black"``)."""


def _drawing_colour(holder: etree._Element) -> str | None:
    """The colour of a DrawingML fill (its first child): «RRGGBB» of ``a:srgbClr``, the theme
    colour's name of an ``a:schemeClr`` left as the theme has it; None for any other."""
    color = next((c for c in holder if isinstance(c.tag, str)), None)
    if color is None:
        return None
    name = etree.QName(color).localname
    value = color.get("val") or ""
    if name == "srgbClr":
        return value.upper() if len(value) == 6 else None
    if name == "schemeClr" and not any(isinstance(c.tag, str) for c in color):
        return _THEME_NAMES.get(value, value)
    return None


def _light(holder: etree._Element) -> bool:
    """Whether a DrawingML fill's colour is white (``FFFFFF``, the background's, or near it:
    «FEFEFE») or hardly drawn (its ``a:alpha`` under :data:`_SEEN`): white text on it is on no
    paper (review19: both were taken as a dark box)."""
    color = next((c for c in holder if isinstance(c.tag, str)), None)
    value = (color.get("val") or "").upper() if color is not None else ""
    alpha = color.find(f"{{{_A}}}alpha") if color is not None else None
    if alpha is not None and _opacity(alpha.get("val") or "100000", 100_000) < _SEEN:
        return True
    return value in _LIGHT or _whitish(value)


_SEEN = 0.25
"""A fill drawn less opaque than this (a quarter) leaves white text on white paper."""


def _whitish(value: str) -> bool:
    """«FEFEFE»: a colour each of whose channels is at least F0, as white text is told."""
    return (
        len(value) == 6
        and all(c in "0123456789ABCDEF" for c in value)
        and all(int(value[i : i + 2], 16) >= 0xF0 for i in (0, 2, 4))
    )


def _opacity(value: str, whole: int = 1) -> float:
    """An opacity as 0…1: DrawingML's thousandths of a per cent (``whole`` 100000), VML's
    fraction or its 16.16 fixed number («32768f»); unreadable as 1 (drawn)."""
    try:
        if value.endswith("f"):
            return int(value[:-1]) / 65536
        return float(value) / whole
    except ValueError:
        return 1.0


def dark(shading: etree._Element | None) -> bool:
    """Whether a ``w:shd`` colours its area (a fill other than none or white)."""
    if shading is None:
        return False
    fill = (fill_of(shading) or "auto").upper()
    return fill not in ("AUTO", "FFFFFF") or bool(shading.get(f"{{{W}}}themeFill"))
