"""What a template's tags may say: the rules the check applies to the parsed Jinja of one part.

A template a school edits holds variables, conditions, loops and the grammar filters — nothing
that reaches past the data of its document. The Jinja environment is sandboxed anyway
(:func:`service.documents.filters.make_environment`); these rules refuse such a template before
it is installed and say, in Russian and by paragraph, what is wrong with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
from jinja2 import nodes

from service.documents.sandbox import MAX_PRODUCT, UNESCAPED, grouped

ALLOWED_CALLS = {"dict", "range"}
"""Global functions a tag may call (``{% for i in range(3) %}``); no method of a value."""
MAX_NUMBER = MAX_PRODUCT
"""Largest number written in a tag: a width of 10⁹ given to ``center`` would make a gigabyte
of text; ``*`` and ``range`` are bounded as they run (:mod:`service.documents.sandbox`)."""
LIMIT_TEXT = grouped(MAX_NUMBER)
_BLOCKS = {"if": "endif", "for": "endfor", "with": "endwith", "filter": "endfilter"}
_MIDDLE = {"else": ("if", "for"), "elif": ("if",)}
_TAG_WORD = re.compile(r"\{%-?\s*(?:(?:p|tr|tc|r)\s+)?(\w+)")
_MESSAGES = (
    (re.compile(r"unexpected '(.+)'"), "лишний символ «{0}»"),
    (re.compile(r"Encountered unknown tag '(\w+)'.*", re.DOTALL), "неизвестный тег «{0}»"),
    (re.compile(r"expected token '(.+?)', got '(.+?)'"), "ожидалось «{0}», а стоит «{1}»"),
    (re.compile(r"unexpected end of template.*", re.DOTALL | re.I), "тег не закрыт"),
    (re.compile(r"unexpected char '(.+?)'.*"), "недопустимый символ {0}"),
    (re.compile(r"Expected an expression.*"), "в теге нет выражения"),
)

Report = Callable[[str, int], None]
"""``report(message, line)``: a problem found at a line of the part's Jinja source."""


def russian_syntax_message(message: str | None) -> str:
    """A Jinja syntax error message said in Russian where it is a common one."""
    text = message or ""
    for pattern, russian in _MESSAGES:
        match = pattern.search(text)
        if match:
            return russian.format(*match.groups())
    return text


def check_blocks(tags: list[tuple[str, Any]], report: Callable[[str, Any], None]) -> None:
    """Every ``{% if %}``/``{% for %}`` closed in order; ``tags`` are (tag text, where)."""
    stack: list[tuple[str, Any, str]] = []
    for text, where in tags:
        match = _TAG_WORD.match(text)
        if not match:
            continue
        word = match.group(1)
        if word in _BLOCKS:
            stack.append((word, where, text))
        elif word in _MIDDLE:
            if not stack or stack[-1][0] not in _MIDDLE[word]:
                report(f"«{{% {word} %}}» стоит вне условия или цикла", where)
        elif word.startswith("end"):
            opened = word[3:]
            if opened not in _BLOCKS:
                continue
            if not stack:
                report(f"«{{% {word} %}}» закрывает то, что не открыто", where)
            elif stack[-1][0] != opened:
                top, top_where, top_text = stack.pop()
                report(f"«{top_text}» закрыт тегом «{{% {word} %}}»", top_where)
            else:
                stack.pop()
    for word, where, text in stack:
        report(f"«{text}» не закрыт: нет «{{% {_BLOCKS[word]} %}}»", where)


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    return "…"


def _root(node: nodes.Node) -> tuple[str, list[str]] | None:
    """``org.head.name`` → ("org", ["head", "name"]); None when not a plain attribute chain."""
    path: list[str] = []
    while isinstance(node, nodes.Getattr):
        path.append(node.attr)
        node = node.node
    if not isinstance(node, nodes.Name):
        return None
    return node.name, path[::-1]


def _missing_field(value: Any, path: list[str]) -> str | None:
    """The first field of ``path`` the sample ``value`` (nested dicts) does not have."""
    for name in path:
        if not isinstance(value, dict):
            return None
        if name not in value:
            return name
        value = value[name]
    return None


_ONE_FILE_ONLY = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
    nodes.Extends: "extends",
    nodes.Macro: "macro",
    nodes.CallBlock: "call",
}
"""Tags that reach other templates or define callables: a document's template is one file
(they failed only when the sample was rendered, with a bare «/etc/passwd.»)."""


def check_ast(
    tree: nodes.Template, env: jinja2.Environment, context: dict[str, Any], report: Report
) -> None:
    """Apply the rules to one parsed part: names starting with ``_``, attribute walks, calls,
    unknown filters and tests, variables and fields the kind's context does not have."""
    for node in tree.find_all(tuple(_ONE_FILE_ONLY)):
        tag = _ONE_FILE_ONLY[type(node)]
        report(f"тег «{tag}» в шаблоне документа не действует: шаблон — один файл", node.lineno)
    for node in tree.find_all((nodes.Name, nodes.Getattr, nodes.Getitem)):
        name = node.name if isinstance(node, nodes.Name) else getattr(node, "attr", None)
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value
        if isinstance(name, str) and name.startswith("_"):
            report(f"служебное имя «{name}»: имена с «_» в шаблоне запрещены", node.lineno)
    for node in tree.find_all(nodes.Call):
        callee = node.node
        if isinstance(callee, nodes.Name) and callee.name in ALLOWED_CALLS:
            continue
        if isinstance(callee, nodes.Getattr) and _dotted(callee) == "loop.cycle":
            continue
        report(
            f"вызов «{_dotted(callee)}(…)»: в шаблоне можно вызывать только фильтры", node.lineno
        )
    for node in tree.find_all(nodes.Const):
        if _too_large(node.value):
            report(
                f"число {node.value} больше {LIMIT_TEXT}: такие числа шаблону не нужны, а "
                "фильтру (center, indent, truncate…) они велят собрать огромный текст",
                node.lineno,
            )
    for node in tree.find_all(nodes.EvalContextModifier):
        report(UNESCAPED, node.lineno)
    for node in tree.find_all(nodes.Filter):
        if node.name == "safe":
            report(UNESCAPED, node.lineno)
        elif node.name not in env.filters:
            report(f"неизвестный фильтр «{node.name}»", node.lineno)
    for node in tree.find_all(nodes.Test):
        if node.name not in env.tests:
            report(f"неизвестная проверка «{node.name}»", node.lineno)
    undeclared = _undeclared(tree)
    seen: set[str] = set()
    for node in tree.find_all(nodes.Name):
        if node.name in undeclared and node.name not in context and node.name not in seen:
            seen.add(node.name)
            report(f"переменной «{node.name}» нет в данных документа этого вида", node.lineno)
    for node in _outermost_getattrs(tree):
        found = _root(node)
        if found is None or found[0] not in undeclared or found[0] not in context:
            continue
        missing = _missing_field(context[found[0]], found[1])
        if missing and not missing.startswith("_") and (found[0], missing) not in seen:
            seen.add((found[0], missing))  # type: ignore[arg-type]
            report(f"у «{_dotted(node)}» нет поля «{missing}»", node.lineno)


def _too_large(value: object) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return number and abs(value) > MAX_NUMBER  # type: ignore[arg-type]


def _undeclared(tree: nodes.Template) -> set[str]:
    """Names a template reads but never sets (``{% for p in … %}``, ``{% set %}``): what it
    expects from the context. jinja2.meta would compile the template first, which fails on the
    unknown filters reported above."""
    stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    loaded = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
    return loaded - stored - ALLOWED_CALLS - {"loop"}


def _outermost_getattrs(tree: nodes.Node) -> Iterator[nodes.Getattr]:
    """Attribute chains, each once (``a.b.c``, not also ``a.b``)."""
    inner = set()
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Getattr):
            inner.add(id(node.node))
    for node in tree.find_all(nodes.Getattr):
        if id(node) not in inner:
            yield node
