"""The error every publishing channel raises."""

from __future__ import annotations

from zhibao.core.errors import ZhibaoError

__all__ = ["PublishError"]


class PublishError(ZhibaoError):
    """A channel could not deliver the brief (SMTP refused, bot rejected, unwritable site…)."""
