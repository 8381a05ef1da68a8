"""Electronic signatures of the director: the school's certificate authority, detached CMS
signatures anyone can check with ``openssl cms -verify``, and RFC 6962 Merkle hashing for the
ledger. Pure cryptography: no database, no web."""
