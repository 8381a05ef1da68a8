"""How large an id of the register's rows may be, as an address, a form or a command names
it. Imports nothing: the command line checks its arguments with it before it loads the register."""

from __future__ import annotations

MAX_ROW_ID = 2**31 - 1
"""The largest id a register keeps: PostgreSQL's ``integer`` column (SQLite's go up to
2⁶³ − 1). A larger number names no row — but asked of PostgreSQL it was an error, not «не
найден»: ``/api/documents/3000000000`` was a 500, ``nastavnik return 3000000000`` a traceback."""


def is_row_id(value: int) -> bool:
    """True when ``value`` may be the id of a row (1 … :data:`MAX_ROW_ID`)."""
    return 1 <= value <= MAX_ROW_ID
