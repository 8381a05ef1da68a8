"""Templates: regulation (being written)."""

BUILDERS: dict = {}
