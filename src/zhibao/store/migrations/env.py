"""Alembic environment: runs on the connection that ``Store.open`` hands over.

Run from the command line too: ``alembic -x url=sqlite:///zhibao.db upgrade head`` with an
``alembic.ini`` whose ``script_location = zhibao.store:migrations``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from zhibao.store.metadata import metadata

config = context.config
target_metadata = metadata


def _run(connection) -> None:  # noqa: ANN001 - alembic passes a Connection
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
elif context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
