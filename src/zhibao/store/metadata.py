"""Every table of the store in one ``MetaData``: what Alembic and the schema test compare.

The tables are defined beside the code that uses them (``tables``: documents, runs, briefs;
``desk_tables``: accounts and versions; ``publications``; ``responses``); this module is the
one place that gathers them.
"""

from __future__ import annotations

from zhibao.store import desk_tables, publications, responses  # noqa: F401  (their tables)
from zhibao.store.tables import Base

metadata = Base.metadata
