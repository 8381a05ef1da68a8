"""Templates: reports (being written)."""

BUILDERS: dict = {}
