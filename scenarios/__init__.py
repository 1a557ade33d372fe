"""Shipped scenario files (TOML), the illustrative project list and the plan targets (data only)."""
