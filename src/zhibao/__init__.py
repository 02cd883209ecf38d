"""智报 zhibao — writes, checks and publishes a daily Chinese policy-and-industry brief.

    >>> import zhibao
    >>> brief = zhibao.load_brief(zhibao.SAMPLE_BRIEF)
    >>> zhibao.render_brief(brief, "out/", formats=["pdf", "md"])   # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from zhibao.core.errors import ConfigError, InputError, RenderError, ZhibaoError
from zhibao.core.model import (
    Brief,
    Document,
    Event,
    Reference,
    Section,
    Source,
    load_brief,
    parse_brief,
)

__version__ = "0.1.0"

SAMPLE_BRIEF = Path(__file__).parent / "samples" / "brief-2026-05-25.json"


def render_brief(*args, **kwargs):  # noqa: ANN002, ANN003 - re-export without importing renderers eagerly
    from zhibao.render import render_brief as _render_brief

    return _render_brief(*args, **kwargs)


render_brief.__doc__ = "See :func:`zhibao.render.render_brief`."

__all__ = [
    "SAMPLE_BRIEF",
    "Brief",
    "ConfigError",
    "Document",
    "Event",
    "InputError",
    "Reference",
    "RenderError",
    "Section",
    "Source",
    "ZhibaoError",
    "load_brief",
    "parse_brief",
    "render_brief",
]
