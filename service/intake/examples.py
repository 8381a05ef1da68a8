"""Examples of dates in messages and in the blank workbook are of the school year under way:
a fixed «например 01.09.2023» misled a secretary filling the workbook of 2026–2027 into taking
the example for a date to copy, or for the year the service expects."""

from __future__ import annotations

from datetime import date


def school_year(day: date) -> int:
    """The first calendar year of the school year ``day`` falls in (it begins on 1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def example_year(today: date | None = None) -> int:
    """The first calendar year of the school year under way (``today``: the clock's)."""
    return school_year(today or date.today())


def example_date(today: date | None = None) -> str:
    """«01.09.2026»: 1 September of the school year under way, as a date is typed."""
    return f"01.09.{example_year(today)}"


def example_month(today: date | None = None) -> str:
    """«октябрь 2026»: a month of the school year under way, as a «Срок» may be written."""
    return f"октябрь {example_year(today)}"


def example_school_year(first: int | None = None) -> str:
    """«2026–2027»: the school year under way, or the one beginning in ``first``."""
    first = example_year() if first is None else first
    return f"{first}–{first + 1}"
