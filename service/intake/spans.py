"""Columns and rows named in one line of a message: a row filled to the sheet's end (a «0»
dragged to column IV) is «столбцы K–IV», not 247 lines, one a column."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.utils import get_column_letter

MOST_SPANS = 6
"""Runs named before «…»: a scatter of cells is told by its first few runs."""


def runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive runs of ``numbers``, (first, last) each, in order."""
    found: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if found and number == found[-1][1] + 1:
            found[-1] = (found[-1][0], number)
        else:
            found.append((number, number))
    return found


def _joined(pieces: list[str]) -> str:
    shown = pieces[:MOST_SPANS]
    return ", ".join(shown) + (", …" if len(pieces) > MOST_SPANS else "")


def column_spans(indices: Iterable[int]) -> str:
    """«K–IV», «K, M–P» for 0-based column indices."""
    return _joined(
        [
            get_column_letter(a + 1)
            if a == b
            else f"{get_column_letter(a + 1)}–{get_column_letter(b + 1)}"
            for a, b in runs(indices)
        ]
    )


def row_spans(numbers: Iterable[int]) -> str:
    """«строке 5», «строках 5–9, 12»: where a sheet's rows hold something (prepositional)."""
    found = runs(numbers)
    text = _joined([str(a) if a == b else f"{a}–{b}" for a, b in found])
    return f"строке {text}" if len(found) == 1 and found[0][0] == found[0][1] else f"строках {text}"


def headless_data(columns: set[int], rows: set[int]) -> str:
    """One warning for every cell with data and no header (a «0» dragged to column IV was
    247 warnings, one a column)."""
    if len(columns) == 1:
        return (
            f"В столбце {column_spans(columns)} есть данные, но нет заголовка — значения в "
            f"{row_spans(rows)} не прочитаны. Если они нужны, впишите заголовок столбца в строку "
            "заголовков."
        )
    return (
        f"В столбцах {column_spans(columns)} есть данные, но нет заголовков — значения в "
        f"{row_spans(rows)} не прочитаны. Если они нужны, впишите заголовки столбцов в строку "
        "заголовков; если нет (например, значение протянуто вправо до конца листа), удалите "
        "эти столбцы."
    )
