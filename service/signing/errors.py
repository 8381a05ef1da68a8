"""Exceptions of the signing package; their messages are in Russian and may be shown as is."""

from __future__ import annotations

from service.errors import Conflict


class SigningError(Conflict):
    """Base of the signing package's exceptions: not possible as asked (409 unless said)."""


class WrongPassword(SigningError):
    """The password does not open the private key (or the PKCS#12 file)."""

    status = 403
    title = "Неверный пароль"  # not the 403's «Нет доступа»: the page was the user's own

    def __init__(self, message: str = "Неверный пароль ключа электронной подписи") -> None:
        super().__init__(message)


class UnusableKeyFile(SigningError):
    """A key or certificate file cannot be read or cannot be used for signing."""


class WeakPassword(SigningError):
    """A new key password too short to protect a key that may leave with a copy of the base."""

    status = 400
