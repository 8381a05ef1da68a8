"""The verdict on one signature, returned (never raised) by verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SignatureStatus:
    """What verifying a detached signature against a document found out."""

    intact: bool
    """The document's digest equals the one the signer signed: the bytes were not changed."""

    valid: bool
    """The signature value is mathematically correct for the signer's public key."""

    trusted: bool
    """The signer's certificate chains to one of the trust roots and was in force at the time
    of the check."""

    revoked: bool
    """The signer's certificate is on the revocation list."""

    signer_name: str | None = None
    """The signer's full name (ФИО) from the certificate."""

    signer_position: str | None = None
    """The signer's position (the certificate's title)."""

    serial: str | None = None
    """The certificate's serial number, upper-case hex."""

    signing_time: datetime | None = None
    """When the signer's computer says it signed (the signingTime attribute; not a proof)."""

    not_before: datetime | None = None
    """Start of the certificate's validity."""

    not_after: datetime | None = None
    """End of the certificate's validity."""

    problems: tuple[str, ...] = ()
    """Everything wrong, in Russian, for people; empty for a good signature."""

    @property
    def bottom_line(self) -> bool:
        """The signature is good: unchanged document, correct value, trusted, not revoked."""
        return self.intact and self.valid and self.trusted and not self.revoked
