"""A signing key works only while its owner holds the key's role: the administrator who takes
the role «директор» away (a director replaced who stays on as a curator) expects her to sign
nothing more as director, though the key itself is revoked separately."""

from __future__ import annotations

import pytest

from service.register.db import session_scope
from service.register.users import update_user, user_named
from service.signing.errors import SigningError
from service.signing.workflow import pending_documents
from tests.signing_calls import sign_documents
from tests.web_school import KEY_PASSWORD


def test_a_director_left_only_the_curator_role_signs_nothing_as_director(web_school):
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    with session_scope(settings.database_url) as s:
        update_user(s, user_named(s, "director"), roles=["curator"], actor="admin")
    with session_scope(settings.database_url) as s:
        assert pending_documents(s, "director") == []
    with pytest.raises(SigningError) as refused:
        sign_documents(settings, "director", [order], KEY_PASSWORD)
    assert str(refused.value) == (
        "У пользователя «director» нет действующего ключа подписи (ключ не выпущен, отозван или "
        "истёк, или у пользователя больше нет роли, для которой ключ выпущен)."
    )
