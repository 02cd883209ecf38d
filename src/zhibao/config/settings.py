"""Everything one zhibao home is configured with, loaded at once.

    >>> from zhibao.config.settings import load_settings
    >>> settings = load_settings("~/.zhibao")
    >>> settings.brand.report_title, settings.profile.cadence.every, len(settings.sources)
    ('新质生产力每日动态', 'daily', 12)

``load_settings(home, topic="低空经济")`` loads one of the home's topics
(``<home>/topics/低空经济/``): its profile, brand and publish settings over the home's; the
sources, store and archive are the home's, shared by every topic.

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
    list_topics,
    load_brand,
    load_profile,
    load_sources,
    resolve_paths,
)
from zhibao.core.errors import ConfigError
from zhibao.core.model import Source

if TYPE_CHECKING:
    from zhibao.config.llm import LLMSettings
    from zhibao.config.publish import PublishConfig

__all__ = ["EARLIEST_PUBLISHED", "Settings", "load_settings", "topic_names"]

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
    # None: the home's own profile.yaml; else a directory under <home>/topics.
    topic: str | None = None

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

        return load_publish(self.config_dir, topic=self.topic)

    @cached_property
    def llm(self) -> LLMSettings:
        from zhibao.config.llm import load_llm_settings

        return load_llm_settings(self.config_dir)


def load_settings(home: str | Path | None = None, *, topic: str | None = None) -> Settings:
    """The settings of ``home`` (else ``$ZHIBAO_HOME``, else ``~/.zhibao``) over the built-ins.

    ``topic``: one of the home's topics (``topic_names``); the name of the home's own profile
    means that profile. An unknown topic is a ``ConfigError`` listing the known ones."""
    paths = resolve_paths(home)
    own = _own_topic(paths, topic)
    return Settings(
        paths=paths,
        brand=load_brand(paths.config_dir, topic=own),
        profile=load_profile(paths.config_dir, topic=own),
        sources=list(load_sources(paths.config_dir).sources),
        topic=own,
    )


def topic_names(home: str | Path | None = None) -> list[str]:
    """Every topic of a home, as the store names them: its own profile's first, then those
    under ``<home>/topics``."""
    paths = resolve_paths(home)
    own = load_profile(paths.config_dir).name
    return [own, *(t for t in list_topics(paths.config_dir) if t != own)]


def _own_topic(paths: Paths, topic: str | None) -> str | None:
    """The directory under ``topics`` that ``topic`` names (None: the home's own profile)."""
    if topic is None or topic in list_topics(paths.config_dir):
        return topic
    if topic == load_profile(paths.config_dir).name:
        return None
    known = "、".join(topic_names(paths.config_dir))
    raise ConfigError(
        f"未知主题「{topic}」：{paths.config_dir / 'topics' / topic / 'profile.yaml'} 不存在；"
        f"已有的主题：{known}。新建主题请写出 {paths.config_dir}/topics/<主题名>/profile.yaml"
        " (unknown topic)"
    )
