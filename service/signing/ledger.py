"""The ledger: every event of the register, hashed as a Merkle tree in the manner of
Certificate Transparency (RFC 6962). Leaves are the canonical bytes of the events in order;
a checkpoint is a tree head (size, root, time) signed by the school's CA, to be printed or sent
to the founding authority. ``verify_ledger`` recomputes everything and names the first entry
that does not match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.register.events import GENESIS, entry_bytes, verify_chain
from service.register.models import Checkpoint, Event
from service.signing import merkle
from service.signing.authority import load_ca_certificate, unlock_ca
from service.signing.cms import sign_detached, verify_detached
from service.signing.errors import SigningError
from service.store import FileStore, atomic_write


def leaves(session: Session) -> tuple[list[Event], list[bytes]]:
    events = list(session.scalars(select(Event).order_by(Event.id)))
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
    """Recompute the hash chain, the Merkle root and every checkpoint."""
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
    trust = [load_ca_certificate(var)]
    for point in session.scalars(select(Checkpoint).order_by(Checkpoint.id)):
        if point.size > len(data) or merkle.root(data[: point.size]).hex() != point.root:
            first = _first_difference(events, point.size)
            return LedgerVerdict(
                False,
                len(events),
                root_hex,
                f"Журнал не совпадает с контрольной точкой № {point.id} "
                f"(размер {point.size}): записи до неё изменены.",
                first,
            )
        head = tree_head_text(point.size, point.root, point.at)
        p7s = (
            store.get(point.signature_sha256)
            if point.signature_sha256 and store.has(point.signature_sha256)
            else b""
        )
        if not verify_detached(head, p7s, trust).bottom_line:
            return LedgerVerdict(
                False, len(events), root_hex, f"Подпись контрольной точки № {point.id} не верна."
            )
    return LedgerVerdict(
        True, len(events), root_hex, f"Журнал цел: записей {len(events)}, корень {root_hex}."
    )


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


def write_checkpoint(
    session: Session, var: Path, store: FileStore, ca_password: str
) -> tuple[Checkpoint, Path]:
    """Sign the current tree head with the CA; also written to ``var/ledger/`` for printing."""
    ca_key, ca_cert = unlock_ca(var, ca_password)
    events, data = leaves(session)
    at = datetime.now().replace(microsecond=0)
    root_hex = merkle.root(data).hex() if data else merkle.root([]).hex()
    head = tree_head_text(len(data), root_hex, at)
    signature = sign_detached(head, ca_key, ca_cert, [])
    point = Checkpoint(size=len(data), root=root_hex, at=at, signature_sha256=store.put(signature))
    session.add(point)
    session.flush()
    folder = var / "ledger"
    path = folder / f"checkpoint-{point.id:04d}.txt"
    atomic_write(path, head)
    atomic_write(path.with_suffix(".txt.p7s"), signature)
    return point, path


__all__ = [
    "GENESIS",
    "LedgerVerdict",
    "inclusion_proof_for_document",
    "verify_ledger",
    "write_checkpoint",
]
