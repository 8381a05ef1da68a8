"""The signing domain called as the CLI calls it: each call in one transaction of its own,
committed when it returns (the domain functions take the caller's session)."""

from __future__ import annotations

from service.config import Settings
from service.register.db import session_scope
from service.signing import returning, signers, workflow
from service.signing.workflow import SignResult


def sign_documents(
    settings: Settings, login: str, document_ids: list[int], password: str
) -> list[SignResult]:
    with session_scope(settings.database_url) as session:
        return workflow.sign_documents(session, settings, login, document_ids, password)


def return_document(settings: Settings, login: str, document_id: int, comment: str) -> None:
    with session_scope(settings.database_url) as session:
        returning.return_document(session, login, document_id, comment)


def attach_scan(settings: Settings, document_id: int, scan: bytes, **options):
    with session_scope(settings.database_url) as session:
        return workflow.attach_scan(session, settings, document_id, scan, **options)


def change_key_password(url: str, login: str, old: str, new: str) -> int:
    with session_scope(url) as session:
        return signers.change_key_password(session, url, login, old, new)
