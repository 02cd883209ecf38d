"""Everything one zhibao home is configured with, loaded at once.

    >>> from zhibao.config.settings import load_settings
    >>> settings = load_settings("~/.zhibao")
    >>> settings.brand.report_title, settings.profile.cadence.every, len(settings.sources)
    ('新质生产力每日动态', 'daily', 12)

The files are read when ``load_settings`` is called; a broken one raises ``ConfigError``
naming the file, line and field, before any work starts. ``publish.yaml`` and ``llm.yaml``
are read on first use: a brief can be written without them being valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from zhibao.config import (
    Brand,
    Paths,
    Profile,
    load_brand,
    load_profile,
    load_sources,
    resolve_paths,
)
from zhibao.core.model import Source

if TYPE_CHECKING:
    from zhibao.config.llm import LLMSettings
    from zhibao.config.publish import PublishConfig

__all__ = ["EARLIEST_PUBLISHED", "Settings", "load_settings"]

# extract: a publication date before this day is a misreading (a 1900-01-01 template default,
# a founding year), never a document's date; a source's ``earliest_published`` moves it.
EARLIEST_PUBLISHED = date(1990, 1, 1)


@dataclass
class Settings:
    """Paths, brand, topic profile and sources of one home (and its publish/LLM settings)."""

    paths: Paths
    brand: Brand
    profile: Profile
    sources: list[Source] = field(default_factory=list)

    @property
    def config_dir(self) -> Path:
        return self.paths.config_dir

    @property
    def data_dir(self) -> Path:
        return self.paths.data_dir

    @property
    def enabled_sources(self) -> list[Source]:
        return [s for s in self.sources if s.enabled]

    @cached_property
    def publish(self) -> PublishConfig:
        from zhibao.config import load_publish

        return load_publish(self.config_dir)

    @cached_property
    def llm(self) -> LLMSettings:
        from zhibao.config.llm import load_llm_settings

        return load_llm_settings(self.config_dir)


def load_settings(home: str | Path | None = None) -> Settings:
    """The settings of ``home`` (else ``$ZHIBAO_HOME``, else ``~/.zhibao``) over the built-ins."""
    paths = resolve_paths(home)
    return Settings(
        paths=paths,
        brand=load_brand(paths.config_dir),
        profile=load_profile(paths.config_dir),
        sources=list(load_sources(paths.config_dir).sources),
    )
