"""Store fixtures: a fresh SQLite file per test, a document builder, article pages, a WARC.

The import tests run the real ``zhibao.crawl`` (decode_html, iter_warc) and
``zhibao.extract`` (extract_document) on these fixtures.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from zhibao.core.model import Document
from zhibao.core.time import SHANGHAI
from zhibao.store import Store


@pytest.fixture
def db_url(database_url: str) -> str:
    """The test database: SQLite, and PostgreSQL too when one is given (``tests/conftest.py``)."""
    return database_url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


def shanghai(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def make_doc() -> Callable[..., Document]:
    def build(n: int = 1, **overrides: Any) -> Document:
        data: dict[str, Any] = {
            "url": f"https://www.nda.gov.cn/sjj/ywpd/0523/2026052319{n:04d}_pc.html",
            "canonical_url": f"https://www.nda.gov.cn/sjj/ywpd/0523/2026052319{n:04d}.html",
            "title": f"国家数据局发布数据要素试点第{n}批名单",
            "text": "国家数据局公布了第一批试点名单。\n试点覆盖多个行业和地区。",
            "published_at": shanghai(2026, 5, 23, 19, 23),
            "source_id": "nda",
            "source_org": "国家数据局",
            "content_hash": "",
            "fetched_at": datetime(2026, 5, 23, 12, 0, tzinfo=UTC),
        }
        data.update(overrides)
        return Document(**data)

    return build


# --------------------------------------------------------------------------- article pages


def article_html(
    title: str,
    *,
    pub: str = "2026-05-23 19:23",
    canonical: str | None = None,
    og_url: str | None = None,
    charset: str = "utf-8",
) -> str:
    head = [f'<meta charset="{charset}">', f"<title>{title}_国家数据局</title>"]
    head.append(f'<meta name="ArticleTitle" content="{title}">')
    head.append(f'<meta name="PubDate" content="{pub}">')
    head.append('<meta name="ContentSource" content="国家数据局">')
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if og_url:
        head.append(f'<meta property="og:url" content="{og_url}">')
    body = "".join(
        f"<p>{sentence}</p>"
        for sentence in (
            f"{title}。这是为测试编写的一段正文，说明数据要素市场建设的最新进展。",
            "会议要求各地加快公共数据资源开发利用，推动数据基础设施建设，提升数据流通效率。",
            "下一步将围绕重点行业开展试点，总结可复制可推广的经验做法，形成制度成果。",
        )
    )
    return (
        f"<!DOCTYPE html><html><head>{''.join(head)}</head><body>"
        f'<div class="header">首页 | 机构 | 新闻</div><div class="article"><h1>{title}</h1>'
        f'<div class="info">发布时间：{pub} 来源：国家数据局</div>{body}</div></body></html>'
    )


def write_warc(path: Path, records: list[tuple[str, int, str, bytes]]) -> Path:
    """A gzipped WARC with one response record per ``(url, status, content_type, body)``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, status, content_type, body in records:
            http = StatusAndHeaders(
                f"{status} X", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2026-05-23T12:00:00Z"},
            )
            writer.write_record(record)
    return path


@pytest.fixture
def article() -> Callable[..., str]:
    """``article(title, pub=…, canonical=…, og_url=…)`` → an article page as HTML text."""
    return article_html


@pytest.fixture
def warc() -> Callable[[Path, list[tuple[str, int, str, bytes]]], Path]:
    """``warc(path, [(url, status, content_type, body), …])`` writes a gzipped WARC."""
    return write_warc
