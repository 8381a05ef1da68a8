"""Password hashes without a web framework: the standard library's scrypt, and the hashes of
earlier releases (werkzeug's format) still accepted and replaced at the next login."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from service.register.db import session_scope
from service.register.passwords import hash_password, needs_rehash, verify_password
from service.register.users import add_user, authenticate, find_user


def test_a_new_hash_is_a_salted_phc_scrypt_string():
    first, second = hash_password("пароль-директора"), hash_password("пароль-директора")
    assert first.startswith("$scrypt$ln=15,r=8,p=1$")
    assert first != second  # a fresh salt every time
    assert verify_password(first, "пароль-директора") is True
    assert verify_password(first, "пароль-директорА") is False
    assert needs_rehash(first) is False


@pytest.mark.parametrize(
    "method",
    ["scrypt", "scrypt:16384:8:1", "pbkdf2:sha256:600000", "pbkdf2:sha256"],
)
def test_hashes_of_earlier_releases_are_verified(method):
    stored = generate_password_hash("старый пароль", method=method)
    assert verify_password(stored, "старый пароль") is True
    assert verify_password(stored, "старый пароль ") is False
    assert needs_rehash(stored) is True


@pytest.mark.parametrize(
    "stored",
    ["", "plain", "md5$salt$abc", "$scrypt$ln=15,r=8$c2FsdA$aGFzaA", "scrypt:x:8:1$salt$00"],
)
def test_a_damaged_hash_matches_no_password(stored):
    assert verify_password(stored, "plain") is False


def test_the_login_replaces_a_werkzeug_hash(settings):
    with session_scope(settings.database_url) as s:
        user, _ = add_user(s, "ivanova", "Иванова Анна Петровна", ["secretary"], "x" * 8)
        user.password_hash = generate_password_hash("старый-пароль-1")
    with session_scope(settings.database_url) as s:
        assert authenticate(s, "ivanova", "не тот пароль").message == "Неверный логин или пароль."
        assert find_user(s, "ivanova").password_hash.startswith("scrypt:32768:8:1$")
        assert authenticate(s, "ivanova", "старый-пароль-1").user.login == "ivanova"
    with session_scope(settings.database_url) as s:
        stored = find_user(s, "ivanova").password_hash
        assert stored.startswith("$scrypt$ln=15,r=8,p=1$")
        assert verify_password(stored, "старый-пароль-1") is True
        assert authenticate(s, "ivanova", "старый-пароль-1").user.login == "ivanova"
        assert find_user(s, "ivanova").password_hash == stored  # today's hash stays
