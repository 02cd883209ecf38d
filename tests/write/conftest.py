from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from zhibao.config import Brand, Profile, SectionCount, Theme
from zhibao.core.model import Contact, Document, Tier
from zhibao.store import Store

CHINA = timezone(timedelta(hours=8))

CONTEST = (
    "据悉，5月23日，数据安全发展大会开幕。国家数据局局长刘烈宏出席开幕式，并启动2026年“数据要素×”大赛。\n"
    "刘烈宏表示，2026年是“数据要素价值释放年”。本届大赛新增人力资源、中医药等赛道，共设16个行业赛道。\n"
    "大赛旨在推动数据“供得出、流得动、用得好、保安全”。\n"
    "有关司局负责同志参加活动。"
)
CONTEST_REPORT = (
    "本报北京5月23日电 2026年“数据要素×”大赛23日启动，共设16个行业赛道，"
    "首次设立数据基础设施建设赛道，预计吸引超过2万支队伍参赛。"
)
TOKEN = (
    "5月22日，国家数据局召开词元经济座谈会，阿里云、腾讯等企业代表参加。\n"
    "与会代表认为，词元已逐渐成为人工智能服务计量、结算与统计的基本单位。\n"
    "下一步，国家数据局将从高质量数据集和全国一体化算力网两方面发力。"
)


def make_doc(url, title, text, day=23, *, org="国家数据局", source_id="nda", hour=10, month=5):
    published = datetime(2026, month, day, hour, 0, tzinfo=CHINA) if day else None
    return Document(
        url=url,
        canonical_url=url,
        title=title,
        text=text,
        published_at=published,
        source_org=org,
        source_id=source_id,
        archive="run-00001.warc.gz#urn:uuid:1" if source_id == "nda" else None,
    )


@pytest.fixture
def profile() -> Profile:
    return Profile(
        name="新质生产力",
        sections=SectionCount(min=1, max=4),
        min_relevance=6.0,
        authority={Tier.central: 1.0, Tier.official_media: 0.8},
        themes=[
            Theme(
                id="data",
                name="数据要素与数据基础设施",
                keywords={"数据要素": 3, "数据要素×": 3, "数据局": 1},
            ),
            Theme(
                id="ai", name="人工智能与产业应用", keywords={"人工智能": 2, "词元": 3, "大模型": 2}
            ),
        ],
    )


@pytest.fixture
def brand() -> Brand:
    return Brand(
        report_title="新质生产力每日动态",
        publisher="测试委员会",
        contact=Contact(website="https://example.org", disclaimer="仅供参考"),
    )


@pytest.fixture
def sources():
    from zhibao.core.model import Source

    return [
        Source(
            id="nda", name="国家数据局", org="国家数据局", tier=Tier.central, urls=["https://nda/"]
        ),
        Source(
            id="people",
            name="人民日报",
            org="人民日报",
            tier=Tier.official_media,
            urls=["https://people/"],
        ),
    ]


@pytest.fixture
def documents() -> list[Document]:
    return [
        make_doc(
            "https://nda/contest",
            "刘烈宏出席数据安全发展大会开幕式并启动2026年“数据要素×”大赛",
            CONTEST,
            hour=20,
        ),
        make_doc(
            "https://people/contest",
            "2026年“数据要素×”大赛启动 赛道扩容激励加码",
            CONTEST_REPORT,
            24,
            org="人民网－人民日报",
            source_id="people",
        ),
        make_doc("https://nda/token", "国家数据局召开词元经济座谈会", TOKEN, 23),
        make_doc(
            "https://nda/notice",
            "关于举办2026年“数据要素×”大赛的通知",
            "国家数据局决定举办2026年“数据要素×”大赛，设16个行业赛道，大赛旨在推动数据要素价值释放。",
            27,
            month=4,
        ),
        make_doc("https://nda/party", "机关青年开展读书分享活动", "青年干部交流读书体会。", 23),
    ]


@pytest.fixture
def store(documents) -> Store:
    store = Store.open("sqlite://")
    for document in documents:
        store.upsert_document(document)
    yield store
    store.close()
