"""A school for the web tests: the demo workbook processed, the school's CA, the director's
key, and one user per role with a known password (real files, real SQLite)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from service.config import Settings
from service.intake.demo import write_demo_workbook
from service.pipeline import process_workbook
from service.register.db import session_scope
from service.register.models import Document, DocumentStatus
from service.register.users import ROLES, add_user
from service.signing.authority import ensure_ca
from service.signing.signers import add_signer
from tests.signing_calls import change_key_password

CA_PASSWORD = "ca-пароль-1"
KEY_PASSWORD = "ключ-директора-2"
"""The director's signing key password (not his login password)."""
ISSUED_KEY_PASSWORD = "выдал-админ-0"
"""The password the administrator gives a new key, which its owner then replaces."""
ORG = "Муниципальное бюджетное общеобразовательное учреждение Идринская СОШ"
NAMES = {
    "secretary": "Иванова Анна Петровна",
    "director": "Кинякина Татьяна Игоревна",
    "curator": "Бутрина Ольга Николаевна",
    "inspector": "Сидоров Павел Андреевич",
    "admin": "Администратор Школы",
}


def password_of(login: str) -> str:
    return f"{login}-пароль-1"


@dataclass
class School:
    settings: Settings
    workbook: Path

    def doc_id(self, kind: str) -> int:
        """The current document of ``kind`` (the first one, by id)."""
        with session_scope(self.settings.database_url) as s:
            return s.scalars(
                select(Document.id)
                .where(Document.kind == kind, Document.status != DocumentStatus.SUPERSEDED)
                .order_by(Document.id)
            ).first()


def make_users(settings: Settings) -> None:
    with session_scope(settings.database_url) as s:
        for role in ROLES:
            add_user(s, role, NAMES[role], [role], password_of(role))


def make_school(settings: Settings, folder: Path) -> School:
    """Process the demo workbook, create the CA, the director's key and the users."""
    workbook = folder / "Идринская СОШ.xlsx"
    write_demo_workbook(workbook)
    process_workbook(settings, workbook)
    ensure_ca(settings.var, ORG, CA_PASSWORD)
    issue_key(settings, "director", NAMES["director"], "Директор", "director", KEY_PASSWORD)
    make_users(settings)
    return School(settings, workbook)


def issue_key(
    settings: Settings,
    login: str,
    full_name: str,
    position: str,
    role: str,
    password: str,
    *,
    ca_password: str = CA_PASSWORD,
    org: str = ORG,
    other_name_reason: str = "",
) -> None:
    """A key issued by the administrator and then given its owner's own ``password`` (a key
    under the administrator's password signs nothing); ``other_name_reason`` when
    ``full_name`` is not the register's person of ``role``."""
    with session_scope(settings.database_url) as s:
        add_signer(
            s,
            settings.var,
            login=login,
            full_name=full_name,
            position=position,
            role=role,
            org_name=org,
            password=ISSUED_KEY_PASSWORD,
            ca_password=ca_password,
            other_name_reason=other_name_reason,
        )
    change_key_password(settings.database_url, login, ISSUED_KEY_PASSWORD, password)


def login(client, login_name: str, password: str | None = None):
    """Sign ``client`` in through the login form (CSRF off in the test app)."""
    response = client.post(
        "/login", data={"login": login_name, "password": password or password_of(login_name)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response
