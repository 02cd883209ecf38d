from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from zhibao.config import Profile, SectionCount, Theme
from zhibao.core.model import Document, Tier

CHINA = timezone(timedelta(hours=8))


def _make_doc(
    url: str,
    title: str,
    text: str,
    day: int | None = 23,
    *,
    org: str = "国家数据局",
    source_id: str | None = "nda",
    language: str = "zh",
    hour: int = 10,
) -> Document:
    published = datetime(2026, 5, day, hour, 0, tzinfo=CHINA) if day else None
    return Document(
        url=url,
        canonical_url=url,
        title=title,
        text=text,
        published_at=published,
        source_org=org,
        source_id=source_id,
        language=language,
    )


@pytest.fixture
def profile() -> Profile:
    return Profile(
        name="测试",
        window_days=3,
        sections=SectionCount(min=1, max=4),
        title_weight=3.0,
        min_relevance=6.0,
        max_per_theme=2,
        authority={
            Tier.central: 1.0,
            Tier.official_media: 0.8,
            Tier.local: 0.7,
            Tier.foreign_media: 0.5,
        },
        org_tiers={"新华社": Tier.official_media, "Reuters": Tier.foreign_media},
        themes=[
            Theme(
                id="data",
                name="数据要素",
                keywords={"数据要素": 3, "数据要素×": 3, "公共数据": 2, "数据局": 1},
                negative_keywords=["彩票"],
            ),
            Theme(
                id="ai",
                name="人工智能",
                keywords={"人工智能": 2, "大模型": 2, "AI": 1, "data center": 2},
            ),
            Theme(id="compute", name="算力", keywords={"算力": 3}),
        ],
        negative_keywords={"娱乐": 5.0},
    )


@pytest.fixture
def make_doc():
    """Factory: ``make_doc(url, title, text, day=23, org=…, source_id=…, language=…)``."""
    return _make_doc


@pytest.fixture
def tiers() -> dict[str, Tier]:
    return {"nda": Tier.central, "xinhua": Tier.official_media, "sh": Tier.local}
