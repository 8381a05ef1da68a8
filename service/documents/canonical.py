"""A template context as canonical JSON, and back.

Every document version keeps the context it was rendered from, so that signing can render it
again with the order's number and date (never by re-planning the register) and so that a later
workbook can tell whether the data of a document changed. JSON has no dates and no typed
strings, and the template filters need both (a :class:`PersonName` declines as a person's ФИО,
a :class:`Position` as a position), so those travel tagged: ``{"$date": "2024-05-31"}``,
``{"$name": "…"}`` (``{"$name": "…", "$sex": "ж"}`` when the school's «Пол» says otherwise than
the ФИО), ``{"$position": "…"}``. Keys are sorted and there is no whitespace: the same
data gives the same text.

The stdlib ``json`` module is used with a pre-pass (its ``default`` hook never sees ``str``
subclasses, and ``object_hook`` turns tags back); no library does typed round trips of these
few types more simply.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from service.documents.values import PersonName, Position

_TAGS: dict[str, type] = {"$name": PersonName, "$position": Position}
_PLAIN = frozenset({str, int, float, bool, type(None)})
"""Types written as they are; checked by exact type first (most values of a context are
plain texts), so a ``str`` subclass such as :class:`PersonName` still gets its tag."""


def _tagged(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, dict):
        return {str(k): _tagged(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_tagged(v) for v in value]
    if isinstance(value, PersonName):
        if value.sex:
            return {"$name": str(value), "$sex": value.sex}
        return {"$name": str(value)}
    if isinstance(value, Position):
        return {"$position": str(value)}
    if isinstance(value, datetime):
        raise TypeError(f"a context holds dates, not date-times: {value!r}")
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise TypeError(f"a context cannot hold {type(value).__name__}: {value!r}")


def _untagged(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((key, value),) = obj.items()
        if key == "$date":
            return date.fromisoformat(value)
        if key in _TAGS:
            return _TAGS[key](value)
    elif len(obj) == 2 and "$name" in obj and "$sex" in obj:
        return PersonName(obj["$name"], obj["$sex"])
    return obj


def dumps(context: dict[str, Any]) -> str:
    """``context`` as canonical JSON (sorted keys, no spaces, UTF-8 text)."""
    return json.dumps(_tagged(context), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads(text: str) -> dict[str, Any]:
    """The context :func:`dumps` wrote, with its dates and typed strings."""
    return json.loads(text, object_hook=_untagged)
