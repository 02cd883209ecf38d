"""Each format of a brief rendered once per publish, shared by the site, email and bots."""

from __future__ import annotations

from zhibao.core.model import Brief

__all__ = ["Renditions"]


class Renditions:
    """``Renditions(brief)["pdf"]`` renders on first use and keeps the bytes.

    >>> r = Renditions(brief)
    >>> r["md"][:1]
    b'#'
    """

    def __init__(self, brief: Brief):
        self.brief = brief
        self._cache: dict[str, bytes] = {}

    def __getitem__(self, name: str) -> bytes:
        if name not in self._cache:
            from zhibao.render import get_renderer

            self._cache[name] = get_renderer(name).render(self.brief)
        return self._cache[name]

    def file_name(self, name: str) -> str:
        from zhibao.render import get_renderer

        return f"{self.brief.stem}{get_renderer(name).suffix}"
