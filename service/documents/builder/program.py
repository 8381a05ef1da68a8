"""Templates: program (being written)."""

BUILDERS: dict = {}
