"""Export and verification of an archive of 2,000 documents (issue 6: ≤ 10 s export with the
renditions already made, ≤ 5 s verification, on this machine), for two bags:

- ``recorded``: every signature's ledger entry records its signatory, as the product's signing
  (:func:`service.signing.workflow._sign_one`) writes it since 1b7151f — the bag check compares
  the certificate's holder with that record;
- ``old``: the entries record no signatory, as in bags signed before — the bag check reads each
  DOCX's signature lines («____ Т.И. Кинякина») to find the person to compare with.

Set-up (not timed): the demo school, its CA and the director's key, and one real PDF/A
rendition with the director's PAdES mark (made once, then the school's home copied for each
bag); 2,000 distinct signed documents (the demo's order with a distinct ZIP comment each, a real
detached CMS signature and a ``document_signed`` ledger entry each) sharing that rendition,
every document archived by the production code (``archiving._record``: read-only store, ledger
proofs, ``document_archived`` entries). Every document is signed electronically, the worst case
for verification (one CMS and one PAdES signature per document).

Timed, for each bag: ``export_bag`` (checkpoint, proofs, copies, Опись.xlsx/.pdf, bagit
manifests, signed tag manifests) and ``verify_bag`` (full BagIt validation, every CMS, PAdES
and proof), then the internal ``verify_archive``. The old bag's figures keep the names they had
when the bench measured it alone (``export_seconds``, ``verify_bag_seconds``…); the recorded
bag's have ``recorded_`` before them.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DOCUMENTS = 2000
CA_PASSWORD = "bench-ca-password"
PASSWORD = "bench-director"
ORG = "Муниципальное бюджетное общеобразовательное учреждение Идринская СОШ"
DIRECTOR = "Кинякина Татьяна Игоревна"


def _distinct(docx: bytes, number: int) -> bytes:
    """The same document with a distinct ZIP comment: distinct bytes, still a valid DOCX."""
    buffer = io.BytesIO(docx)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = f"bench {number}".encode()
    return buffer.getvalue()


@dataclass(frozen=True)
class School:
    """The demo school with its CA and director, and what every bench document shares."""

    settings: object
    base: bytes
    """The demo's order on mentors and pairs, signed by the director (the document copied)."""
    batch_id: int
    signatory: str | None
    """Whom the order prints on the director's line, as the product records it when signing."""
    marked: bytes
    """The order's PDF/A rendition with the director's PAdES mark."""
    at: datetime


def _school(home: Path) -> School:
    from sqlalchemy import select

    from service.archive.archiving import fonts_of
    from service.archive.mark import MarkSigner, sign_rendition
    from service.archive.rendition import convert_to_pdfa, converter_of
    from service.config import load_settings
    from service.home import initialise_home
    from service.intake.demo import write_demo_workbook
    from service.pipeline import process_workbook
    from service.register.db import session_scope
    from service.register.models import Document
    from service.signing.authority import ensure_ca
    from service.signing.ca import cert_from_pem, certs_from_pem, load_private_key
    from service.signing.signatory import printed_signatory
    from service.signing.signers import add_signer
    from service.store import FileStore

    settings = load_settings({"home": home, "database_url": ""})
    initialise_home(settings)
    workbook = home.parent / "школа.xlsx"
    write_demo_workbook(workbook)
    process_workbook(settings, workbook, actor="bench")
    ensure_ca(settings.var, ORG, CA_PASSWORD)
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as session:
        signer = add_signer(
            session,
            settings.var,
            login="director",
            full_name=DIRECTOR,
            position="Директор",
            role="director",
            org_name=ORG,
            password=PASSWORD,
            ca_password=CA_PASSWORD,
        )
        key = load_private_key(signer.key_pem.encode(), PASSWORD)
        cert = cert_from_pem(signer.certificate_pem.encode())
        chain = certs_from_pem(signer.chain_pem.encode())
        template = session.scalars(select(Document).where(Document.kind == "order_pairs")).one()
        base, batch_id = store.get(template.sha256), template.batch_id
        signatory = printed_signatory(template, "director")
    now = datetime.now().replace(microsecond=0)
    (pdf,) = convert_to_pdfa({0: base}, converter_of(settings)).values()
    marked = sign_rendition(
        pdf, [MarkSigner(key, cert, tuple(chain), DIRECTOR, now)], fonts_of(settings), "bench"
    )
    return School(settings, base, batch_id, signatory, marked, now)


def _bag_home(school: School, home: Path, count: int, recorded: bool):
    """A copy of ``school``'s home with ``count`` signed documents archived; their ledger
    entries record the signatory when ``recorded`` (as the product signs now)."""
    from sqlalchemy import select

    from service.archive.archiving import _Plan, _record
    from service.config import load_settings
    from service.register.db import session_scope
    from service.register.events import append_event
    from service.register.models import Document, DocumentStatus, Signature, Signer
    from service.signing.ca import cert_from_pem, certs_from_pem, load_private_key
    from service.signing.cms import sign_detached
    from service.store import FileStore

    if recorded and not school.signatory:
        raise SystemExit("archive bench: the demo's order prints no director to record")
    shutil.copytree(school.settings.home, home, symlinks=True)
    settings = load_settings({"home": home, "database_url": ""})
    store = FileStore(settings.store_dir)
    now = school.at
    ids = []
    with session_scope(settings.database_url) as session:
        (signer,) = session.scalars(select(Signer))  # the director, the school's one key
        key = load_private_key(signer.key_pem.encode(), PASSWORD)
        cert = cert_from_pem(signer.certificate_pem.encode())
        chain = certs_from_pem(signer.chain_pem.encode())
        for number in range(count):
            data = _distinct(school.base, number)
            kind = "consent_adult" if number % 3 else "program"
            document = Document(
                kind=kind,
                subject_key=f"{'person' if number % 3 else 'pair'}:{100000 + number}",
                subject_label=f"Участник {number:04d}" if number % 3 else f"П-{number:04d}",
                version=1,
                status=DocumentStatus.SIGNED,
                sha256=store.put(data),
                context_sha256="0" * 64,
                file_name=f"Документ {number:04d}.docx",
                batch_id=school.batch_id,
                created_at=now,
            )
            session.add(document)
            session.flush()
            signature = store.put(sign_detached(data, key, cert, chain))
            session.add(
                Signature(
                    document=document,
                    role="director",
                    method="cms",
                    signer=signer,
                    signer_name=signer.full_name,
                    sha256=signature,
                    signed_at=now,
                )
            )
            details = {"document_sha256": document.sha256, "signature_sha256": signature}
            if recorded:  # the entry as workflow._sign_one writes it
                details = {
                    "kind": "order_pairs",
                    "role": "director",
                    "serial": signer.serial,
                    **details,
                    "number": document.number,
                    "signatory": school.signatory,
                }
            append_event(
                session,
                "document_signed",
                actor="director",
                document_id=document.id,
                details=details,
                at=now,
            )
            ids.append(document.id)
    plans = [_Plan(i, f"№ {i}", pdf=school.marked) for i in ids]
    with session_scope(settings.database_url) as session:
        _record(session, settings, store, plans, "2023–2024", "bench")
    return settings


def _measure(settings, bag: Path) -> dict:
    """Export the year to ``bag``, verify the bag, then the archive itself: the seconds."""
    from service.archive.bag import export_bag
    from service.archive.integrity import verify_archive
    from service.archive.verify import verify_bag
    from service.register.db import session_factory, session_scope

    started = time.perf_counter()
    sessions = session_factory(settings.database_url)
    exported = export_bag(sessions, settings, bag, CA_PASSWORD, year="2023–2024")
    export_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = verify_bag(bag, settings.archive_processes)
    verify_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with session_scope(settings.database_url) as session:
        internal = verify_archive(session, settings)
    internal_seconds = time.perf_counter() - started
    if not report.ok or not internal.ok:
        raise SystemExit("archive bench: the fresh archive did not verify")
    return {
        "documents": exported.documents,
        "bag_files": exported.files,
        "bag_megabytes": round(exported.bytes / 1e6, 1),
        "export_seconds": round(export_seconds, 2),
        "verify_bag_seconds": round(verify_seconds, 2),
        "verify_archive_seconds": round(internal_seconds, 2),
    }


def run(count: int = DOCUMENTS) -> dict:
    """Set up ``count`` archived documents twice (the signatory recorded, and not), then time
    each one's export and verification."""
    with tempfile.TemporaryDirectory(prefix="nastavnik-archive-bench-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        school = _school(root / "school" / "home")
        homes = {
            name: _bag_home(school, root / name / "home", count, recorded)
            for name, recorded in (("recorded", True), ("old", False))
        }
        setup = time.perf_counter() - started
        # the old bag first: the figures it always had, on a machine as fresh as before
        old = _measure(homes["old"], root / "old" / "bag")
        recorded = _measure(homes["recorded"], root / "recorded" / "bag")
        return {
            **old,
            "setup_seconds": round(setup, 1),
            "export_target_seconds": 10,
            "verify_target_seconds": 5,
            **{f"recorded_{k}": v for k, v in recorded.items()},
            "processes": homes["old"].archive_processes,
        }


if __name__ == "__main__":  # pragma: no cover
    import json
    import sys

    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else DOCUMENTS), indent=2))
