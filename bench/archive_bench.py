"""Export and verification of an archive of 2,000 documents (issue 6: ≤ 10 s export with the
renditions already made, ≤ 5 s verification, on this machine).

Set-up (not timed): the demo school, its CA and the director's key; 2,000 distinct signed
documents (the demo's order with a distinct ZIP comment each, a real detached CMS signature
and a ``document_signed`` ledger entry each), one real PDF/A rendition with the director's
PAdES mark shared by all, and every document archived by the production code
(``archiving._record``: read-only store, ledger proofs, ``document_archived`` entries). Every
document is signed electronically, the worst case for verification (one CMS and one PAdES
signature per document).

Timed: ``export_bag`` (checkpoint, proofs, copies, Опись.xlsx/.pdf, bagit manifests, signed tag
manifests) and ``verify_bag`` (full BagIt validation, every CMS, PAdES and proof), then the
internal ``verify_archive``.
"""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

DOCUMENTS = 2000
CA_PASSWORD = "bench-ca-password"
PASSWORD = "bench-director"
ORG = "Муниципальное бюджетное общеобразовательное учреждение Идринская СОШ"


def _distinct(docx: bytes, number: int) -> bytes:
    """The same document with a distinct ZIP comment: distinct bytes, still a valid DOCX."""
    buffer = io.BytesIO(docx)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = f"bench {number}".encode()
    return buffer.getvalue()


def _setup(root: Path, count: int):
    from sqlalchemy import select

    from service.archive.archiving import _Plan, _record, fonts_of
    from service.archive.mark import MarkSigner, sign_rendition
    from service.archive.rendition import convert_to_pdfa, converter_of
    from service.config import load_settings
    from service.home import initialise_home
    from service.intake.demo import write_demo_workbook
    from service.pipeline import process_workbook
    from service.register.db import session_scope
    from service.register.events import append_event
    from service.register.models import Document, DocumentStatus, Signature, Signer
    from service.signing.authority import ensure_ca
    from service.signing.ca import cert_from_pem, certs_from_pem, load_private_key
    from service.signing.cms import sign_detached
    from service.signing.signers import add_signer
    from service.store import FileStore

    settings = load_settings({"home": root / "home", "database_url": ""})
    initialise_home(settings)
    workbook = root / "школа.xlsx"
    write_demo_workbook(workbook)
    process_workbook(settings, workbook, actor="bench")
    ensure_ca(settings.var, ORG, CA_PASSWORD)
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as session:
        signer = add_signer(
            session,
            settings.var,
            login="director",
            full_name="Кинякина Татьяна Игоревна",
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
        signer_id = signer.id
    now = datetime.now().replace(microsecond=0)
    ids = []
    with session_scope(settings.database_url) as session:
        signer = session.get(Signer, signer_id)
        for number in range(count):
            data = _distinct(base, number)
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
                batch_id=batch_id,
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
            append_event(
                session,
                "document_signed",
                actor="director",
                document_id=document.id,
                details={"document_sha256": document.sha256, "signature_sha256": signature},
                at=now,
            )
            ids.append(document.id)
    (pdf,) = convert_to_pdfa({0: base}, converter_of(settings)).values()
    marked = sign_rendition(
        pdf,
        [MarkSigner(key, cert, tuple(chain), "Кинякина Татьяна Игоревна", now)],
        fonts_of(settings),
        "bench",
    )
    plans = [_Plan(i, f"№ {i}", pdf=marked) for i in ids]
    with session_scope(settings.database_url) as session:
        _record(session, settings, store, plans, "2023–2024", "bench")
    return settings


def run(count: int = DOCUMENTS) -> dict:
    """Set up ``count`` archived documents, then time their export and verification."""
    from service.archive.bag import export_bag
    from service.archive.integrity import verify_archive
    from service.archive.verify import verify_bag
    from service.register.db import session_factory, session_scope

    with tempfile.TemporaryDirectory(prefix="nastavnik-archive-bench-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        settings = _setup(root, count)
        setup = time.perf_counter() - started
        started = time.perf_counter()
        sessions = session_factory(settings.database_url)
        exported = export_bag(sessions, settings, root / "bag", CA_PASSWORD, year="2023–2024")
        export_seconds = time.perf_counter() - started
        started = time.perf_counter()
        report = verify_bag(root / "bag", settings.archive_processes)
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
            "setup_seconds": round(setup, 1),
            "export_seconds": round(export_seconds, 2),
            "export_target_seconds": 10,
            "verify_bag_seconds": round(verify_seconds, 2),
            "verify_target_seconds": 5,
            "verify_archive_seconds": round(internal_seconds, 2),
            "processes": settings.archive_processes,
        }


if __name__ == "__main__":  # pragma: no cover
    import json
    import sys

    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else DOCUMENTS), indent=2))
