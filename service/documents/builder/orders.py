"""Templates: orders (being written)."""

BUILDERS: dict = {}
