"""Templates: target_model (being written)."""

BUILDERS: dict = {}
