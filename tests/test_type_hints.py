"""STYLE.md: «type hints on public functions». Every function of ``service/`` whose name does
not start with «_» — at module level or a method of a public class; Flask views and click
commands too — has its parameters (less ``self``/``cls``) and its return annotated. Read
from the syntax tree, so a function added without hints is named here, not in a review.
ruff's flake8-annotations rules cannot say this: ANN001 (parameters) covers private
functions as well."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICE = Path(__file__).resolve().parent.parent / "service"
NOT_YET: set[str] = set()
"""«module.py:function» entries left for a change under way in that module (none now); each
is taken off once annotated."""


def _missing(function: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> list[str]:
    arguments = function.args
    named = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    if method and named and named[0].arg in ("self", "cls"):
        named = named[1:]
    missing = [a.arg for a in named if a.annotation is None]
    missing += [f"*{a.arg}" for a in (arguments.vararg,) if a and a.annotation is None]
    missing += [f"**{a.arg}" for a in (arguments.kwarg,) if a and a.annotation is None]
    if function.returns is None:
        missing.append("return")
    return missing


def unannotated(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(name, what lacks a hint) of each public function of ``tree`` lacking one."""
    found = []

    def walk(node: ast.AST, method: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if not child.name.startswith("_") and (missing := _missing(child, method)):
                    found.append((child.name, missing))
            elif isinstance(child, ast.ClassDef) and not child.name.startswith("_"):
                walk(child, True)

    walk(tree, False)
    return found


def test_every_public_function_has_type_hints():
    lacking = []
    for path in sorted(SERVICE.rglob("*.py")):
        relative = path.relative_to(SERVICE).as_posix()
        for name, missing in unannotated(ast.parse(path.read_text(encoding="utf-8"))):
            if f"{relative}:{name}" not in NOT_YET:
                lacking.append(f"service/{relative}: {name} ({', '.join(missing)})")
    assert lacking == []


def test_the_functions_left_for_later_still_lack_them():
    """An entry of :data:`NOT_YET` annotated since is taken off the list."""
    left = set()
    for entry in NOT_YET:
        relative, name = entry.split(":")
        tree = ast.parse((SERVICE / relative).read_text(encoding="utf-8"))
        if any(found == name for found, _ in unannotated(tree)):
            left.add(entry)
    assert left == NOT_YET


def test_the_walk_finds_what_lacks_a_hint():
    tree = ast.parse(
        "def f(a, b: int): ...\n"
        "def g(a: int) -> None: ...\n"
        "def _h(a): ...\n"
        "class C:\n"
        "    def m(self, x) -> None: ...\n"
        "    @classmethod\n"
        "    def k(cls, *args: int, **kwargs) -> int: ...\n"
        "    def _p(self, y): ...\n"
        "class _D:\n"
        "    def m(self, z): ...\n"
    )
    assert unannotated(tree) == [("f", ["a", "return"]), ("m", ["x"]), ("k", ["**kwargs"])]
