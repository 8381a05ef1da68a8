"""Which signature on a document is the user's own: by the key (its certificate) and the
account, never by the login. An account renamed for a successor keeps its login: the
predecessor's signatures made with his key are not the successor's — «уже подписан вами» told
the new director of the one who left."""

from __future__ import annotations

from collections.abc import Collection

from service.register.models import Document, Signature, User
from service.register.users import is_demo_user
from service.signing.signatory import may_be_same_person


def own_signature(document: Document, user: User, keys: Collection[int] = ()) -> Signature | None:
    """The signature ``user`` gave ``document`` (:func:`is_own`); None when none is his."""
    return next((s for s in document.signatures if is_own(s, user, keys)), None)


def is_own(signature: Signature, user: User, keys: Collection[int] = ()) -> bool:
    """Whether ``user`` gave ``signature``: made with one of ``keys`` (the ids of the keys he
    signs with now), or with a key of his account issued on the ФИО the account bears (his
    key replaced since he signed) — the ФИО as a key is issued to an account
    (:func:`~service.signing.certificate_names.check_key_owner`): the account may write it
    shorter («Кинякина Татьяна» for «Кинякина Татьяна Игоревна»; matched in full, her
    «Подписанные» showed nothing she had signed, review15). A trial's sample account has a
    placeholder ФИО, not compared when its key is issued (play20: the sample «director» signed
    the school's year with its director's key, and «Подписанные» was empty): every signature
    of its keys is its own."""
    signer = signature.signer
    if signer is None:
        return False
    if signer.id in keys:
        return True
    if signer.user_id != user.id:
        return False
    return is_demo_user(user) or may_be_same_person(signer.full_name, user.full_name)
