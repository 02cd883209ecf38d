"""Configuration is data: brand, topic profile, sources, publishing and the LLM are YAML files.

The 新质生产力 set ships inside the package (``defaults/``). A user's config dir — the
``ZHIBAO_HOME`` directory, or ``--home`` on the command line — holds files of the same names
that override the built-in values key by key. ``zhibao init DIR`` writes editable copies.
Every file is found, merged and reported on by one loader (``load_config``).

One home may run several topics (committees) over the same store and sources: each is a
directory ``<home>/topics/<name>/`` with its own ``profile.yaml`` and, optionally, its own
``brand.yaml`` and ``publish.yaml``. A topic's file overrides the home's key by key, which
overrides the built-in (``list_topics``; ``topic=`` on the loaders).

    >>> from zhibao.config import load_brand
    >>> load_brand().report_title
    '新质生产力每日动态'
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from zhibao.core.errors import ConfigError, format_validation_error
from zhibao.core.model import Contact, Masthead, Source, Tier, require_unique_ids
from zhibao.core.time import SHANGHAI

if TYPE_CHECKING:
    from zhibao.config.publish import PublishConfig

__all__ = [
    "Brand",
    "Cadence",
    "CONFIG_FILES",
    "DEFAULT_ROUNDUP_TITLES",
    "LengthBudget",
    "Span",
    "DEFAULTS_DIR",
    "Paths",
    "Profile",
    "SearchSettings",
    "SourcesConfig",
    "TOPICS_DIR",
    "Theme",
    "Window",
    "archive_dir",
    "domain_matches",
    "init_config",
    "list_topics",
    "load_brand",
    "load_config",
    "load_profile",
    "load_publish",
    "load_sources",
    "resolve_paths",
    "theme_short",
    "topic_dir",
]

DEFAULTS_DIR = Path(__file__).parent / "defaults"
CONFIG_FILES = ("brand.yaml", "profile.yaml", "sources.yaml", "publish.yaml", "llm.yaml")
TOPICS_DIR = "topics"  # <home>/topics/<name>/profile.yaml: one more topic of the home
TOPIC_FILES = ("profile.yaml", "brand.yaml", "publish.yaml")  # what a topic may have of its own


# --------------------------------------------------------------------------- where things live


@dataclass(frozen=True)
class Paths:
    """The config dir (YAML overrides) and the data dir (database, archives, briefs)."""

    config_dir: Path
    data_dir: Path

    @property
    def archive_dir(self) -> Path:
        return archive_dir(self.data_dir)


def archive_dir(data_dir: Path) -> Path:
    """Where collection writes its WARC files and the desk reads archived copies from."""
    return Path(data_dir) / "archive"


def resolve_paths(home: str | Path | None = None) -> Paths:
    """``home`` argument, else ``$ZHIBAO_HOME``, else ``~/.zhibao``; data in ``<home>/data``.

    ``$ZHIBAO_DATA_DIR`` moves the data dir on its own (e.g. onto a larger disk).
    """
    base = Path(home or os.environ.get("ZHIBAO_HOME") or Path.home() / ".zhibao").expanduser()
    data = os.environ.get("ZHIBAO_DATA_DIR")
    return Paths(config_dir=base, data_dir=Path(data).expanduser() if data else base / "data")


# --------------------------------------------------------------------------- schemas


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Brand(_Config):
    report_title: Annotated[str, Field(min_length=1)]
    publisher: str = ""
    producer: str = ""
    contact: Contact = Field(default_factory=Contact)
    other_news: bool = False

    @property
    def masthead(self) -> Masthead:
        return Masthead(title=self.report_title, publisher=self.publisher, producer=self.producer)


class Theme(_Config):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    name: Annotated[str, Field(min_length=1)]
    keywords: dict[str, Annotated[float, Field(gt=0)]] = Field(min_length=1)
    # A list uses Profile.negative_weight for every term; a mapping gives each term its own weight.
    negative_keywords: list[str] | dict[str, Annotated[float, Field(gt=0)]] = Field(
        default_factory=list
    )


DEFAULT_ROUNDUP_TITLES = (
    r"联播快讯",
    r"快讯$",
    r"简讯",
    r"要闻速览",
    r"新闻速览",
    r"一图读懂",
    r"早知道",
    r"新闻早班车",
)


class Span(_Config):
    """A length range in characters (Chinese characters, digits and punctuation all count)."""

    min: Annotated[int, Field(ge=0)] = 0
    max: Annotated[int, Field(ge=1)]

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) 不能大于 max ({self.max})")
        return self


class LengthBudget(_Config):
    """How long the brief's parts should be; writers keep inside it, the checker warns past it.

    The committee's issues run about 2,000–3,000 characters of body for 4–5 sections.
    """

    fact: Span = Field(default_factory=lambda: Span(min=120, max=250))
    analysis: Span = Field(default_factory=lambda: Span(min=60, max=250))
    heading: Span = Field(default_factory=lambda: Span(min=8, max=36))
    summary: Span = Field(default_factory=lambda: Span(min=80, max=400))
    judgment: Span = Field(default_factory=lambda: Span(min=80, max=450))
    section: Span = Field(default_factory=lambda: Span(min=180, max=520))
    brief: Span = Field(default_factory=lambda: Span(min=1200, max=3600))


def theme_short(name: str) -> str:
    """``数据要素与数据基础设施`` → ``数据要素``: how the brief names a theme in running text
    (the writers write it so, the checker recognises it so)."""
    return name.split("与", 1)[0].strip() or name


class SectionCount(_Config):
    min: Annotated[int, Field(ge=1, le=20)] = 4
    max: Annotated[int, Field(ge=1, le=20)] = 6

    @model_validator(mode="after")
    def _ordered(self) -> SectionCount:
        if self.min > self.max:
            raise ValueError(f"sections.min ({self.min}) 不能大于 sections.max ({self.max})")
        return self


# What follows from how often the brief appears; any key may be set in profile.yaml.
_CADENCE_DEFAULTS: dict[str, dict[str, Any]] = {
    "daily": {
        "window_days": 3,
        "trend_days": 7,
        "judgment_title": "今日判断",
        "period": "今日",
        "brief_name": "每日简报",
    },
    "weekly": {
        "window_days": 7,
        "trend_days": 28,
        "judgment_title": "本周判断",
        "period": "本周",
        "brief_name": "周报",
    },
}


class Cadence(_Config):
    """How often the brief appears: ``cadence: daily`` or ``weekly`` in profile.yaml, or a
    mapping that also overrides any of the values the kind implies."""

    every: Literal["daily", "weekly"] = "daily"
    window_days: Annotated[int, Field(ge=1, le=60)] = 3  # documents this many days back are fresh
    background_days: Annotated[int, Field(ge=0, le=365)] = 30  # older ones: possible background
    trend_days: Annotated[int, Field(ge=1, le=365)] = 7  # earlier briefs compared for trends
    judgment_title: Annotated[str, Field(min_length=1)] = "今日判断"  # the closing judgment
    period: Annotated[str, Field(min_length=1)] = "今日"  # 今日 / 本周, in the brief's wording
    brief_name: Annotated[str, Field(min_length=1)] = "每日简报"  # what one issue is called

    @model_validator(mode="before")
    @classmethod
    def _from_kind(cls, data: Any) -> Any:
        if isinstance(data, str):
            data = {"every": data}
        if isinstance(data, dict) and data.get("every") in _CADENCE_DEFAULTS:
            data = {**_CADENCE_DEFAULTS[data["every"]], **data}
        return data


class SearchSettings(_Config):
    """扩搜 in the brief run: how far widening the search around the day's events may go."""

    # After analysis, each selected and candidate event is searched once (its organisations
    # and terms, within its dates), best first, until this many queries were asked.
    max_queries_per_brief: Annotated[int, Field(ge=0, le=200)] = 8
    results_per_query: Annotated[int, Field(ge=1, le=50)] = 8  # result pages fetched per query
    keywords_per_theme: Annotated[int, Field(ge=1, le=20)] = 2  # ``queries: from_profile``


def _host_and_path(url: str) -> tuple[str, str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url if "//" in url else f"//{url}")
    return (parts.hostname or "").lower().rstrip("."), parts.path or "/"


def domain_matches(url: str, pattern: str) -> bool:
    """``pattern`` is a host suffix (``gov.cn`` matches ``www.miit.gov.cn``), optionally with a
    path prefix (``www.gov.cn/zhengce``)."""
    host, path = _host_and_path(url)
    want_host, _, want_path = pattern.strip().lower().partition("/")
    if not (host == want_host or host.endswith("." + want_host)):
        return False
    prefix, path = want_path.strip("/"), path.strip("/")
    return not prefix or path == prefix or path.startswith(prefix + "/")


@dataclass(frozen=True)
class Window:
    """The days one brief reads, computed in one place (``Profile.window``).

    Documents dated ``start``..``end`` are fresh; those from ``background_start`` on may be
    background of a fresh event; earlier briefs from ``trend_start`` on are compared for trends.
    """

    end: date  # the brief's own date
    start: date
    background_start: date
    trend_start: date
    cutoff: datetime  # documents published at or after this moment wait for the next brief

    def is_fresh(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


class Profile(_Config):
    name: Annotated[str, Field(min_length=1)]
    cadence: Cadence = Field(default_factory=Cadence)
    # Kept at the top level (where profiles have always set it); defaults to the cadence's.
    window_days: Annotated[int, Field(ge=1, le=60)] | None = None
    sections: SectionCount = Field(default_factory=SectionCount)
    title_weight: Annotated[float, Field(gt=0)] = 3.0
    authority: dict[Tier, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    themes: list[Theme] = Field(min_length=1)
    negative_keywords: list[str] | dict[str, Annotated[float, Field(gt=0)]] = Field(
        default_factory=list
    )
    # analyze: what counts as relevant, how the sections are chosen, how far continuity looks back
    negative_weight: Annotated[float, Field(gt=0)] = 3.0  # per hit of a listed negative keyword
    min_relevance: Annotated[float, Field(ge=0)] = 4.0  # a document below this is not relevant
    max_per_theme: Annotated[int, Field(ge=1)] = 2  # sections one theme may take (if others exist)
    continuity_briefs: Annotated[int, Field(ge=0, le=60)] = 5  # earlier briefs checked for repeats
    org_tiers: dict[str, Tier] = Field(default_factory=dict)  # tier of orgs without a source entry
    # Tier by where a page is: a host suffix (``gov.cn``, ``miit.gov.cn``), optionally with a path
    # prefix; the most specific entry wins. Searched pages have no source tier of their own.
    domain_tiers: dict[str, Tier] = Field(default_factory=dict)
    search: SearchSettings = Field(default_factory=SearchSettings)
    # Umbrella terms (新质生产力, 实体经济…) that many unrelated reports name in passing: a
    # document matching only these scores ``broad_factor`` of its score.
    broad_keywords: list[str] = Field(default_factory=list)
    broad_factor: Annotated[float, Field(ge=0, le=1)] = 0.5
    # The brief for day D reads what was published before D at this hour (Asia/Shanghai): it
    # goes out in the morning, so D's own evening news belongs to D+1's brief.
    cutoff: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "08:00"
    # Round-up pages (one title over several unrelated stories) are cut into one document per
    # story; these title patterns (regular expressions) name them, with each source's own.
    roundup_titles: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ROUNDUP_TITLES)
    )
    length: LengthBudget = Field(default_factory=LengthBudget)

    @model_validator(mode="after")
    def _unique_theme_ids(self) -> Profile:
        require_unique_ids("themes", [t.id for t in self.themes])
        if self.window_days is None:
            self.window_days = self.cadence.window_days
        else:
            self.cadence = self.cadence.model_copy(update={"window_days": self.window_days})
        return self

    def domain_tier(self, url: str) -> Tier | None:
        """The tier ``domain_tiers`` gives the page at ``url`` (longest matching entry)."""
        matches = [p for p in self.domain_tiers if domain_matches(url, p)]
        return self.domain_tiers[max(matches, key=len)] if matches else None

    def search_keywords(self) -> list[str]:
        """``queries: from_profile``: each theme's strongest keywords, strongest themes' first."""
        per_theme = self.search.keywords_per_theme
        keywords: list[str] = []
        for theme in self.themes:
            ranked = sorted(theme.keywords.items(), key=lambda item: -item[1])
            keywords += [term for term, _ in ranked[:per_theme] if term not in keywords]
        return keywords

    def window(self, brief_date: date) -> Window:
        """The days the brief of ``brief_date`` reads (the one window computation)."""
        cadence = self.cadence
        start = brief_date - timedelta(days=cadence.window_days)
        hour, minute = (int(part) for part in self.cutoff.split(":"))
        return Window(
            end=brief_date,
            start=start,
            background_start=start - timedelta(days=cadence.background_days),
            trend_start=brief_date - timedelta(days=cadence.trend_days),
            cutoff=datetime.combine(brief_date, dtime(hour, minute), tzinfo=SHANGHAI),
        )


class SourcesConfig(_Config):
    sources: list[Source] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> SourcesConfig:
        require_unique_ids("sources", [s.id for s in self.sources])
        return self

    @property
    def enabled(self) -> list[Source]:
        return [s for s in self.sources if s.enabled]


# --------------------------------------------------------------------------- loading

M = TypeVar("M", bound=BaseModel)


MAX_CONFIG_BYTES = 5_000_000  # the largest real sources.yaml is tens of KB


class _YamlFile:
    """A parsed YAML file that remembers on which line each key or list item stands."""

    def __init__(self, path: Path):
        from zhibao.core.errors import InputError
        from zhibao.core.inputs import read_text_file

        self.path = path
        try:
            # Bounded: a config is a few KB; a huge file would take minutes to parse.
            text = read_text_file(path, what="配置文件（YAML）", max_bytes=MAX_CONFIG_BYTES)
        except InputError as exc:
            raise ConfigError(str(exc)) from None
        try:
            self.node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except RecursionError:  # PyYAML parses nesting recursively
            raise ConfigError(
                f"{path}: YAML 嵌套过深，无法读取；配置只需几层缩进，请检查文件 (nested too deeply)"
            ) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark else str(path)
            problem = getattr(exc, "problem", None) or str(exc)
            raise ConfigError(f"{where}: YAML 语法错误：{problem}") from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}:1: 顶层应是键值映射 (mapping)，收到 {type(data).__name__}")
        self.data: dict[str, Any] = data

    def line_of(self, loc: tuple[int | str, ...]) -> int | None:
        node, line = self.node, None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if k.value == str(part)), None)
                if match is None:
                    break
                line = next(k for k, v in node.value if v is match).start_mark.line + 1
                node = match
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    break
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line if line is not None else (node.start_mark.line + 1 if node else None)


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key; any other value (lists included) replaces the default."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(
    model: type[M], name: str, config_dir: str | Path | None = None, *, topic: str | None = None
) -> M:
    """``defaults/<name>`` with ``<config_dir>/<name>`` over it key by key (and, for a
    ``topic``, ``<config_dir>/topics/<topic>/<name>`` over that), validated as ``model``.

    ``config_dir`` defaults to the home's (``$ZHIBAO_HOME`` or ``~/.zhibao``). A bad value is
    a ``ConfigError`` naming the file it came from, its line and the field.
    """
    layers = [_YamlFile(path) for path in _layer_paths(name, config_dir, topic)]
    data: dict[str, Any] = {}
    for layer in layers:
        data = _deep_merge(data, layer.data)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # Report the error against the file the offending value came from: the topmost
        # layer that sets the offending key.
        key = exc.errors()[0]["loc"][0] if exc.errors() and exc.errors()[0]["loc"] else None
        origin = next((f for f in reversed(layers) if key in f.data), layers[-1])
        raise ConfigError(
            format_validation_error(exc, origin=str(origin.path), line_of=origin.line_of)
        ) from None


def _layer_paths(name: str, config_dir: str | Path | None, topic: str | None) -> list[Path]:
    home = _config_dir(config_dir)
    paths = [DEFAULTS_DIR / name, home / name]
    if topic is not None:
        paths.append(topic_dir(home, topic) / name)
    return [paths[0], *(p for p in paths[1:] if p.exists())]


def _config_dir(config_dir: str | Path | None) -> Path:
    return Path(config_dir) if config_dir is not None else resolve_paths().config_dir


def list_topics(home: str | Path | None = None) -> list[str]:
    """The topics of a home besides its own profile: the directories under ``<home>/topics``
    that hold a ``profile.yaml``, by name."""
    root = _config_dir(home) / TOPICS_DIR
    if not root.is_dir():
        return []
    return sorted(d.name for d in root.iterdir() if (d / "profile.yaml").is_file())


def topic_dir(home: str | Path | None, topic: str) -> Path:
    """``<home>/topics/<topic>``; an unknown topic is a ``ConfigError`` listing the known ones."""
    known = list_topics(home)
    if topic not in known:
        root = _config_dir(home) / TOPICS_DIR
        listed = "、".join(known) if known else "（无）"
        raise ConfigError(
            f"未知主题「{topic}」：{root / topic / 'profile.yaml'} 不存在；已有的主题：{listed}。"
            f"新建主题请写出 {root}/<主题名>/profile.yaml (unknown topic)"
        )
    return _config_dir(home) / TOPICS_DIR / topic


def load_brand(config_dir: str | Path | None = None, *, topic: str | None = None) -> Brand:
    return load_config(Brand, "brand.yaml", config_dir, topic=topic)


def load_profile(config_dir: str | Path | None = None, *, topic: str | None = None) -> Profile:
    """The home's topic profile, or ``topic``'s (named as its directory: the store keeps
    each topic's briefs under this name)."""
    profile = load_config(Profile, "profile.yaml", config_dir, topic=topic)
    if topic is None:
        return profile
    own = _YamlFile(topic_dir(config_dir, topic) / "profile.yaml").data.get("name")
    if own is not None and own != topic:
        path = topic_dir(config_dir, topic) / "profile.yaml"
        raise ConfigError(
            f"{path}: name 应与主题目录名一致（「{topic}」，收到 {own!r}）；"
            "删去 name 或改为目录名 (topic name must match its directory)"
        )
    return profile.model_copy(update={"name": topic})


def load_sources(config_dir: str | Path | None = None) -> SourcesConfig:
    return load_config(SourcesConfig, "sources.yaml", config_dir)


def load_publish(config_dir: str | Path | None = None, *, topic: str | None = None) -> PublishConfig:
    """``publish.yaml``: channels, static site, email, webhooks and the daily schedule.

    A topic without a ``site.dir`` of its own publishes into ``<home's site dir>/<topic>``,
    so that two topics' static sites never overwrite each other."""
    from zhibao.config.publish import PublishConfig

    config = load_config(PublishConfig, "publish.yaml", config_dir, topic=topic)
    if topic is None:
        return config
    own_file = topic_dir(config_dir, topic) / "publish.yaml"
    own = _YamlFile(own_file).data if own_file.exists() else {}
    if isinstance(own.get("site"), dict) and own["site"].get("dir"):
        return config
    home_site = config.site.dir or resolve_paths(_config_dir(config_dir)).data_dir / "site"
    site = config.site.model_copy(update={"dir": Path(home_site).expanduser() / topic})
    return config.model_copy(update={"site": site})


def init_config(directory: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Copy the built-in YAML files into ``directory`` for editing; never clobbers by default."""
    directory = Path(directory)
    targets = [directory / name for name in CONFIG_FILES]
    # Checked before writing any, so a refused init leaves the directory as it was.
    existing = [target for target in targets if target.exists()]
    if existing and not overwrite:
        raise ConfigError(f"{existing[0]}: 已存在；如需覆盖请加 --force (already exists)")
    directory.mkdir(parents=True, exist_ok=True)
    for target in targets:
        shutil.copyfile(DEFAULTS_DIR / target.name, target)
    return targets
