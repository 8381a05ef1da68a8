"""The request's database session and lookup helpers that stop the request themselves
(unknown id → 404), so views stay short; plus small form-reading helpers."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Flask, current_app, g, request
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.http import parse_range_header
from werkzeug.routing import IntegerConverter

from service.archive.section12 import section12_years
from service.config import Settings
from service.documents.catalogue import BY_ID
from service.intake.examples import example_school_year, example_year
from service.intake.normalise import ValueProblem, to_school_year
from service.register.bounds import MAX_ROW_ID, is_row_id
from service.register.db import new_session
from service.register.labels import DESTROYED
from service.register.models import (
    Batch,
    Document,
    DocumentStatus,
    Organization,
    Pair,
    Signer,
    User,
)
from service.register.queries import DocumentFilter, document_by_id
from service.register.school import the_school
from service.store import FileStore
from service.uploads import clean_name
from service.web.errors import BadInput, NotFound


def settings() -> Settings:
    return current_app.config["NASTAVNIK"]


def store() -> FileStore:
    return FileStore(settings().store_dir)


def db() -> Session:
    """One session per request, closed (uncommitted work rolled back) at its end; a view that
    changes something commits it. It takes the write lock only at its first write, or when a
    domain function asks for it first (``register.db.begin_writing``: signing, returning, a
    scan — after the key's own short transactions). A workbook is processed by the pipeline in
    transactions of its own, which would wait behind a lock held here."""
    if "db" not in g:
        g.db = new_session(settings().database_url)
    return g.db


def _close_db(exc: BaseException | None = None) -> None:
    session = g.pop("db", None)
    if session is not None:
        if exc is not None:
            session.rollback()
        session.close()


class RowId(IntegerConverter):
    """``<int:…>`` in every URL, bounded to a database id (:data:`MAX_ROW_ID`, PostgreSQL's
    ``integer``): a larger number is an unknown page (404), never an overflow inside the
    database driver (500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RowId  # before the blueprints add their rules
    app.before_request(refuse_nul_characters)
    app.before_request(ignore_unserved_ranges)
    app.teardown_appcontext(_close_db)


def ignore_unserved_ranges() -> None:
    """A ``Range`` the downloads do not serve — unreadable («bytes=abc»), of another unit, or
    of several parts (download managers ask «bytes=0-1,5-6») — is ignored, as HTTP lets a
    server do: the whole file (200). Werkzeug answered 416 «за его концом», and the file
    could not be downloaded at all."""
    asked = request.environ.get("HTTP_RANGE")
    if asked is None:
        return
    ranges = parse_range_header(asked)
    if ranges is None or ranges.units != "bytes" or len(ranges.ranges) != 1:
        del request.environ["HTTP_RANGE"]


NUL_MESSAGE = (
    "Запрос не принят: {where} есть символ с кодом 0, которого не бывает в набранном "
    "тексте. Ничего не изменено."
)


def refuse_nul_characters() -> None:
    """400 for a request that carries the character 0 in its address, a field of its form or
    of its JSON body: no keyboard types it, and PostgreSQL stores no text with it — a login,
    a comment or an ФИО with it was a 500 «Внутренняя ошибка» there (the login page's to
    anyone), after the request had got half-way. Checked before any view reads the request."""
    if "\x00" in request.path:
        raise BadInput(NUL_MESSAGE.format(where="в адресе"))
    fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
    for name, value in fields:
        if "\x00" in name or "\x00" in value:
            raise BadInput(NUL_MESSAGE.format(where=f"в поле «{name.replace(chr(0), '')}»"))
    pending = [_json_object()]
    while pending:  # a loop, not recursion: the body may be nested as deep as the decoder goes
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and "\x00" in item:
            raise BadInput(NUL_MESSAGE.format(where="в теле запроса (JSON)"))


def _get(model, ident: int, message: str):
    item = db().get(model, ident) if is_row_id(ident) else None
    if item is None:
        raise NotFound(message)
    return item


def get_document(document_id: int) -> Document:
    return document_by_id(db(), document_id)


def get_batch(batch_id: int) -> Batch:
    return _get(Batch, batch_id, f"Пакет № {batch_id} не найден.")


def get_pair(pair_id: int) -> Pair:
    return _get(Pair, pair_id, f"Пара № {pair_id} не найдена.")


def get_user(user_id: int) -> User:
    return _get(User, user_id, f"Пользователь № {user_id} не найден.")


def get_signer(signer_id: int) -> Signer:
    return _get(Signer, signer_id, f"Ключ подписи № {signer_id} не найден.")


def school_years() -> list[str]:
    """The school years whose section-12 set an inspector can open."""
    return section12_years(db())


def year_form() -> str:
    """How a school year is typed, its example the school year under way (a fixed «2023–2024»
    told in 2026 looked like the year to type)."""
    first = example_year()
    return (
        f"Учебный год пишется так: {example_school_year(first)} (год начала и год окончания) "
        f"или {first}."
    )


def chosen_year(also: Iterable[str] = ()) -> str | None:
    """The «year» of the request as a person types it (``?year=2023–2024``, ``2023-2024``,
    ``2023/24`` or its first year ``2023``), as the register writes it («2023–2024»); None
    for the register's. Not a year: 400; a year neither the archive nor the register (nor
    ``also``: a pair's earlier terms) knows: 404 naming those they know."""
    typed = re.sub(r"\s+", "", request.args.get("year") or "")
    if not typed:
        return None
    if typed.isdigit() and len(typed) == 4:
        typed = f"{typed}-{int(typed) + 1}"
    try:
        year = to_school_year(typed)
    except ValueProblem:
        raise BadInput(year_form()) from None
    known = sorted({*school_years(), *also})
    if year not in known:
        there = " и ".join([", ".join(known[:-1]), known[-1]] if len(known) > 1 else known)
        years = "учебного года" if len(known) == 1 else "учебных годов"
        raise NotFound(
            f"Документов {year} учебного года в реестре и архиве нет."
            + (f" Есть документы {there} {years}." if known else "")
        )
    return year


def organization() -> Organization | None:
    return the_school(db())


def _json_object(strict: bool = False) -> dict | None:
    """The JSON body when the request has one (anything but an object reads as empty). With
    ``strict``, a body that is not JSON or not an object is refused (400) with what it is: it
    read as «Не заполнено поле «password»», which sent the caller looking for a field it
    had sent."""
    if not request.is_json:
        return None
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # brackets nested past the decoder's depth: no form's body
        data = []
    if strict and not isinstance(data, dict) and request.get_data(cache=True).strip():
        what = "не читается как JSON" if data is None else "в JSON — не объект"
        raise BadInput(
            f"Тело запроса {what}: ожидается объект с полями запроса, например "
            '{"comment": "…"}. Ничего не изменено.'
        )
    return data if isinstance(data, dict) else {}


def form_text(
    name: str, label: str, *, required: bool = True, limit: int = 2000, strip: bool = True
) -> str:
    """A text field of the form (or of a JSON body); 400 with a Russian message when a
    required one is missing or too long. Passwords pass ``strip=False``: kept as typed."""
    data = _json_object(strict=True)
    value = data.get(name) if data is not None else request.form.get(name)
    if data is not None and value is not None and not isinstance(value, str):
        raise BadInput(f"Поле «{label}» должно быть текстом (строкой JSON).")
    if not isinstance(value, str):
        value = ""
    elif strip:
        value = value.strip()
    if required and not value:
        raise BadInput(f"Не заполнено поле «{label}».")
    if len(value) > limit:
        raise BadInput(f"Поле «{label}» слишком длинное (не больше {limit} знаков).")
    return value


def form_file(name: str, label: str, *, required: bool = True) -> tuple[str, bytes] | None:
    """An uploaded file's name and bytes; 400 when a required one is missing or empty."""
    item: FileStorage | None = request.files.get(name)
    if item is None or not item.filename:
        if required:
            raise BadInput(f"Не выбран файл: «{label}».")
        return None
    data = item.read()
    if not data and required:
        raise BadInput(
            f"Файл «{clean_name(item.filename, label)}» пуст (0 байт): ничего не загружено. "
            "Выберите файл с содержимым — возможно, этот ещё не сохранён или не скопирован до "
            "конца — и отправьте снова."
        )
    return item.filename, data


def int_arg(name: str, label: str) -> int | None:
    """An optional integer query parameter (400 when it is not a number). The refusal names it
    in the page's words (``label``, «Номер пары»): a user never typed «pair»; the API, whose
    callers do, adds the parameter's name."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    said = f"{label} (параметр «{name}»)" if request.blueprint == "api" else label
    digits = value.removeprefix("-")  # «-1» is a number, only out of range
    if not digits.isdigit() or len(digits) > 12:
        raise BadInput(f"{said} должен быть числом.")
    if not is_row_id(int(value)):
        raise BadInput(f"{said} должен быть от 1 до {MAX_ROW_ID}.")
    return int(value)


def int_list(name: str, label: str) -> list[int]:
    """Checked ids from a form (``name`` repeated) or a JSON list."""
    data = _json_object(strict=True)
    raw = data.get(name, []) if data is not None else request.form.getlist(name)
    if isinstance(raw, int | str):
        raw = [raw]
    ids = []
    for value in raw if isinstance(raw, list) else []:
        text = str(value).strip()
        if not text.isdigit() or len(text) > 12 or not is_row_id(int(text)):
            raise BadInput(f"Неверный номер документа: «{text[:20]}».")
        ids.append(int(text))
    if not ids:
        raise BadInput(f"Не выбрано ни одного документа: {label}.")
    return list(dict.fromkeys(ids))


def document_filter() -> DocumentFilter:
    """The filter from the query string (the page's form and ``GET /api/documents``)."""
    kind = request.args.get("kind", "").strip()
    status = request.args.get("status", "").strip()
    if kind and kind not in BY_ID:
        raise BadInput(f"Неизвестный вид документа: «{kind[:50]}».")
    if status and status not in {*DocumentStatus, DESTROYED}:
        raise BadInput(f"Неизвестное состояние документа: «{status[:50]}».")
    return DocumentFilter(
        kind=kind,
        status=status,
        pair_id=int_arg("pair", "Номер пары"),
        person_id=int_arg("person", "Номер участника"),
        batch_id=int_arg("batch", "Номер пакета"),
    )
