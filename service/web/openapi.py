"""The OpenAPI 3.1 description of ``/api/``, written as data. A test checks that every API
route is here with its methods and roles."""

from __future__ import annotations

import copy
from typing import Any

ERROR = {"$ref": "#/components/responses/Error"}
JSON_OK = {"description": "JSON", "content": {"application/json": {"schema": {"type": "object"}}}}


def _id(name: str, what: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
        "description": what,
    }


def _query(name: str, what: str, kind: str = "string") -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": kind},
        "description": what,
    }


def _op(summary: str, roles: tuple[str, ...], *, params=(), body=None, ok=None, errors=()) -> dict:
    op: dict[str, Any] = {
        "summary": summary,
        "x-roles": list(roles),
        "parameters": list(params),
        "responses": {"200": ok or JSON_OK, "401": ERROR, "403": ERROR},
    }
    for code in errors:
        op["responses"][str(code)] = ERROR
    if body is not None:
        op["requestBody"] = body
    return op


ZIP_PACK = (
    "application/zip. Тот же состав — тот же файл байт в байт: сильный ETag, докачка (Range с "
    "If-Range по ETag; после новой подписи или документа — новый ETag и весь новый файл; "
    "If-Range с датой — весь файл), If-None-Match."
)


def _file(description: str) -> dict:
    return {"description": description, "content": {"application/octet-stream": {}}}


def _form(required: list[str], properties: dict) -> dict:
    schema = {"type": "object", "required": required, "properties": properties}
    return {"required": True, "content": {"multipart/form-data": {"schema": schema}}}


def _json_body(required: list[str], properties: dict) -> dict:
    schema = {"type": "object", "required": required, "properties": properties}
    return {
        "required": True,
        "content": {
            "application/json": {"schema": schema},
            "application/x-www-form-urlencoded": {"schema": schema},
        },
    }


READERS = ("secretary", "director", "curator", "inspector")
ALL = ("secretary", "director", "curator", "inspector", "admin")
DOC = _id("document_id", "Номер документа (версии) в реестре.")
BATCH = _id("batch_id", "Номер пакета (обработанной книги).")
YEAR = _query("year", "Учебный год, например 2023–2024 или 2023 (по умолчанию — текущий реестра).")
BINARY = {"type": "string", "format": "binary"}

_PATHS: dict[str, dict] = {
    "/api/openapi.json": {"get": _op("Это описание API.", ALL)},
    "/api/me": {"get": _op("Кто я: логин, ФИО, роли.", ALL)},
    "/api/documents": {
        "get": _op(
            "Документы с фильтрами (без фильтра состояния — все, кроме заменённых).",
            READERS,
            params=[
                _query("kind", "Вид документа, например order_pairs."),
                _query(
                    "status",
                    "generated, awaiting_signature, signed, returned, archived (хранимые в "
                    "архиве), destroyed (уничтоженные по акту), superseded.",
                ),
                _query("pair", "Номер пары: документы пары и её участников.", "integer"),
                _query("person", "Номер участника: его документы и документы его пар.", "integer"),
                _query("batch", "Номер пакета.", "integer"),
            ],
            errors=(400,),
        )
    },
    "/api/documents/{document_id}": {
        "get": _op(
            "Один документ: состояние, номер, подписи.", READERS, params=[DOC], errors=(404,)
        )
    },
    "/api/documents/{document_id}/file": {
        "get": _op("Файл документа (DOCX).", READERS, params=[DOC], ok=_file("DOCX"), errors=(404,))
    },
    "/api/documents/{document_id}/signatures/{signature_id}": {
        "get": _op(
            "Файл подписи: .p7s (CMS, DER) для электронной, скан для бумажной.",
            READERS,
            params=[DOC, _id("signature_id", "Номер подписи.")],
            ok=_file("application/pkcs7-signature или скан"),
            errors=(404,),
        )
    },
    "/api/documents/{document_id}/sign": {
        "post": _op(
            "Подписать документ ключом текущего пользователя.",
            ("director", "curator"),
            params=[DOC],
            body=_json_body(["password"], {"password": {"type": "string"}}),
            errors=(400, 404, 409),
        )
    },
    "/api/documents/{document_id}/return": {
        "post": _op(
            "Вернуть документ без подписи, с комментарием.",
            ("director", "curator"),
            params=[DOC],
            body=_json_body(["comment"], {"comment": {"type": "string"}}),
            errors=(400, 404, 409),
        )
    },
    "/api/documents/{document_id}/resubmit": {
        "post": _op(
            "Вернуть возвращённый документ на подпись без изменений, с ответом на комментарий "
            "(answer, 1–1000 знаков): та же версия снова ждёт подписи; в thread документа — "
            "комментарии и ответы (kind: returned или resubmitted, login, name, at, text; у "
            "возврата ещё role — director или curator — и who, «куратор Бутрина О.Н.»).",
            ("secretary", "admin"),
            params=[DOC],
            body=_json_body(["answer"], {"answer": {"type": "string", "maxLength": 1000}}),
            errors=(400, 404, 409),
        )
    },
    "/api/batches": {
        "get": _op("Пакеты (обработанные книги), новые первыми.", ("secretary", "curator")),
        "post": _op(
            "Загрузить книгу Excel: обрабатывается так же, как положенная в inbox/. Ответ 202: "
            "номер пакета (или null, пока книга ждёт очереди) и SHA-256 файла; ответ 200 с "
            "duplicate: true и message — та же книга уже обработана (batch — тот пакет), "
            "ничего не изменено.",
            ("secretary",),
            body=_form(["file"], {"file": BINARY}),
            errors=(400, 413),
        ),
    },
    "/api/watcher": {
        "get": _op(
            "Наблюдение за папкой inbox: state (waiting, busy, silent, stopped, dead, absent), "
            "ok, text — фраза для людей, heartbeat — последний отклик, file — файл в работе.",
            ("secretary", "admin"),
        )
    },
    "/api/batches/{batch_id}": {
        "get": _op(
            "Состояние пакета, ход обработки (documents_done из documents_total), документы; "
            "drafts_withdrawn — отозванные черновики (содержание снова как у подписанной версии).",
            ("secretary", "curator"),
            params=[BATCH],
            errors=(404,),
        )
    },
    "/api/batches/{batch_id}/report": {
        "get": _op(
            "Отчёт о проверке книги (для отклонённой — все ошибки).",
            ("secretary", "curator"),
            params=[BATCH],
            errors=(404,),
        )
    },
    "/api/verify": {
        "post": _op(
            "Проверить файл (и, если приложен, его .p7s): то же, что `nastavnik verify`.",
            ("inspector", "curator"),
            body=_form(["file"], {"file": BINARY, "signature": BINARY}),
            errors=(400, 413),
        )
    },
    "/api/section12": {
        "get": _op(
            "Комплектность раздела 12: восемь документов, подписи, номера.",
            ("curator", "inspector"),
            params=[YEAR],
            errors=(404,),
        )
    },
    "/api/packs/section12": {
        "get": _op(
            "ZIP раздела 12: Опись.xlsx, документы, .p7s, ca.pem.",
            ("curator", "inspector"),
            params=[YEAR],
            ok=_file(ZIP_PACK),
            errors=(404,),
        )
    },
    "/api/packs/batches/{batch_id}": {
        "get": _op(
            "ZIP всех документов пакета.",
            ("curator",),
            params=[BATCH],
            ok=_file(ZIP_PACK),
            errors=(404,),
        )
    },
    "/api/packs/pairs/{pair_id}": {
        "get": _op(
            "ZIP документов пары и её участников (с year — того учебного года: прежний срок "
            "пары, продолженной под тем же кодом).",
            ("curator",),
            params=[_id("pair_id", "Номер пары."), YEAR],
            ok=_file(ZIP_PACK),
            errors=(404,),
        )
    },
}

_DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Наставничество — документы: API",
        "version": "1.0",
        "description": "Документы программы наставничества для других систем школы. Вход: "
        "cookie сеанса (для POST — заголовок X-CSRFToken) или токен пользователя в заголовке "
        "Authorization: Bearer (выдаётся на странице «Учётная запись»). Ошибки — "
        '{"error": "…"} с кодом ответа.',
    },
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}, {"session": []}],
    "paths": _PATHS,
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "nastavnik_session"},
        },
        "responses": {
            "Error": {
                "description": "Ошибка",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["error"],
                            "properties": {"error": {"type": "string"}},
                        }
                    }
                },
            }
        },
    },
}


def openapi_document() -> dict[str, Any]:
    """A copy of the description (callers may change it)."""
    return copy.deepcopy(_DOCUMENT)
