"""The layout's rules (docs/architecture.md), read from the source by its syntax tree, so that
an import added in a hurry shows here and not in a review: the domain imports no framework,
and adapters do not lean on each other."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICE = Path(__file__).resolve().parent.parent / "service"

FRAMEWORKS = frozenset(
    {"click", "flask", "flask_login", "flask_wtf", "waitress", "watchdog", "werkzeug"}
)
"""The web service (Flask, its extensions, Werkzeug under it, waitress), the command line
(click) and the folder's wake-up (watchdog). Jinja is not here: the documents are Jinja
templates (sandboxed), so the renderer uses it as a library."""

ADAPTERS = ("web/", "cli/", "watcher.py")
"""Where frameworks belong: each adapter translates one outside world into domain calls."""


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (line, dotted name), at the top or inside a function;
    ``from a import b`` counts as ``a.b`` as well as ``a`` (``b`` may be a module)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            package = ".".join(path.relative_to(SERVICE.parent).with_suffix("").parts[:-1])
            base = node.module or ""
            if node.level:  # relative: from the module's own package, `level` steps up
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def modules(*, outside: tuple[str, ...] = ()) -> list[tuple[str, Path]]:
    """The modules of ``service/`` (path relative to it, path), less those under ``outside``."""
    found = []
    for path in sorted(SERVICE.rglob("*.py")):
        relative = path.relative_to(SERVICE).as_posix()
        if not relative.startswith(outside):
            found.append((relative, path))
    return found


def test_the_domain_imports_no_framework():
    offending = [
        f"{relative}:{line} {name}"
        for relative, path in modules(outside=ADAPTERS)
        for line, name in imported_modules(path)
        if name.split(".")[0] in FRAMEWORKS
    ]
    assert offending == []


def test_only_the_command_line_starts_the_watcher_and_the_web_service():
    """The web upload goes to the inbox policy (service/inbox.py), not through the watchdog
    adapter; nobody but the ``nastavnik`` command imports the CLI or starts the web service."""
    leaning = [
        f"{relative}:{line} {name}"
        for relative, path in modules(outside=("cli/",))
        for line, name in imported_modules(path)
        if name.split(".")[:2] in (["service", "watcher"], ["service", "cli"])
        or (name.split(".")[:2] == ["service", "web"] and not relative.startswith("web/"))
    ]
    assert leaning == []


def test_the_import_reader_sees_what_it_must():
    """The reader above finds a framework however it is imported (else the tests above
    would pass on nothing)."""
    sample = SERVICE / "web" / "errors.py"
    names = {name for _, name in imported_modules(sample)}
    assert "flask" in names
    assert "service.errors.NastavnikError" in names
