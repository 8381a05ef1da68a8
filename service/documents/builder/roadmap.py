"""Templates: roadmap (being written)."""

BUILDERS: dict = {}
