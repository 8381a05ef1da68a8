"""Wrong passwords of the school CA, counted as a signer key's are: five in a row lock the CA
for 15 minutes. The administrator's page asks for the CA password (a new signer's certificate),
so a session left open, or a stolen cookie, could try passwords there without end — and the CA
password is what keeps an administrator from issuing himself the director's key.

The CA has no row in the register; its count is kept beside its key, in
``var/ca/password-attempts`` («<count> <locked until, ISO, or ->»), read and written under an
exclusive ``flock``, so the pages and every command count together. As for keys, an attempt
takes its number *before* the password is tried: parallel guesses past the limit are refused
without a try."""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import NoReturn

from service.signing.authority import ca_dir
from service.signing.errors import SigningError, WrongPassword

MAX_CA_ATTEMPTS = 5
CA_LOCK_MINUTES = 15
ATTEMPTS_FILE = "password-attempts"
log = logging.getLogger("nastavnik.signing")


class CaLocked(SigningError):
    """The CA is locked after too many wrong passwords; the message says until when."""

    status = 423

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(
            f"Удостоверяющий центр школы заблокирован после {MAX_CA_ATTEMPTS} неверных паролей "
            f"подряд: попробуйте после {until:%H:%M}."
        )


@contextmanager
def _counter(var: Path) -> Iterator[list]:
    """``[count, until]`` of the file, written back when the block ends, under the lock."""
    fd = os.open(ca_dir(var) / ATTEMPTS_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        words = os.pread(fd, 100, 0).decode("ascii", "replace").split()
        try:
            state = [int(words[0]), None if words[1] == "-" else datetime.fromisoformat(words[1])]
        except (IndexError, ValueError):  # new, or not ours: counted from nothing
            state = [0, None]
        yield state
        until = state[1].isoformat() if state[1] is not None else "-"
        text = f"{state[0]} {until}\n".encode("ascii")
        os.ftruncate(fd, 0)
        os.pwrite(fd, text, 0)
    finally:
        os.close(fd)  # the lock goes with the descriptor


def take_ca_attempt(var: Path, now: datetime) -> int:
    """Count this attempt before its password is tried; :class:`CaLocked` while locked."""
    with _counter(var) as state:
        if state[1] is not None:
            if state[1] > now:
                raise CaLocked(state[1])
            state[:] = [0, None]
        state[0] += 1
        attempt = state[0]
        if attempt > MAX_CA_ATTEMPTS:  # parallel guesses past the limit: no try at all
            # and the lock is written: a fifth attempt that never came back (its process
            # killed while the key was decrypted) left the count without a time, and every
            # attempt after it, the right password too, was refused without end
            state[1] = now + timedelta(minutes=CA_LOCK_MINUTES)
        until = state[1]
    if attempt > MAX_CA_ATTEMPTS:  # raised out of the block: the block writes the file back
        raise CaLocked(until)
    return attempt


def refuse_ca_password(var: Path, attempt: int, now: datetime) -> NoReturn:
    """The attempt was counted when it began; the one that reached the limit locks the CA."""
    if attempt < MAX_CA_ATTEMPTS:
        raise WrongPassword(
            f"Неверный пароль удостоверяющего центра школы (осталось попыток: "
            f"{MAX_CA_ATTEMPTS - attempt}, затем центр будет заблокирован на "
            f"{CA_LOCK_MINUTES} минут)."
        )
    until = now + timedelta(minutes=CA_LOCK_MINUTES)
    with _counter(var) as state:
        state[1] = until
    log.warning("пароль УЦ: %s неверных подряд, заблокирован до %s", attempt, until)
    raise CaLocked(until)


def reset_ca_attempts(var: Path) -> None:
    """A right password clears the count."""
    with _counter(var) as state:
        state[:] = [0, None]
