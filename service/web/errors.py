"""One exception base that carries an HTTP status and a Russian message, and one handler that
renders every error — ours, Werkzeug's, CSRF, a file too large, a bug — as a page or as JSON
``{"error": "…"}`` for ``/api/``."""

from __future__ import annotations

import logging

from flask import Flask, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from service.errors import BadInput, Forbidden, NastavnikError, NotFound
from service.register.db import is_locked_error, session_scope
from service.register.events import append_event
from service.store import DamagedFile

log = logging.getLogger("nastavnik.web")

PLAIN_HTTP_MESSAGE = (
    "Сервис настроен на вход только по защищённому соединению (https), а страница открыта "
    "по http: браузер не вернул сервису код входа. Откройте адрес через https или попросите "
    "администратора установить NASTAVNIK_COOKIE_SECURE=no для работы внутри школьной сети."
)
"""A form sent over http to a service whose cookies are https-only (its CSRF check fails)."""

MESSAGES = {
    400: "Неверный запрос.",
    401: "Нужно войти в систему.",
    403: "Нет доступа: эта страница не для вашей роли.",
    404: "Не найдено: такой страницы или документа нет.",
    405: "Этот адрес открывается кнопкой на странице, а не ссылкой, закладкой или из адресной "
    "строки. Вернитесь на страницу и нажмите кнопку ещё раз.",
    409: "Действие сейчас невозможно.",
    503: "Реестр занят другой записью (например, подписью или обработкой книги; большая "
    "книга обрабатывается несколько минут): повторите чуть позже. Ничего не изменено.",
    413: "Файл слишком большой.",
    416: "Запрошена часть файла за его концом (докачка прерванной загрузки?). Скачайте файл "
    "заново целиком.",
    423: "Заблокировано после неверных паролей: попробуйте позже.",
    500: "Внутренняя ошибка сервиса. Попробуйте ещё раз; если повторится — сообщите "
    "администратору (подробности записаны в журнал var/nastavnik.log).",
}
READ_ONLY = (
    "Страница только открывается",
    "На эту страницу ничего не отправляют: она только открывается ссылкой. Откройте её заново "
    "и нажмите кнопку на ней. Ничего не изменено.",
)
"""The title and text of a 405 to a form sent to a page that only opens (GET)."""
_OTHER_STATUS = (
    "Сервис не может ответить на такой запрос. Вернитесь на главную страницу и откройте нужную "
    "страницу оттуда; если повторится — сообщите администратору."
)
"""Any other HTTP error Werkzeug raises (its own description is English)."""
TITLES = {
    400: "Ошибка в запросе",
    401: "Нужен вход",
    403: "Нет доступа",
    404: "Не найдено",
    405: "Адрес открывается кнопкой",
    409: "Невозможно",
    413: "Слишком большой файл",
    416: "Не та часть файла",
    423: "Заблокировано",
    503: "Повторите",
    500: "Ошибка сервиса",
}


WebError = NastavnikError
"""The web's name for the one error base (:mod:`service.errors`)."""
__all__ = [
    "BadInput",
    "Forbidden",
    "NotFound",
    "WebError",
    "error_response",
    "init_app",
    "refusals_flash_to",
]


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def error_response(
    status: int, message: str, title: str | None = None
) -> Response | tuple[str, int]:
    if wants_json():
        response = jsonify({"error": message})
        response.status_code = status
        return response
    title = title or TITLES.get(status, "Ошибка")
    return render_template("errors/error.html", status=status, title=title, message=message), status


def refusals_flash_to(endpoint: str, prefix: str = "", **args: object) -> None:
    """From here on in this page request, a domain refusal (:class:`NastavnikError`) is shown
    as a flash message (``prefix`` + its message) on ``endpoint`` — called with this view's own
    URL arguments and ``args`` — instead of an error page: e.g. a refused signature back on its
    confirmation page, the same documents chosen. Called by a form view after its own fields
    are checked (a bad field stays a 400 page); the one error handler does the rest. JSON
    requests are not affected."""
    g.refusals_flash_to = (endpoint, prefix, args)


def after_colon(message: str) -> str:
    """A sentence continued after «…: »: its first word lower-cased («Ничего не подписано:
    неверный пароль…», «…: у пользователя…»), unless it is an abbreviation or a name written
    in capitals («УЦ…»)."""
    if len(message) > 1 and message[0].isupper() and (message[1].islower() or message[1] == " "):
        return message[0].lower() + message[1:]
    return message


def _flashed_refusal(exc: NastavnikError):
    endpoint, prefix, args = g.refusals_flash_to
    flash(f"{prefix}{after_colon(exc.message) if prefix else exc.message}", "error")
    return redirect(url_for(endpoint, **(request.view_args or {}), **args))


def _too_large_message() -> str:
    """What was too large: the request (past ``MAX_CONTENT_LENGTH``), or — a request within it
    — the form's number of parts or a field kept in memory (Werkzeug's ``MAX_FORM_PARTS``,
    ``MAX_FORM_MEMORY_SIZE``): a form of 1,500 small parts was told its file was over 20 MB."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length <= limit:
        parts = current_app.config.get("MAX_FORM_PARTS") or 1000
        return (
            f"Форма слишком велика: в ней больше {parts} полей и файлов или поле длиннее "
            f"{(current_app.config.get('MAX_FORM_MEMORY_SIZE') or 500_000) // 1000} КБ. Ничего "
            "не сохранено: отправьте форму со страницы сервиса."
        )
    return (
        f"Файл слишком большой: можно загрузить не больше {limit // (1024 * 1024)} МБ. Ничего "
        "не сохранено."
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(NastavnikError)
    def _expected_error(exc: NastavnikError):  # every domain error, one translation
        if "refusals_flash_to" in g and not wants_json():
            return _flashed_refusal(exc)
        return error_response(exc.status, exc.message, exc.title)

    @app.errorhandler(DamagedFile)
    def _damaged_file(exc: DamagedFile):  # a domain error too, which is also recorded
        _record_damaged_file(exc)
        return _expected_error(exc)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        from flask_login import current_user

        if app.config.get("SESSION_COOKIE_SECURE") and not request.is_secure:
            return error_response(400, PLAIN_HTTP_MESSAGE)  # the browser kept the cookie back
        if not (wants_json() or current_user.is_authenticated or request.endpoint == "auth.login"):
            # the session ended while the form was open (logged out in another tab, expired):
            # its code went with it — «Форма устарела… обновите страницу» sent him round again
            return app.login_manager.unauthorized()
        return error_response(
            400,
            "Форма устарела или отправлена не с этой страницы (нет проверочного кода). "
            "Обновите страницу и отправьте форму снова.",
        )

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        title = None
        if status == 413:
            message = _too_large_message()
        elif status == 405 and wants_json():  # a program, not a person at a form
            message = "Этот адрес API не принимает метод " + request.method + "."
        elif status == 405 and request.method not in ("GET", "HEAD"):
            # a form sent to a page that only opens (a stale page's button, a hand-made
            # request): «…открывается кнопкой» told the user to press the button he pressed
            title, message = READ_ONLY
        else:
            message = MESSAGES.get(status, _OTHER_STATUS)
        response = app.make_response(error_response(status, message, title))
        if status == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # the web error handler is a translation point
        if is_locked_error(exc):
            log.warning("база занята дольше ожидания: %s %s", request.method, request.path)
            response = app.make_response(error_response(503, MESSAGES[503]))
            response.headers["Retry-After"] = "5"
            return response
        log.exception("ошибка при обработке %s %s", request.method, request.path)
        return error_response(500, MESSAGES[500])


def _record_damaged_file(exc: DamagedFile) -> None:
    """A ledger entry for a refused changed file (in a transaction of its own: the request's
    may be half-way through something else)."""
    from flask_login import current_user

    actor = current_user.login if current_user.is_authenticated else "web"
    try:
        with session_scope(current_app.config["NASTAVNIK"].database_url) as session:
            append_event(
                session,
                "store_file_changed",
                actor=actor,
                details={"sha256": exc.sha256, "request": f"{request.method} {request.path}"},
            )
    except Exception:  # the refusal itself must still be answered
        log.exception("запись об изменённом файле не внесена в журнал")
