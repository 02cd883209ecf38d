"""Web desk fixtures (defined in ``web_world``; importing them here makes pytest see them)."""

from __future__ import annotations

from web_world import client, editor_client, server, sqlite_template, world  # noqa: F401
