"""One error base: every failure the service expects is a :class:`NastavnikError` with a
Russian message and the HTTP status it means, translated once per adapter."""

from __future__ import annotations

import pytest

from service.archive.errors import ArchiveError
from service.archive.packs import PackError
from service.documents.template_files import UnknownKind
from service.errors import BadInput, Conflict, NastavnikError, NotFound
from service.intake.guard import WorkbookRefused
from service.register.schema import SchemaError
from service.register.users import UserError
from service.signing.errors import SigningError, UnusableKeyFile, WeakPassword, WrongPassword
from service.signing.signer import KeyLocked, OwnerPasswordMissing
from service.uploads import UploadError
from service.web.errors import WebError


@pytest.mark.parametrize(
    "error, base, status",
    [
        (UserError("Укажите ФИО пользователя."), BadInput, 400),
        (UploadError("Файл скана пуст."), BadInput, 400),
        (WorkbookRefused("Книга слишком большая."), BadInput, 400),
        (WeakPassword("Пароль ключа короткий."), SigningError, 400),
        (WrongPassword(), SigningError, 403),
        (PackError("Нет документов."), NotFound, 404),
        (UnknownKind("Неизвестный вид документа «x»."), NotFound, 404),
        (SigningError("Документ уже подписан."), Conflict, 409),
        (UnusableKeyFile("Файл ключа не читается."), SigningError, 409),
        (OwnerPasswordMissing("director"), SigningError, 409),
        (ArchiveError("Папка не пуста."), Conflict, 409),
        (SchemaError("База новее программы."), NastavnikError, 500),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else str(v),
)
def test_every_domain_error_has_one_base_and_a_status(error, base, status):
    assert isinstance(error, base) and isinstance(error, NastavnikError)
    assert error.status == status
    assert str(error) == error.message


def test_a_locked_key_is_423_and_says_until_when():
    from datetime import datetime

    error = KeyLocked(datetime(2026, 11, 30, 15, 45))
    assert error.status == 423
    assert error.message.endswith(
        "попробуйте после 15:45. Если пароль ключа забыт, попросите администратора выпустить "
        "новый ключ взамен этого: снять блокировку он не может."
    )


def test_domain_errors_are_no_longer_value_or_lookup_errors():
    """``except ValueError`` must not turn a programming error into a polite message, nor a
    domain error pass for one."""
    for error in (UserError("x"), UploadError("x"), PackError("x"), UnknownKind("x")):
        assert not isinstance(error, (ValueError, LookupError))
    assert WebError is NastavnikError
