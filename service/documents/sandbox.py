"""The sandbox templates render in, with bounds on work a few characters of a tag can ask for.

Jinja's immutable sandbox keeps a template away from Python's internals but not from asking
for unbounded work: ``{{ 'а' * 3000000000 }}`` allocates 3 GB, and nested loops over
``range(99999)`` ran for hours in the template check while the administrator's upload waited.
Here ``*`` and ``**`` are checked as they run (Jinja's ``intercepted_binops``) and ``range``
counts the steps one rendering takes through all its ranges; past a bound the rendering stops
with :class:`jinja2.exceptions.SecurityError` and a Russian message, which the template check
shows. Loops over the document's data are bounded by the data (the workbook's limits).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_RANGE_STEPS = 10_000
"""Steps one rendering may take through ``range`` (all its loops together); a template needs
a handful (``{% for i in range(3) %}`` for three blank lines)."""
MAX_PRODUCT = 100_000
"""Largest text or list (its length, the texts it holds counted) a ``*`` may make."""
MAX_NUMBER_PRODUCT = 10**18
"""Largest number a ``*`` of two numbers may make: any sum or count a document prints, while
a number squared again and again in ``{% set %}`` tags would grow to gigabytes of digits."""


class _CountedRange:
    """``range(…)`` of a template: iterating it spends the rendering's steps (kept on its
    context, one per rendering), whether the loop is written around it or it is kept in a
    variable and looped over again and again. The attributes start with «_», which the sandbox
    never lets a template read."""

    def __init__(self, context: Context, items: range) -> None:
        self._context = context
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[int]:
        for item in self._items:
            left = getattr(self._context, "_nastavnik_range_steps", MAX_RANGE_STEPS)
            if left <= 0:
                raise SecurityError(
                    f"циклы по range(…) делают больше {grouped(MAX_RANGE_STEPS)} шагов"
                )
            self._context._nastavnik_range_steps = left - 1  # type: ignore[attr-defined]
            yield item


@jinja2.pass_context
def counted_range(context: Context, *args: int) -> _CountedRange:
    """The templates' ``range``: Python's, iterated within the rendering's steps."""
    return _CountedRange(context, range(*args))


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with ``*`` and ``**`` checked at run time and the counted
    ``range``."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = counted_range

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("возведение в степень («**») в шаблоне недоступно")
        if _is_number(left) and _is_number(right):
            product = super().call_binop(context, operator, left, right)
            if abs(product) > MAX_NUMBER_PRODUCT:
                raise SecurityError("умножение («*») даёт число длиннее 18 цифр")
            return product
        if _size(left) * _size(right) > MAX_PRODUCT:
            raise SecurityError(
                f"умножение («*») даёт больше {grouped(MAX_PRODUCT)} знаков или единиц"
            )
        return super().call_binop(context, operator, left, right)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _size(value: Any) -> int:
    """How large ``value`` makes a product: a number by itself, a text by its length, a list,
    tuple or dict by what it holds (``[text] * n`` makes n copies of the text when printed or
    joined). Counting stops past the bound."""
    if isinstance(value, bool):
        return 1
    if isinstance(value, int | float):
        return int(min(abs(value), MAX_PRODUCT + 1))
    if isinstance(value, str | bytes):
        return max(len(value), 1)
    if isinstance(value, list | tuple | dict):
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        total = 0
        for item in items:
            total += _size(item)
            if total > MAX_PRODUCT:
                break
        return max(total, 1)
    try:
        return max(len(value), 1)
    except TypeError:
        return 1


def grouped(number: int) -> str:
    """«10 000»: thousands apart, as Russian text writes them (a no-break space)."""
    return f"{number:,}".replace(",", "\u00a0")
