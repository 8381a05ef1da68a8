"""A document returned unsigned and sent back: the director or the curator returns it with a
comment (a corrected workbook then makes a new version), or the office — the secretary or the
administrator — answers the comment and sends the same version back for signature. The CLI and
the web pages call these functions; each writes to the caller's session."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.documents.catalogue import BY_ID, Kind
from service.errors import BadInput, Forbidden
from service.register.db import begin_writing
from service.register.events import append_event
from service.register.models import Document, DocumentStatus, User
from service.register.queries import document_by_id
from service.register.returns import (
    RESUBMITTED,
    RETURNED,
    document_for_writing,
    newest_version,
)
from service.register.states import status_text
from service.register.users import user_named
from service.signing.errors import SigningError
from service.signing.mine import own_signature
from service.signing.paper import ELECTRONIC_ROLES
from service.signing.signatory import role_label
from service.signing.workflow import document_label, required_roles, signed_roles


def return_document(session: Session, login: str, document_id: int, comment: str) -> None:
    """Return a document unsigned, with the signer's comment (the director's or the
    curator's, whose role the ledger entry records); a corrected workbook
    regenerates it as a new version, or the office answers the comment and sends this one back
    (:func:`resubmit_document`). Written to the caller's ``session``."""
    if not comment.strip():
        raise BadInput("Укажите, что исправить: комментарий обязателен.")
    begin_writing(session)
    user = _acting(session, login)
    document = document_by_id(session, document_id)
    kind = BY_ID[document.kind]
    if not (user.role_set & required_roles(kind) & ELECTRONIC_ROLES):
        raise SigningError(f"Пользователь «{login}» не подписывает «{kind.title}».")
    if document.status != DocumentStatus.AWAITING_SIGNATURE:  # (a second click, too)
        raise SigningError(
            f"Документ «{kind.title}» ({document.subject_label}) нельзя вернуть: он "
            f"{status_text(session, document)}."
        )
    refusal = return_refusal(document, user)
    if refusal is not None:
        raise SigningError(refusal)
    document.status = DocumentStatus.RETURNED
    document.comment = comment.strip()
    append_event(
        session,
        RETURNED,
        actor=login,
        document_id=document.id,
        details={"comment": document.comment, "role": _returning_role(user, kind, document)},
    )


def return_refusal(document: Document, user: User) -> str | None:
    """Why ``user`` may not return ``document`` awaiting signature: every role he signs it in
    has signed it — by him, or by his predecessor in the role. A programme the director
    approved waits for the curator's signature; he could return his own signed approval to
    the secretary. None when it waits for his signature."""
    kind = BY_ID[document.kind]
    roles = [r for r in kind.signers if r in user.role_set and r in ELECTRONIC_ROLES]
    done = signed_roles(document)
    if not roles or any(r not in done for r in roles):
        return None
    start = f"Документ «{document_label(document)}» нельзя вернуть: "
    end = ". Вернуть его может тот, чьей подписи он ждёт."
    mine = own_signature(document, user)
    if mine is not None:
        return f"{start}вы уже подписали его {mine.signed_at:%d.%m.%Y в %H:%M}{end}"
    given = next(s for s in document.signatures if s.role in roles)
    return (
        f"{start}его уже подписал {role_label(given.role)} {given.signer_name} "
        f"{given.signed_at:%d.%m.%Y в %H:%M}{end}"
    )


def _acting(session: Session, login: str) -> User:
    """The user ``login`` acting (the console's ``--user`` names him, with no password): one
    the administrator switched off does nothing more in the register."""
    user = user_named(session, login)
    if user.is_disabled:
        raise SigningError(
            f"Пользователь «{login}» отключён администратором: действовать от его имени нельзя."
        )
    return user


def _returning_role(user: User, kind: Kind, document: Document) -> str:
    """The role ``user`` returns ``document`` in (recorded, so that every page names who
    returned it — the director or the curator): of his signing roles for this kind, the first
    that has not signed it yet (the document waits for it), else the first."""
    roles = [r for r in kind.signers if r in user.role_set and r in ELECTRONIC_ROLES]
    unsigned = [r for r in roles if r not in signed_roles(document)]
    return (unsigned or roles)[0]


RESUBMITTERS = frozenset({"secretary", "admin"})
"""Who may answer a return and send the document back for signature; never the signer alone."""
ANSWER_LIMIT = 1000


def resubmit_document(session: Session, login: str, document_id: int, answer: str) -> Document:
    """Send a returned document back for signature unchanged, with the office's answer to the
    signer's comment (the data were right, or it was returned by mistake): the same version —
    same bytes, same context — waits for signature again, and the ledger records the answer
    and who gave it (``document_resubmitted``) in the same transaction. Only the latest
    version, only while it is returned. Written to the caller's ``session``."""
    answer = answer.strip()
    if not answer:
        raise BadInput("Напишите ответ на комментарий: без ответа документ не возвращается.")
    if len(answer) > ANSWER_LIMIT:
        raise BadInput(
            f"Ответ слишком длинный: {len(answer)} знаков, можно не больше {ANSWER_LIMIT}."
        )
    begin_writing(session)
    user = _acting(session, login)
    if not user.role_set & RESUBMITTERS:
        raise Forbidden(
            f"Пользователь «{login}» не может вернуть документ на подпись: это делают "
            "секретарь и администратор."
        )
    document = document_for_writing(session, document_id)
    title = f"Документ «{BY_ID[document.kind].title}» ({document.subject_label})"
    newest = newest_version(session, document)
    if newest != document.version:
        raise SigningError(
            f"{title} нельзя вернуть на подпись: версия {document.version} заменена "
            f"версией {newest}."
        )
    if document.status != DocumentStatus.RETURNED:
        raise SigningError(
            f"{title} нельзя вернуть на подпись: он {status_text(session, document)}."
        )
    comment = document.comment
    document.status = DocumentStatus.AWAITING_SIGNATURE
    document.comment = None
    append_event(
        session,
        RESUBMITTED,
        actor=login,
        document_id=document.id,
        details={
            "answer": answer,
            "comment": comment,
            "status": DocumentStatus.AWAITING_SIGNATURE.value,
        },
    )
    return document
