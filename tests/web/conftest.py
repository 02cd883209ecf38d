"""Web desk fixtures (defined in ``web_world``; importing them here makes pytest see them)."""

from __future__ import annotations

from web_world import chief_client, client, editor_client, server, sqlite_template, world  # noqa: F401
