"""The sandbox templates render in, with bounds on work a few characters of a tag can ask for.

Jinja's immutable sandbox keeps a template away from Python's internals but not from asking
for unbounded work: ``{{ 'а' * 3000000000 }}`` allocates 3 GB, and nested loops over
``range(99999)`` ran for hours in the template check while the administrator's upload waited.
Here ``*``, ``**``, ``+`` and ``%`` are checked as they run (Jinja's ``intercepted_binops``)
and ``range`` counts the steps one rendering takes through all its ranges; past a bound the
rendering stops with :class:`jinja2.exceptions.SecurityError` and a Russian message, which
the template check shows. Loops over the document's data are bounded by the data (the
workbook's limits).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_RANGE_STEPS = 10_000
"""Steps one rendering may take through ``range`` (all its loops together); a template needs
a handful (``{% for i in range(3) %}`` for three blank lines)."""
MAX_PRODUCT = 100_000
"""Largest text or list (its length, the texts it holds counted) a ``*`` may make."""
MAX_TEXT = 10_000_000
"""Longest text a ``~``, ``+``, ``join``, ``replace`` or ``indent`` may make: a join of the
names of 20 000 rows (a sheet's limit) is a tenth of it; ``{% set s = s ~ s %}`` written
twenty times made 100 GB."""
MAX_OUTPUT = 200_000_000
"""Longest text one rendering (a part of the DOCX) may make: far above the largest document
of a school, far below a loop of 10 000 steps printing a text of 100 000 (1 GB)."""
MAX_LOOP_STEPS = 5_000_000
"""Steps one rendering may take through all its ``{% for %}`` loops together: a list of every
pair of a school at the sheet's limit (20 000 rows) with a few lines each is a small part of
it, two loops nested over a text of 99 999 letters (``'x' * 99999``) are 10¹⁰ steps."""
MAX_SECONDS = 60.0
"""Longest one rendering may run, checked at each step of a loop: within
:data:`MAX_LOOP_STEPS` a loop may still repeat work each step (a filter over a list of
100 000 items); the largest document of a school renders in about a second."""
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

    def __contains__(self, item: object) -> bool:
        return item in self._items

    def __getitem__(self, index: int | slice) -> Any:
        """An item as Python's range gives it; a slice is a counted range too."""
        if isinstance(index, slice):
            return _CountedRange(self._context, self._items[index])
        return self._items[index]

    def __reversed__(self) -> Iterator[int]:
        return iter(_CountedRange(self._context, self._items[::-1]))

    def __iter__(self) -> Iterator[int]:
        for item in self._items:
            left = getattr(self._context, "_nastavnik_range_steps", MAX_RANGE_STEPS)
            if left <= 0:
                raise SecurityError(
                    f"циклы по range(…) делают больше {grouped(MAX_RANGE_STEPS)} шагов"
                )
            self._context._nastavnik_range_steps = left - 1  # type: ignore[attr-defined]
            yield item


def counted_loop(context: Context, items: Any) -> Iterator[Any]:
    """What a ``{% for %}`` loop goes through, within the rendering's :data:`MAX_LOOP_STEPS`
    and :data:`MAX_SECONDS` (kept on its context, one per rendering)."""
    for item in items:
        left = getattr(context, "_nastavnik_loop_steps", MAX_LOOP_STEPS)
        deadline = getattr(context, "_nastavnik_deadline", None)
        if deadline is None:
            deadline = context._nastavnik_deadline = time.monotonic() + MAX_SECONDS  # type: ignore[attr-defined]
        if left <= 0:
            raise SecurityError(f"циклы делают больше {grouped(MAX_LOOP_STEPS)} шагов")
        if time.monotonic() > deadline:
            raise SecurityError(f"заполнение шаблона идёт дольше {int(MAX_SECONDS)} с")
        context._nastavnik_loop_steps = left - 1  # type: ignore[attr-defined]
        yield item


@jinja2.pass_context
def counted_range(context: Context, *args: int) -> _CountedRange:
    """The templates' ``range``: Python's, iterated within the rendering's steps."""
    return _CountedRange(context, range(*args))


UNESCAPED = (
    "фильтр «safe» и тег «autoescape» в шаблоне недоступны: данные вставляются в документ "
    "только как текст (иначе знак «&» или «<» в названии школы или в имени портил бы "
    "документ, а разметка в ячейке книги меняла бы его)"
)
"""Why a template may not have the data put in as XML (attack17: ``{{ org.short_name|safe }}``
made a workbook's «СОШ</w:t>…<w:vanish/>…» hidden text in the signed order and dropped
«&» from «Рога & Копыта»)."""


def _no_safe(value: Any) -> Any:
    """The ``safe`` filter refused (:data:`UNESCAPED`), also when named as data
    (``map('safe')``)."""
    raise SecurityError(UNESCAPED)


class _BoundedGenerator(CodeGenerator):
    """Jinja's code generator with ``~`` going through :meth:`TemplateSandbox.bounded_concat`
    (Jinja intercepts ``*`` and ``+`` for a sandbox, not ``~``), every ``{% for %}`` over
    :func:`counted_loop` (a loop over a text or a list is not a ``range``) and no
    ``{% autoescape %}`` (:data:`UNESCAPED`)."""

    def visit_For(self, node: jinja2.nodes.For, frame: Frame) -> None:
        if not getattr(node, "_nastavnik_counted", False):
            node.iter = jinja2.nodes.Call(
                jinja2.nodes.EnvironmentAttribute("counted_loop"),
                [jinja2.nodes.ContextReference(), node.iter],
                [],
                None,
                None,
            )
            node._nastavnik_counted = True  # type: ignore[attr-defined]
        super().visit_For(node, frame)

    def visit_EvalContextModifier(
        self, node: jinja2.nodes.EvalContextModifier, frame: Frame
    ) -> None:
        self.fail(UNESCAPED, node.lineno)

    def visit_ScopedEvalContextModifier(
        self, node: jinja2.nodes.ScopedEvalContextModifier, frame: Frame
    ) -> None:
        self.fail(UNESCAPED, node.lineno)

    def visit_Concat(self, node: jinja2.nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat(context, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _check_text(size: int, what: str) -> None:
    if size > MAX_TEXT:
        raise SecurityError(f"{what} даёт текст длиннее {grouped(MAX_TEXT)} знаков")


def _lines(value: Any) -> int:
    return str(value).count("\n") + 1


def _guard_join(value: Any, separator: str = "", attribute: Any = None) -> Any:
    items = list(value)
    joined = items if attribute is None else [_attribute(item, attribute) for item in items]
    size = sum(_size(item, numbers=False) for item in joined) + len(separator) * len(items)
    _check_text(size, "фильтр «join»")
    return items


def _attribute(item: Any, attribute: Any) -> Any:
    """``join(attribute='mentor.name')``'s field of one item of the document's data (dicts):
    what is joined is that, not the whole row."""
    for part in str(attribute).split("."):
        if not isinstance(item, dict):
            return None
        item = item.get(part)
    return item


def _guard_replace(value: Any, old: str, new: str, count: int | None = None) -> Any:
    text = str(value)
    times = text.count(str(old)) if str(old) else len(text) + 1
    if count is not None:
        times = min(times, max(count, 0))
    _check_text(len(text) + times * max(len(str(new)) - len(str(old)), 0), "фильтр «replace»")
    return value


def _guard_indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> Any:
    indent = len(width) if isinstance(width, str) else _size(width)
    _check_text(len(str(value)) + _lines(value) * indent, "фильтр «indent»")
    return value


_WIDTH = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d*)(?:\.(\*|\d*))?")
"""A conversion of printf-style formatting, its mapping key (``%(n)…``) included."""


def _wide(text: str) -> bool:
    """Whether ``text`` asks printf-style formatting for a width or precision above 99,999
    (or one given as ``*``): ``'%0999999999d' % 1`` is a text of 1 GB."""
    return any(
        "*" in match.group(0) or any(len(g or "") > 5 for g in match.groups())
        for match in _WIDTH.finditer(text)
    )


def _guard_format(value: Any, *args: Any, **kwargs: Any) -> Any:
    if _wide(str(value)):
        raise SecurityError("фильтр «format» с шириной больше 99\u00a0999 знаков недоступен")
    return value


def _guard_sizes(value: Any, *args: Any, **kwargs: Any) -> Any:
    """``center``, ``batch``, ``slice``, ``tojson``…: a number given to them is a width or a
    count of what they make."""
    for arg in [*args, *kwargs.values()]:
        if _is_number(arg) and abs(arg) > MAX_PRODUCT:
            raise SecurityError(f"число {arg} в фильтре больше {grouped(MAX_PRODUCT)}")
    return value


_FILTER_GUARDS: dict[str, Callable[..., Any]] = {
    "join": _guard_join,
    "replace": _guard_replace,
    "indent": _guard_indent,
    "format": _guard_format,
    "center": _guard_sizes,
    "batch": _guard_sizes,
    "slice": _guard_sizes,
    "tojson": _guard_sizes,
    "wordwrap": _guard_sizes,
    "truncate": _guard_sizes,
}
"""Jinja's filters that make a text or list from a number or a text they are given, each
with the check of what it would make; the check returns the value to pass on (``join``
takes the items once, so an iterator is not spent by the check)."""


def _guarded(original: Callable[..., Any], guard: Callable[..., Any]) -> Callable[..., Any]:
    """``original`` called after ``guard`` on its arguments, keeping how Jinja passes it the
    context or environment (``pass_eval_context`` and the like)."""
    passes = getattr(original, "jinja_pass_arg", None)

    def filter_(*args: Any, **kwargs: Any) -> Any:
        first, rest = (args[:1], args[1:]) if passes else ((), args)
        value = guard(*rest, **kwargs)
        return original(*first, value, *rest[1:], **kwargs)

    if passes:
        filter_.jinja_pass_arg = passes  # type: ignore[attr-defined]
    return filter_


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with ``*`` and ``**`` checked at run time and the counted
    ``range``."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BoundedGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = counted_range
        self.filters["safe"] = _no_safe  # the data only ever as text
        for name, guard in _FILTER_GUARDS.items():
            self.filters[name] = _guarded(self.filters[name], guard)

    counted_loop = staticmethod(counted_loop)

    def concat(self, parts: Iterable[str]) -> str:  # type: ignore[override]
        """The rendering's text (and a ``{% set %}`` block's), stopped past :data:`MAX_OUTPUT`:
        loops and filters each within their bounds still multiply."""
        pieces = []
        total = 0
        for piece in parts:
            total += len(piece)
            if total > MAX_OUTPUT:
                raise SecurityError(f"шаблон даёт текст длиннее {grouped(MAX_OUTPUT)} знаков")
            pieces.append(piece)
        return "".join(pieces)

    def bounded_concat(self, context: Context, parts: tuple[Any, ...]) -> str:
        """``a ~ b``: Jinja's own joining, refused past :data:`MAX_TEXT`."""
        _check_text(sum(_size(part, numbers=False) for part in parts), "соединение («~»)")
        join = markup_join if context.eval_ctx.autoescape else str_join
        return join(parts)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("возведение в степень («**») в шаблоне недоступно")
        if operator == "%" and isinstance(left, str) and _wide(left):
            raise SecurityError("подстановка («%») с шириной больше 99\u00a0999 знаков недоступна")
        if operator in ("+", "%"):
            if operator == "+" and not (_is_number(left) and _is_number(right)):
                size = _size(left, numbers=False) + _size(right, numbers=False)
                _check_text(size, "сложение («+»)")
            return super().call_binop(context, operator, left, right)
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


def _size(value: Any, numbers: bool = True) -> int:
    """How large ``value`` makes a product: a number by itself, a text by its length, a list,
    tuple or dict by what it holds (``[text] * n`` makes n copies of the text when printed or
    joined). Counting stops past the bound."""
    if isinstance(value, bool):
        return 1
    if isinstance(value, int | float):
        return int(min(abs(value), MAX_PRODUCT + 1)) if numbers else 1
    if isinstance(value, str | bytes):
        return max(len(value), 1)
    if isinstance(value, list | tuple | dict):
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        total = 0
        for item in items:
            total += _size(item, numbers)
            if total > MAX_OUTPUT:
                break
        return max(total, 1)
    try:
        return max(len(value), 1)
    except TypeError:
        return 1


def grouped(number: int) -> str:
    """«10 000»: thousands apart, as Russian text writes them (a no-break space)."""
    return f"{number:,}".replace(",", "\u00a0")
