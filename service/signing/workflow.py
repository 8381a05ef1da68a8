"""The director's (and curator's) work: the queue of documents awaiting their signature,
signing one or many with one password and attaching scans of paper signatures (returning with
a comment and the office's answer: :mod:`service.signing.returning`). The CLI and the web
pages call these functions.

An order gets its registration number and date from the order journal at signing and is
re-rendered with them *before* it is hashed and signed, so the number is inside the signed
bytes. A document with the director's «УТВЕРЖДАЮ» is re-rendered the same way with the date
the director signs it; an appendix of an order (the regulation, the target model, the roadmap)
also with that order's number and date, so it is signed after its order. A signed version
never changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from service.config import Settings
from service.documents.catalogue import BY_ID, Kind
from service.errors import BadInput
from service.register.db import after_commit, begin_writing
from service.register.events import append_event
from service.register.models import Document, DocumentStatus, Signature, Signer
from service.register.queries import awaiting_signature, document_by_id
from service.register.school import the_school
from service.register.states import status_text
from service.register.succession import superseded_by_later_year
from service.signing.cms import person_of
from service.signing.errors import SigningError
from service.signing.ledger import save_checkpoint_files, signer_checkpoint
from service.signing.mine import own_signature
from service.signing.paper import (
    EVERY_ONE,
    paper_candidates,
    signs_as,
    unsigned_paper,
)
from service.signing.requisites import date_approval, number_order
from service.signing.signatory import (
    printed_signatory,
    register_signatory,
    role_label,
    same_person,
)
from service.signing.signer import KeySigner, open_signers
from service.signing.signers import active_signers
from service.store import DamagedFile, FileStore


@dataclass(frozen=True)
class SignResult:
    document_id: int
    ok: bool
    message: str
    """Russian, one line: what happened to this document."""
    number: str | None = None
    already: bool = False
    """Signed by this user before (a second click, a form sent again): nothing to do, not a
    refusal — the pages show it as done, not as an error."""


def document_label(document: Document) -> str:
    """How a person names a document: its title, whom it is about, its registration number —
    never the database id (the pages' filter and the signing results say it alike)."""
    label = BY_ID[document.kind].title
    if not document.subject_key.startswith("organization"):
        label += f" — {document.subject_label}"
    if document.number:
        label += f", № {document.number} от {document.reg_date:%d.%m.%Y}"
    return label


def required_roles(kind: Kind) -> set[str]:
    return set(kind.signers)


def signed_roles(document: Document) -> set[str]:
    return {s.role for s in document.signatures}


def pending_documents(
    session: Session, login: str, roles: set[str] | None = None
) -> list[Document]:
    """Documents waiting for a signature this user's active keys can give; with ``roles``,
    those that a key of these roles would give (what waits for a director whose key is not
    issued yet: he reads them, and may return them, before he can sign)."""
    if roles is None:
        roles = {s.role for s in active_signers(session, login)}
    if not roles:
        return []
    return [
        d
        for d in awaiting_signature(session)
        if (roles & required_roles(BY_ID[d.kind])) - signed_roles(d)
        and ("director" in roles or not _awaits_approval(BY_ID[d.kind], d))
    ]


def _awaits_approval(kind: Kind, document: Document) -> bool:
    """An approved document the director has not approved yet: nobody else signs it before
    him (his approval date goes into the bytes the others sign)."""
    return kind.approved and "director" in kind.signers and "director" not in signed_roles(document)


def _signing_order(session: Session, document_ids: list[int]) -> list[int]:
    """Orders first: an appendix signed in the same batch as its order gets its number; and
    among them an order another one cites (the implementation order, named by the coordinators
    order) first, so the citing one carries its number."""
    cited = {kind.cites for kind in BY_ID.values() if kind.cites}

    def rank(document_id: int) -> tuple[bool, bool]:
        document = session.get(Document, document_id)
        kind = BY_ID[document.kind] if document is not None else None
        return (kind is None or not kind.is_order, kind is None or kind.id not in cited)

    return sorted(document_ids, key=rank)


def sign_documents(
    session: Session,
    settings: Settings,
    login: str,
    document_ids: list[int],
    password: str,
    *,
    form: str | None = None,
) -> list[SignResult]:
    """Sign each document with this user's key; one result per document. A wrong password
    signs nothing (and counts towards the key's lock-out); a key still under the
    administrator's password signs nothing either.

    The transaction is the caller's: the key is opened first (its counters in transactions of
    their own, :mod:`service.signing.signer`), then ``session`` takes the register's write
    lock and each document is signed in a savepoint of it — a refused document is rolled back
    to its savepoint and reported, the others stay signed once the caller commits. The ledger
    checkpoint's file copy is written after that commit (never for a batch rolled back).

    ``form``: the one-time token of the confirmation page sent: the same page sent twice with
    the same wrong password and documents (a double click) counts one mistake
    (:func:`~service.signing.signer.open_signer`)."""
    store = FileStore(settings.store_dir)
    submission = f"{form}:{sorted(set(document_ids))}" if form else None
    keys = open_signers(settings.database_url, login, password, submission=submission)
    begin_writing(session)
    signers = [s for s in active_signers(session, login) if s.id in keys]
    if not signers:  # revoked between opening the key and now
        raise SigningError(f"У пользователя «{login}» нет действующего ключа подписи.")
    results: dict[int, SignResult] = {}
    for document_id in _signing_order(session, document_ids):
        with session.begin_nested() as savepoint:
            try:
                results[document_id] = _sign_one(
                    settings, store, session, document_id, signers, keys, login
                )
            except SigningError as exc:
                savepoint.rollback()
                results[document_id] = SignResult(document_id, False, exc.message)
    if any(r.ok for r in results.values()):
        checkpoint = signer_checkpoint(session, store, keys[signers[0].id])
        after_commit(session, lambda: save_checkpoint_files(settings.var, *checkpoint))
    return [results[i] for i in document_ids]


def _sign_one(
    settings: Settings,
    store: FileStore,
    session: Session,
    document_id: int,
    signers: list[Signer],
    keys: dict[int, KeySigner],
    login: str,
) -> SignResult:
    document = session.get(Document, document_id)
    if document is None:
        raise SigningError(f"Документ № {document_id} не найден.")
    kind = BY_ID[document.kind]
    mine = _signed_by(document, signers)
    if document.status == DocumentStatus.SIGNED:
        if mine:
            return mine
        raise SigningError(f"Документ № {document_id} уже подписан.")
    if document.status != DocumentStatus.AWAITING_SIGNATURE:
        raise SigningError(
            f"Документ № {document_id} не ожидает подписи "
            f"(состояние: {status_text(session, document)})."
        )
    allowed = [
        s
        for s in signers
        if s.role in required_roles(kind) and s.role not in signed_roles(document)
    ]
    if not allowed:
        if mine:
            return mine
        raise SigningError(f"«{kind.title}» не подписывается ключом пользователя «{login}».")
    signer = allowed[0]
    _check_signatory(session, document, kind, signer, keys[signer.id])
    number = None
    now = datetime.now().replace(microsecond=0)  # the signing time, and the date it prints
    if kind.is_order and not document.signatures:
        number = number_order(settings, store, session, document, kind, now.date())
    elif _awaits_approval(kind, document):
        if signer.role != "director":
            raise SigningError(
                f"«{kind.title}» сначала утверждает руководитель: "
                "ваша подпись ставится после его подписи (даты утверждения)."
            )
        date_approval(settings, store, session, document, kind, now.date())
    elif kind.dated_at_signing and not any(s.method == "cms" for s in document.signatures):
        date_approval(settings, store, session, document, kind, now.date())
    try:
        data = store.get(document.sha256)
    except DamagedFile as exc:
        raise SigningError(f"Документ № {document_id} не подписан. {exc}") from exc
    except FileNotFoundError as exc:  # deleted from the store behind the service's back
        raise SigningError(
            f"Документ № {document_id} не подписан: его файла {document.sha256[:12]}… нет в "
            "хранилище. Сообщите администратору: файл нужно восстановить из резервной копии."
        ) from exc
    digest = store.put(keys[signer.id].sign(data))
    session.add(
        Signature(
            document=document,
            role=signer.role,
            method="cms",
            signer=signer,
            signer_name=signer.full_name,
            sha256=digest,
            signed_at=now,
        )
    )
    session.flush()
    append_event(
        session,
        "document_signed",
        actor=login,
        document_id=document.id,
        details={
            "kind": kind.id,
            "role": signer.role,
            "serial": signer.serial,
            "document_sha256": document.sha256,
            "signature_sha256": digest,
            "number": document.number,
            # whom the document prints for this role: an exported bag checks the certificate
            # against it years later (service/archive/signatories.py)
            "signatory": printed_signatory(document, signer.role),
        },
    )
    _update_status(session, document, kind, login)
    return SignResult(
        document.id,
        True,
        f"Подписан: {document_label(document)}.",
        number,
    )


def _signed_by(document: Document, signers: list[Signer]) -> SignResult | None:
    """«Already signed by you» when the user of ``signers`` (his keys) signed ``document``
    (the second of two clicks): by his keys and account, not his login
    (:func:`~service.signing.mine.own_signature`)."""
    signature = own_signature(document, signers[0].user, {s.id for s in signers})
    if signature is None:
        return None
    return SignResult(
        document.id,
        False,
        f"Документ «{document_label(document)}» уже подписан вами "
        f"{signature.signed_at:%d.%m.%Y в %H:%M}: подписывать снова не нужно.",
        already=True,
    )


def _check_signatory(
    session: Session, document: Document, kind: Kind, signer: Signer, key: KeySigner
) -> None:
    """Refuse to sign ``document`` with a certificate of someone other than the person it
    prints on the signature line of the signer's role: the signature would be that person's
    in the CMS and another's on paper. Before anything is numbered, dated or stored."""
    printed = printed_signatory(document, signer.role)
    holder = person_of(key.certificate.subject) or signer.full_name
    if printed is None or same_person(printed, holder):
        return
    label = role_label(signer.role)
    message = (
        f"Документ № {document.id} «{kind.title}» не подписан: подписантом в нём указан "
        f"{label} «{printed}», а сертификат № {signer.serial}, которым вы подписываете, выдан "
        f"на имя «{holder}». Подписать документ может только сертификат, выданный на имя "
        f"«{printed}»."
    )
    current = register_signatory(the_school(session), signer.role)
    if current is not None and not same_person(current, printed):
        message += (
            f" Документ составлен, когда {label} был другим; сейчас в реестре — «{current}». "
            f"Его подписывает «{printed}» своим сертификатом; если его должен подписать "
            f"«{current}», верните документ на доработку и обработайте книгу школы — будет "
            "создана новая версия документа с нынешним подписантом."
        )
    else:
        message += (
            f" Если сертификат выпущен не на того человека, администратор отзывает его и "
            f"выпускает новый на имя «{printed}» («nastavnik signer add» без «--name» берёт ФИО "
            "из реестра)."
        )
    raise SigningError(message)


def _update_status(
    session: Session, document: Document, kind: Kind, actor: str, *, last_year: bool = False
) -> None:
    """Signed by all its signatories: ``signed`` (also last year's version superseded by this
    year's, :func:`~service.register.succession.superseded_by_later_year`)."""
    waiting = (DocumentStatus.GENERATED, DocumentStatus.AWAITING_SIGNATURE)
    if not (document.status in waiting or last_year) or not (
        required_roles(kind) <= signed_roles(document)
    ):
        return
    if EVERY_ONE & set(kind.signers) and unsigned_paper(session, document):
        return  # a mentee of the group has not signed yet
    document.status = DocumentStatus.SIGNED
    append_event(
        session,
        "document_status",
        actor=actor,
        document_id=document.id,
        details={"status": DocumentStatus.SIGNED},
    )


def _paper_signers(
    session: Session,
    document: Document,
    roles: list[str] | None,
    signers: dict[str, str | list[str]] | None,
) -> dict[str, list[str]]:
    """Who a scan records, role → ФИО (:func:`attach_scan`), each checked against the
    document's own people."""
    kind = BY_ID[document.kind]
    candidates = paper_candidates(session, document)
    if signers is not None:
        given = {r: [n] if isinstance(n, str) else list(n) for r, n in signers.items()}
        given = {r: [n for n in names if n] for r, names in given.items()}
        chosen = [r for r, names in given.items() if names]
        if not chosen:  # every box unticked, every list at «подписи нет»
            raise BadInput(
                "Не отмечен никто из подписавших: отметьте, чьи подписи есть на этом скане."
            )
    else:
        given = {}
        chosen = list(roles or [r for r in candidates if r in required_roles(kind)])
    signed = {s.role for s in document.signatures}  # a minor's guardian who signed already
    wrong = [
        r
        for r in chosen
        if r not in required_roles(kind) and r not in candidates and r not in signed
    ]
    if wrong:
        roles_named = ", ".join(signs_as(document, r) for r in wrong)
        raise BadInput(f"«{kind.title}» не подписывает: {roles_named}.")
    names: dict[str, list[str]] = {}
    for role in chosen:
        if role not in candidates:
            continue  # signed already, or signs electronically
        if not candidates[role]:
            raise SigningError(
                f"В реестре не указан {signs_as(document, role)} для документа «{kind.title}» "
                f"({document.subject_label}): добавьте его в книгу и загрузите её снова."
            )
        every = candidates[role] if role in EVERY_ONE else candidates[role][:1]
        people = given.get(role) or every
        for name in people:
            if name not in candidates[role]:
                raise BadInput(
                    f"«{name}» не может подписать «{kind.title}» как "
                    f"{signs_as(document, role)}: выберите из: {', '.join(candidates[role])}."
                )
        names[role] = list(dict.fromkeys(people))
    if not names:
        raise SigningError(
            f"Документ «{kind.title}» ({document.subject_label}) уже подписан всеми, "
            "кого указывает скан."
        )
    return names


def attach_scan(
    session: Session,
    settings: Settings,
    document_id: int,
    scan: bytes,
    *,
    roles: list[str] | None = None,
    signers: dict[str, str | list[str]] | None = None,
    actor: str = "secretary",
) -> list[Signature]:
    """Record a scan of the paper original as the paper signature of ``roles`` (default:
    every role of the kind that signs on paper and has not signed yet).

    ``signers`` (role → ФИО, or a list of them) names who signed; each name must be one of
    the document's own people for that role (:func:`service.signing.paper.paper_candidates`),
    the expected one when not given — for a group's programme every mentee who has not signed
    yet (a minor's guardian only when named). A role missing from ``signers`` or given no
    name is left unsigned. Written to the caller's ``session``."""
    if not scan:
        raise BadInput("Файл скана пуст.")
    store = FileStore(settings.store_dir)
    begin_writing(session)
    document = document_by_id(session, document_id)
    kind = BY_ID[document.kind]
    waiting = (DocumentStatus.GENERATED, DocumentStatus.AWAITING_SIGNATURE)
    last_year = superseded_by_later_year(session, document)
    if document.status not in waiting and not last_year:
        raise SigningError(
            f"К документу «{kind.title}» ({document.subject_label}) скан не прикладывается: "
            f"он {status_text(session, document)}."
        )
    names = _paper_signers(session, document, roles, signers)
    digest = store.put(scan)
    now = datetime.now().replace(microsecond=0)
    made = []
    for role, people in names.items():
        for name in people:
            signature = Signature(
                document=document,
                role=role,
                method="paper",
                signer_name=name,
                sha256=digest,
                signed_at=now,
            )
            session.add(signature)
            made.append(signature)
    session.flush()
    append_event(
        session,
        "scan_attached",
        actor=actor,
        document_id=document.id,
        details={
            "roles": list(names),
            "signers": {r: p[0] if len(p) == 1 else p for r, p in names.items()},
            "scan_sha256": digest,
        },
    )
    _update_status(session, document, kind, actor, last_year=last_year)
    return made
