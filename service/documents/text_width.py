"""How wide a text prints in 12 pt Times New Roman (Liberation Serif, its metric twin, where
LibreOffice prints the documents): for a name in a table's narrow column, to tell whether it
fits on one line (:func:`service.documents.filters.initials_filter`).

The advance widths are Liberation Serif Regular's (units of 1/2048 em), written here rather
than read from a font file: the same name gives the same document on every server, whatever
fonts it has. A character not listed counts as the widest («Ю»): a name of unusual letters is
rather taken as too wide than broken inside its initials.
"""

from __future__ import annotations

_GROUPS = {
    "'": 369,
    " \xa0.,": 512,
    "ijlt": 569,
    "Ifr-()’": 682,
    "Js": 797,
    "з": 809,
    "г": 840,
    "э": 879,
    "т": 895,
    "аеёсacez": 909,
    "ь": 934,
    "я": 942,
    "в": 967,
    "к": 995,
    "л": 1022,
    "орухbdghknopquvxy0123456789–«»": 1024,
    "З": 1026,
    "ч": 1030,
    "бд": 1042,
    "ъ": 1059,
    "ийнпц": 1096,
    "РFPS": 1139,
    "БЬ": 1176,
    "Г": 1184,
    "ЕЁТELTZ": 1251,
    "м": 1296,
    "ф": 1327,
    "Ч": 1331,
    "Э": 1352,
    "ВКСЯBCR": 1366,
    "ы": 1376,
    "Л": 1389,
    "Д": 1397,
    "ж": 1415,
    "Ъ": 1446,
    "У": 1450,
    "АИЙНОПХЦADGHKNOQUVXYw": 1479,
    "ю": 1530,
    "шщ": 1577,
    "m": 1593,
    "Ф": 1618,
    "Ы": 1786,
    "МM": 1821,
    "Ж": 1835,
    "W": 1933,
    "—": 2048,
    "ШЩ": 2066,
    "Ю": 2105,
}
_EM = 2048
_WIDEST = max(_GROUPS.values())
_WIDTH = {char: width for chars, width in _GROUPS.items() for char in chars}
_MM_PER_POINT = 25.4 / 72


def printed_mm(text: str, size: float = 12) -> float:
    """The width of ``text`` on one line at ``size`` points, in millimetres."""
    units = sum(_WIDTH.get(char, _WIDEST) for char in text)
    return units / _EM * size * _MM_PER_POINT
