"""A template nested past what Python reads: a tag of hundreds of brackets, filters, conditions
or loops one inside another. Jinja parses and compiles a template by recursion and Python
compiles the code it makes with limits of its own (200 nested brackets, 100 levels of
indentation), so such a tag stopped the template check with RecursionError or SyntaxError —
the administrator's upload got «Внутренняя ошибка сервиса», the command line a traceback
(left17). Nested less deep but still by the hundred, a tag took minutes to compile (Jinja's
optimiser folds each level again: 200 filters in a row, 45 s) while the upload waited. No
school's template nests so — the shipped ones, 10 levels at most: a tag deeper than
:data:`MAX_DEPTH` is refused before it is compiled, saying so, with its paragraph."""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
import jinja2.nodes

MAX_DEPTH = 50
"""How deep a template's syntax tree may go: the shipped templates reach 10."""
TOO_DEEP_ERRORS = (RecursionError, SyntaxError)
"""What Python raises for a template nested too deep: its recursion limit, and its compiler's
limits on the generated code (``SyntaxError: too many nested parentheses``,
``IndentationError: too many levels of indentation``). Jinja's own syntax errors are not
among them (``TemplateSyntaxError`` is no ``SyntaxError``)."""

TOO_DEEP = (
    "Шаблон не читается: метки в нём вложены одна в другую слишком глубоко — десятки или "
    "сотни скобок, фильтров, условий или циклов друг в друге. Так шаблоны не пишут, и служба "
    "не может прочитать такую метку. Упростите её: в стандартном шаблоне метки вложены не "
    "глубже нескольких уровней."
)
"""The check's refusal of such a template."""


def depth_of(tree: jinja2.nodes.Node) -> tuple[int, int]:
    """How deep ``tree`` goes, and the line of its deepest node (counted without recursion:
    the tree may be deeper than Python recurses)."""
    deepest, line = 0, 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest, line = depth, getattr(node, "lineno", line) or line
        stack += [(child, depth + 1) for child in node.iter_child_nodes()]
    return deepest, line


def too_deep_paragraph(env: jinja2.Environment, paragraphs: Iterable[str]) -> str:
    """The first of ``paragraphs`` (their text) that alone is nested too deep; "" when none is
    (the nesting runs across paragraphs)."""
    for text in paragraphs:
        if "{" not in text:
            continue
        try:
            if depth_of(env.parse(text))[0] > MAX_DEPTH:
                return text
        except TOO_DEEP_ERRORS:
            return text
        except jinja2.TemplateError:  # a block opened here and closed in a later paragraph
            continue
    return ""
