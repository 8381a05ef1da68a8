"""Templates: consents (being written)."""

BUILDERS: dict = {}
