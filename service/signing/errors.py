"""Exceptions of the signing package; their messages are in Russian and may be shown as is."""

from __future__ import annotations


class SigningError(Exception):
    """Base of the signing package's exceptions."""


class WrongPassword(SigningError):
    """The password does not open the private key (or the PKCS#12 file)."""

    def __init__(self, message: str = "Неверный пароль ключа электронной подписи") -> None:
        super().__init__(message)


class UnusableKeyFile(SigningError):
    """A key or certificate file cannot be read or cannot be used for signing."""
