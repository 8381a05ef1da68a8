"""Inclusion proofs of ledger entries, many at once.

:func:`service.signing.ledger.inclusion_proof_for_document` rebuilds the tree for one proof;
an export proves thousands of entries against one checkpoint, so here the tree's levels are
built once (RFC 6962 trees are the level-by-level trees in which an unpaired last node moves
up unchanged) and each proof is read off them. A proof is verified with
:func:`service.signing.merkle.verify_inclusion`, the RFC 9162 algorithm.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from service.register.events import entry_bytes
from service.register.ledger import ledger_events
from service.register.models import Event
from service.signing import merkle


class MerkleLevels:
    """Every level of the Merkle tree of ``entries``, leaves first."""

    def __init__(self, entries: Sequence[bytes]):
        level = [merkle.leaf_hash(e) for e in entries]
        self.size = len(level)
        self.levels = [level]
        while len(level) > 1:
            nxt = [merkle.node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            if len(level) % 2:
                nxt.append(level[-1])
            self.levels.append(nxt)
            level = nxt

    @property
    def root(self) -> bytes:
        return self.levels[-1][0] if self.size else merkle.root([])

    def path(self, index: int) -> list[bytes]:
        """The audit path of leaf ``index`` (RFC 6962 §2.1.1), bottom up."""
        if not 0 <= index < self.size:
            raise IndexError(f"index {index} outside a tree of {self.size} entries")
        path = []
        for level in self.levels[:-1]:
            sibling = index ^ 1
            if sibling < len(level):
                path.append(level[sibling])
            index //= 2
        return path


class Ledger:
    """The ledger read once: its events in order, their entry bytes, and the tree."""

    def __init__(self, events: list[Event]):
        self.events = events
        self.entries = [entry_bytes(e) for e in events]
        self.tree = MerkleLevels(self.entries)
        self.positions = {event.id: i for i, event in enumerate(events)}
        """Event id → position in the tree."""

    @classmethod
    def read(cls, session: Session, size: int | None = None) -> Ledger:
        """The first ``size`` events (all when None)."""
        return cls(ledger_events(session, size))

    def by_id(self) -> dict[int, Event]:
        """Event id → event."""
        return {event.id: event for event in self.events}

    def proof(self, document_id: int, event_ids: Iterable[int]) -> dict[str, Any]:
        """The proof document of ``event_ids`` (entries about ``document_id``) in this tree."""
        items = []
        for event_id in event_ids:
            index = self.positions[event_id]
            items.append(
                {
                    "event": event_id,
                    "kind": self.events[index].kind,
                    "index": index,
                    "entry": self.entries[index].decode("utf-8"),
                    "leaf_hash": merkle.leaf_hash(self.entries[index]).hex(),
                    "path": [h.hex() for h in self.tree.path(index)],
                }
            )
        return {
            "document": document_id,
            "tree_size": self.tree.size,
            "root": self.tree.root.hex(),
            "entries": items,
        }


def proof_bytes(proof: dict[str, Any]) -> bytes:
    """A proof as the JSON file stored and exported (UTF-8, indented, stable)."""
    return (json.dumps(proof, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


@dataclass(frozen=True)
class ProofCheck:
    ok: bool
    problems: tuple[str, ...]
    entries: tuple[dict[str, Any], ...]
    """The proven ledger entries, decoded."""


def check_proof(data: bytes, size: int, root_hex: str) -> ProofCheck:
    """Is every entry of the proof file ``data`` in the tree of ``size`` entries with root
    ``root_hex`` (a checkpoint)? Never raises for a bad file."""
    try:
        proof = json.loads(data)
        items = proof["entries"]
        claimed = (int(proof["tree_size"]), str(proof["root"]))
    except (ValueError, KeyError, TypeError):
        return ProofCheck(False, ("файл доказательства повреждён",), ())
    problems = []
    if claimed != (size, root_hex):
        problems.append("доказательство построено не для контрольной точки этого пакета")
    decoded = []
    root = bytes.fromhex(root_hex)
    for item in items:
        try:
            entry = str(item["entry"]).encode("utf-8")
            path = [bytes.fromhex(h) for h in item["path"]]
            included = merkle.verify_inclusion(entry, int(item["index"]), size, path, root)
            decoded.append(json.loads(entry))
        except (ValueError, KeyError, TypeError):
            included = False
        if not included:
            problems.append(
                f"запись журнала № {item.get('event', '?')} не входит в журнал контрольной точки"
            )
    if not items:
        problems.append("в доказательстве нет записей журнала")
    return ProofCheck(not problems, tuple(problems), tuple(decoded))
