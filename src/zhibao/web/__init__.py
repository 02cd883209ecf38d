"""The web desk: editors review, edit and approve the day's brief in the browser.

FastAPI + Jinja2 + htmx (vendored, no CDN); ``zhibao serve`` runs it with uvicorn.

    >>> from zhibao.web import WebSettings, create_app
    >>> app = create_app(WebSettings(public_archive=True))
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = ["WebSettings", "create_app"]

# FastAPI takes a while to import; `zhibao --help` loads this package only to register commands.
_LAZY = {"create_app": "zhibao.web.app", "WebSettings": "zhibao.web.settings"}

if TYPE_CHECKING:
    from zhibao.web.app import create_app
    from zhibao.web.settings import WebSettings


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'zhibao.web' has no attribute {name!r}")
