"""One exception base for every failure the service expects: a Russian ``message`` that may be
shown as is and the HTTP ``status`` it means. The adapters translate it in one place each: the
web error handler (a page, or JSON for ``/api/``), the CLI's command group (``Ошибка: …`` and
exit code 1), the watcher loop (the workbook's error report). Anything else is a bug and is
logged as one, never turned into a polite message."""

from __future__ import annotations


class NastavnikError(Exception):
    """An expected failure: ``message`` in Russian for people, ``status`` for HTTP."""

    status = 400
    title: str | None = None
    """The heading of its error page when not its status's (:data:`service.web.errors.TITLES`)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class BadInput(NastavnikError):
    """What was typed, chosen or uploaded cannot be used (400)."""

    status = 400


class Forbidden(NastavnikError):
    """The person may not do this (403)."""

    status = 403


class NotFound(NastavnikError):
    """No such document, batch, pair, kind… (404)."""

    status = 404


class Conflict(NastavnikError):
    """Not possible in the register's present state: already signed, not yet archived… (409)."""

    status = 409


class Busy(NastavnikError):
    """Another writer holds the register, or a resource is in use: try again later (503)."""

    status = 503
