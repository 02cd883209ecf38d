"""政府信息公开 documents: the information table becomes fields, the body stays the document, and
dates in page furniture (出道日期, a copyright span) never become the publication date."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhibao.core.time import SHANGHAI
from zhibao.extract import extract_document
from zhibao.write.references import ReferenceBook

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED = datetime(2026, 5, 23, 8, 0, tzinfo=SHANGHAI)


def _extract(name: str, url: str):
    return extract_document((FIXTURES / name).read_text(), url, fetched_at=FETCHED)


def test_govcn_policy_library_page() -> None:
    doc = _extract(
        "govcn_policy.html", "https://www.gov.cn/zhengce/content/202605/content_7011234.htm"
    )
    assert doc.title == "国务院办公厅关于加快培育数据要素市场的意见"
    assert doc.doc_number == "国办发〔2026〕12号"
    assert doc.issuer == "国务院办公厅"
    assert doc.written_at == date(2026, 5, 18)
    assert doc.index_no == "000014349/2026-00045"
    assert doc.subject == "国民经济管理、国有资产监管\\宏观经济"
    # 发布日期 and firstpublishedtime agree on the day: the meta keeps its time.
    assert doc.published_at == datetime(2026, 5, 20, 17, 32, 5, tzinfo=SHANGHAI)
    lines = doc.text.split("\n")
    assert lines[:3] == [
        "国务院办公厅关于加快培育数据要素市场的意见",
        "国办发〔2026〕12号",
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
    ]
    assert lines[-3:] == ["国务院办公厅", "2026年5月18日", "（此件公开发布）"]
    assert "索引号" not in doc.text and "主题分类" not in doc.text and "打印" not in doc.text


def test_ministry_page_puts_title_and_number_back_above_the_body() -> None:
    doc = _extract(
        "ministry_xxgk.html", "https://www.miit.gov.cn/zwgk/zcwj/wjfb/tz/art/2026/art_88.html"
    )
    assert doc.doc_number == "工信部联科〔2026〕88号"
    assert doc.issuer == "科技司"  # the table's 发布机构
    assert doc.written_at == date(2026, 5, 15)
    assert doc.index_no == "11100000MB0143028R/2026-00088"
    assert doc.subject == "通知"
    assert doc.published_at.date() == date(2026, 5, 21)
    lines = doc.text.split("\n")
    assert lines[0].startswith("工业和信息化部 国家发展改革委关于推动人工智能")
    assert lines[1] == "工信部联科〔2026〕88号"
    assert lines[-1] == "2026年5月15日"
    assert "索引号" not in doc.text and "组配分类" not in doc.text


def test_provincial_page_keeps_the_body_not_the_table() -> None:
    doc = _extract(
        "province_xxgk.html", "https://www.example.gov.cn/art/2026/5/19/art_1229_21.html"
    )
    assert doc.doc_number == "某政办发〔2026〕21号"
    assert doc.issuer == "省人民政府办公厅"
    assert doc.written_at == date(2026, 5, 16)
    assert doc.index_no == "001003005/2026-12345"
    assert doc.subject == "交通运输\\通知"
    assert doc.published_at.date() == date(2026, 5, 19)
    assert "低空经济规模力争突破一千亿元" in doc.text
    assert doc.text.split("\n")[-1] == "（此件公开发布）"
    assert "索引号" not in doc.text and "发布机构" not in doc.text


def test_table_date_wins_over_a_meta_date_on_another_day() -> None:
    html = (FIXTURES / "province_xxgk.html").read_text()
    html = html.replace('content="2026-05-19 16:05"', 'content="2026-05-22 10:00"')
    doc = extract_document(html, "https://www.example.gov.cn/art/x.html", fetched_at=FETCHED)
    assert doc.published_at == datetime(2026, 5, 19, tzinfo=SHANGHAI)


def test_news_page_with_one_labelled_number_is_not_a_government_document(make_page) -> None:
    body = (
        "<h1>解读：数据要素市场意见出台</h1><div class='content'>"
        "<p>发文字号：国办发〔2026〕12号</p>"
        "<p>记者从国务院新闻办获悉，意见围绕数据产权、流通交易和收益分配作出部署，提出到2028年"
        "基本建成统一开放的数据要素市场，受到业界广泛关注。</p></div>"
    )
    doc = extract_document(make_page("<title>解读</title>", body), "https://example.com/a.html")
    assert doc.doc_number == "" and doc.index_no == ""
    assert "发文字号" in doc.text


@pytest.mark.parametrize("name", ["profile_furniture.html", "furniture_only_dates.html"])
def test_furniture_dates_are_not_the_publication_date(name: str) -> None:
    doc = _extract(name, "https://ent.example.com/a/news.html")
    expected = {"profile_furniture.html": datetime(2026, 5, 22, 20, 15, tzinfo=SHANGHAI)}
    assert doc.published_at == expected.get(name)  # the byline's time, or undated


def test_government_document_is_cited_with_issuer_title_and_number() -> None:
    doc = _extract(
        "govcn_policy.html", "https://www.gov.cn/zhengce/content/202605/content_7011234.htm"
    )
    book = ReferenceBook(org_of=lambda d: "中国政府网")
    book.cite(doc, "lead", "意见的主要目标")
    (ref,) = book.references()
    line = f"{ref.org}，{ref.title}，{ref.date.isoformat()}"
    assert (
        line
        == "国务院办公厅，《国务院办公厅关于加快培育数据要素市场的意见》（国办发〔2026〕12号），2026-05-20"
    )


def test_export_carries_the_table_fields(tmp_path: Path) -> None:
    from zhibao.cli import app
    from zhibao.store import Store

    doc = _extract(
        "govcn_policy.html", "https://www.gov.cn/zhengce/content/202605/content_7011234.htm"
    )
    home = tmp_path / "home"
    with Store.open(data_dir=home / "data") as store:
        store.upsert_document(doc)
    result = CliRunner().invoke(
        app, ["export", "documents"], env={"ZHIBAO_HOME": str(home)}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert row["doc_number"] == "国办发〔2026〕12号"
    assert row["issuer"] == "国务院办公厅"
    assert row["written_at"] == "2026-05-18"
    assert row["index_no"] == "000014349/2026-00045"
    assert row["subject"] == "国民经济管理、国有资产监管\\宏观经济"
