"""The ledger: every event of the register, hashed as a Merkle tree in the manner of
Certificate Transparency (RFC 6962). Leaves are the canonical bytes of the events in order;
a checkpoint is a tree head (size, root, time) signed by the school's CA, to be printed or sent
to the founding authority. ``verify_ledger`` recomputes everything and names the first entry
that does not match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from service.register.events import GENESIS, entry_bytes, verify_chain
from service.register.ledger import checkpoints, imported_chains, ledger_events
from service.register.models import Checkpoint, Event
from service.signing import merkle
from service.signing.audit import register_problems
from service.signing.authority import load_ca_certificate
from service.signing.ca import certs_from_pem
from service.signing.cms import verify_detached
from service.signing.errors import SigningError
from service.signing.signer import KeySigner, open_ca
from service.signing.stored import store_problems
from service.store import FileStore, atomic_write


def leaves(session: Session) -> tuple[list[Event], list[bytes]]:
    events = ledger_events(session)
    return events, [entry_bytes(e) for e in events]


def tree_head_text(size: int, root_hex: str, at: datetime) -> bytes:
    """The signed statement of a checkpoint, readable on paper."""
    return (
        f"Журнал событий: контрольная точка\nразмер: {size}\nкорень: {root_hex}\n"
        f"время: {at.isoformat()}\n"
    ).encode()


@dataclass
class LedgerVerdict:
    ok: bool
    size: int
    root: str
    message: str
    first_bad_event: int | None = None


def verify_ledger(session: Session, var: Path, store: FileStore) -> LedgerVerdict:
    """Recompute the hash chain, the Merkle root and every checkpoint (in the register and in
    ``var/ledger/``), then check the register's signatures and order journal against the
    ledger, and the stored files of the current documents against their SHA-256."""
    events, data = leaves(session)
    root_hex = merkle.root(data).hex()
    bad = verify_chain(session)
    if bad is not None:
        return LedgerVerdict(
            False,
            len(events),
            root_hex,
            f"Запись журнала № {bad} изменена или удалена: её хеш не совпадает с цепочкой.",
            bad,
        )
    trust = _trust(session, var)
    points = checkpoints(session)
    for point in points:
        p7s = store.get_if_intact(point.signature_sha256)
        problem = _checkpoint_problem(point.id, point.size, point.root, point.at, p7s, data, trust)
        if problem:
            return LedgerVerdict(
                False, len(events), root_hex, problem, _first_difference(events, point.size)
            )
    known = {point.id for point in points}
    for number, size, root, at, p7s in _checkpoint_files(var):
        problem = _checkpoint_problem(number, size, root, at, p7s, data, trust)
        if problem is None and number not in known:
            problem = f"Контрольная точка № {number} есть в папке var/ledger, но удалена из базы."
        if problem:
            return LedgerVerdict(False, len(events), root_hex, problem)
    problems = register_problems(session, events)
    if problems:
        return LedgerVerdict(
            False, len(events), root_hex, "Реестр не совпадает с журналом:\n" + "\n".join(problems)
        )
    changed, missing = store_problems(session, store)
    if changed or missing:
        parts = []
        if changed:
            parts.append(
                "Файлы хранилища изменены на диске после записи (их SHA-256 не совпадает с "
                "реестром); восстановите их из резервной копии:\n" + "\n".join(changed)
            )
        if missing:
            parts.append(
                "Файлов подписанных документов нет в хранилище (var/store): они удалены в обход "
                "сервиса; восстановите их из резервной копии:\n" + "\n".join(missing)
            )
        return LedgerVerdict(False, len(events), root_hex, "\n".join(parts))
    return LedgerVerdict(
        True, len(events), root_hex, f"Журнал цел: записей {len(events)}, корень {root_hex}."
    )


def _trust(session: Session, var: Path) -> list:
    """The school's CA and the issuers of imported keys: a checkpoint after a signing batch
    is signed by the signer's own key."""
    trust = [load_ca_certificate(var)]
    for chain in imported_chains(session):
        trust += certs_from_pem(chain.encode())
    return trust


def _checkpoint_problem(
    number: int, size: int, root: str, at: datetime, p7s: bytes, data: list[bytes], trust: list
) -> str | None:
    if size > len(data):
        return (
            f"Журнал короче контрольной точки № {number}: в ней записей {size}, в журнале "
            f"{len(data)} — конец журнала удалён."
        )
    if merkle.root(data[:size]).hex() != root:
        return (
            f"Журнал не совпадает с контрольной точкой № {number} (размер {size}): записи до "
            "неё изменены."
        )
    head = tree_head_text(size, root, at)
    moment = at.astimezone(UTC) if at.tzinfo is None else at
    if not verify_detached(head, p7s, trust, at=moment).bottom_line:
        return f"Подпись контрольной точки № {number} не верна."
    return None


def _checkpoint_files(var: Path) -> list[tuple[int, int, str, datetime, bytes]]:
    """Checkpoints as written to ``var/ledger/`` (number, size, root, time, signature)."""
    found = []
    for path in sorted((var / "ledger").glob("checkpoint-*.txt")):
        try:
            number = int(path.stem.removeprefix("checkpoint-"))
            fields = dict(
                line.split(": ", 1) for line in path.read_text("utf-8").splitlines()[1:] if line
            )
            at = datetime.fromisoformat(fields["время"])
            signature = path.with_suffix(".txt.p7s")
            p7s = signature.read_bytes() if signature.is_file() else b""
            found.append((number, int(fields["размер"]), fields["корень"], at, p7s))
        except (ValueError, KeyError, OSError):
            found.append((0, 0, "", datetime.now(), b""))  # reported as a bad signature
    return found


def _first_difference(events: list[Event], size: int) -> int | None:
    return events[min(size, len(events)) - 1].id if events else None


def inclusion_proof_for_document(session: Session, document_id: int) -> dict:
    """RFC 6962 inclusion proof of the document's latest signature entry in today's tree."""
    events, data = leaves(session)
    index = next(
        (
            i
            for i in range(len(events) - 1, -1, -1)
            if events[i].document_id == document_id
            and events[i].kind in ("document_signed", "scan_attached")
        ),
        None,
    )
    if index is None:
        raise SigningError(f"У документа № {document_id} нет записи о подписи в журнале.")
    proof = merkle.inclusion_proof(index, data)
    root = merkle.root(data)
    assert merkle.verify_inclusion(data[index], index, len(data), proof, root)
    return {
        "document": document_id,
        "event": events[index].id,
        "kind": events[index].kind,
        "index": index,
        "tree_size": len(data),
        "root": root.hex(),
        "leaf_hash": merkle.leaf_hash(data[index]).hex(),
        "entry": data[index].decode("utf-8"),
        "proof": [h.hex() for h in proof],
    }


def add_checkpoint(
    session: Session, store: FileStore, signer: KeySigner
) -> tuple[Checkpoint, bytes, bytes]:
    """Sign the current tree head with ``signer`` (the CA, or a signer after a signing batch)
    and record it; returns the checkpoint, its text and its signature."""
    events, data = leaves(session)
    at = datetime.now().replace(microsecond=0)
    root_hex = merkle.root(data).hex()
    head = tree_head_text(len(data), root_hex, at)
    signature = signer.sign(head)
    point = Checkpoint(size=len(data), root=root_hex, at=at, signature_sha256=store.put(signature))
    session.add(point)
    session.flush()
    return point, head, signature


def signer_checkpoint(
    session: Session, store: FileStore, signer: KeySigner
) -> tuple[int, bytes, bytes]:
    """A checkpoint signed with the signer's own key after a signing batch (the CA's password
    is not at hand then): a ledger whose end is later cut off no longer reaches it."""
    point, head, signature = add_checkpoint(session, store, signer)
    return point.id, head, signature


def save_checkpoint_files(var: Path, number: int, head: bytes, signature: bytes) -> Path:
    """``var/ledger/checkpoint-NNNN.txt`` and its ``.p7s``, for printing and for
    :func:`verify_ledger` (a copy outside the database)."""
    path = var / "ledger" / f"checkpoint-{number:04d}.txt"
    atomic_write(path, head)
    atomic_write(path.with_suffix(".txt.p7s"), signature)
    return path


def write_checkpoint(
    session: Session, var: Path, store: FileStore, ca_password: str
) -> tuple[Checkpoint, Path]:
    """Sign the current tree head with the CA; also written to ``var/ledger/`` for printing."""
    point, head, signature = add_checkpoint(session, store, open_ca(var, ca_password))
    return point, save_checkpoint_files(var, point.id, head, signature)


__all__ = [
    "GENESIS",
    "LedgerVerdict",
    "inclusion_proof_for_document",
    "verify_ledger",
    "write_checkpoint",
]
