"""SQL lives in service/register/ (issue 14.3): no other module of the service builds a query,
reads «the school» by its primary key, or imports from SQLAlchemy anything but the ``Session``
it is handed (and the ORM's exceptions)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SERVICE = Path(__file__).resolve().parent.parent / "service"
REGISTER = SERVICE / "register"
QUERY = re.compile(r"\bselect\(|\.get\((?:m\.|models\.)?Organization\b")
ALLOWED_IMPORTS = {("sqlalchemy.orm", "Session"), ("sqlalchemy.exc", "*")}


def _outside_register() -> list[Path]:
    return sorted(p for p in SERVICE.rglob("*.py") if REGISTER not in p.parents)


def test_no_query_outside_the_register():
    found = [
        f"{path.relative_to(SERVICE.parent)}:{number}: {line.strip()}"
        for path in _outside_register()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if QUERY.search(line)
    ]
    assert found == []


def test_only_the_session_is_imported_from_sqlalchemy_outside_the_register():
    found = []
    for path in _outside_register():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [(a.name, "") for a in node.names if a.name.split(".")[0] == "sqlalchemy"]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                names = [(node.module, a.name) for a in node.names]
            else:
                continue
            for module, name in names:
                if (module, name) not in ALLOWED_IMPORTS and (module, "*") not in ALLOWED_IMPORTS:
                    found.append(f"{path.relative_to(SERVICE.parent)}: {module} {name}".strip())
    assert found == []


def test_the_check_sees_a_query():
    """The pattern finds what it is meant to find (a check that finds nothing proves nothing)."""
    for line in (
        "rows = session.scalars(select(Pair))",
        "org = session.get(Organization, 1)",
        "org = db().get(m.Organization, 1)",
    ):
        assert QUERY.search(line), line
    assert not QUERY.search("chosen = selected(items)")
