"""Alembic migrations of the zhibao store, shipped inside the package and run by ``Store.open``."""
