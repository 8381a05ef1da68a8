"""Templates: contract (being written)."""

BUILDERS: dict = {}
