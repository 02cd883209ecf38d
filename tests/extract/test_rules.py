"""A source's own extraction rules (``body_selector``, ``remove_selectors``) from sources.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhibao.config import load_sources
from zhibao.core.errors import ConfigError
from zhibao.core.model import Source, Tier
from zhibao.extract import extract_document
from zhibao.extract.boilerplate import is_boilerplate

ARTICLE = "市场监管总局发布新规，明确平台企业数据收集使用的边界和责任，自发布之日起施行。"
FOLLOW_UP = "新规要求平台企业建立数据分类分级保护制度。"
# A sidebar column with more, and more punctuated, prose than the short article itself.
SIDEBAR = "".join(
    f"<p>专栏文章第{n}篇：围绕数据要素市场化配置改革，专家认为，应当加快制度建设，完善收益分配，"
    f"健全安全治理，推动公共数据、企业数据、个人数据分类分级确权授权使用。</p>"
    for n in range(1, 6)
)
WIDGET = "关注本站微信公众号，第一时间获取更多权威政策解读与数据动态。"


def source(**rules) -> Source:
    return Source(
        id="example",
        name="示例网",
        org="示例网",
        tier=Tier.official_media,
        urls=["https://www.example.cn/news/"],
        **rules,
    )


def page(make_page) -> str:
    return make_page(
        "<title>平台数据新规发布_示例网</title>",
        "<div class='layout'>"
        f"<div class='story'><h1>平台数据新规发布</h1><div class='words'><p>{ARTICLE}</p>"
        f"<div class='follow-us'>{WIDGET}</div></div></div>"
        f"<div class='column'>{SIDEBAR}</div>"
        "</div>",
    )


URL = "https://www.example.cn/news/2026-05/23/content_1.htm"


def test_body_selector_picks_its_node_over_a_denser_sidebar(make_page) -> None:
    html = page(make_page)
    generic = extract_document(html, URL)
    assert "专栏文章" in generic.text  # the scorer alone takes the denser column
    doc = extract_document(html, URL, source=source(body_selector="div.words"))
    assert doc.text.startswith(ARTICLE)
    assert "专栏文章" not in doc.text


def test_body_selectors_are_tried_in_order(make_page) -> None:
    # The first selector matches nothing, the second only a heading: the third holds the text.
    rules = source(body_selector=["#missing", ".story h1", ".story"])
    doc = extract_document(page(make_page), URL, source=rules)
    assert ARTICLE in doc.text and "专栏文章" not in doc.text


def test_remove_selectors_drop_a_share_widget(make_page) -> None:
    html = page(make_page)
    assert not is_boilerplate(WIDGET)  # generic cleaning keeps it: only the rule can drop it
    kept = extract_document(html, URL, source=source(body_selector="div.words"))
    assert WIDGET in kept.text
    rules = source(body_selector="div.words", remove_selectors=[".follow-us", ".no-such"])
    doc = extract_document(html, URL, source=rules)
    assert ARTICLE in doc.text and WIDGET not in doc.text


def test_bad_selector_in_sources_yaml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        "  - id: ok\n    name: 甲\n    org: 甲\n    tier: central\n    urls: [http://a]\n"
        "  - id: broken\n    name: 乙\n    org: 乙\n    tier: central\n    urls: [http://b]\n"
        "    remove_selectors: ['.share', 'div[class=']\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_sources(tmp_path)
    message = str(info.value)
    assert f"{tmp_path / 'sources.yaml'}:12: sources[1].remove_selectors:" in message
    assert "信息源 broken 的 remove_selectors 不是有效的 CSS 选择器：'div[class='" in message
    assert '请改为如 "div.article"' in message


def test_body_selector_may_be_one_string_or_a_list() -> None:
    assert source(body_selector="#content").body_selector == ["#content"]
    assert source(body_selector=["#a", ".b"]).body_selector == ["#a", ".b"]
    with pytest.raises(ValueError, match="body_selector 不是有效的 CSS 选择器"):
        source(body_selector=["#a", "p >> q"])


def test_shipped_site_rules_apply_to_their_source_pages(make_page) -> None:
    # The CCTV container, once coded in extract, now comes from the built-in sources.yaml.
    xwlb = next(s for s in load_sources(Path("/nonexistent")).sources if s.id == "cctv-xwlb")
    html = make_page(
        "<title>新闻联播</title>",
        "<div class='contit'><span>主要内容</span></div>"
        f"<div id='content_area'><p>{ARTICLE}</p><p>{FOLLOW_UP}</p></div>"
        f"<div class='column'>{SIDEBAR}</div>",
    )
    doc = extract_document(html, "https://tv.cctv.com/2026/05/23/VIDE1.shtml", source=xwlb)
    assert doc.text == f"{ARTICLE}\n{FOLLOW_UP}"


def test_a_reporter_opening_the_article_is_not_a_credit_line() -> None:
    assert not is_boilerplate("记者从交管部门获悉，本周末城区部分路段将实施临时交通管制。")
    assert is_boilerplate("记者 张三 李四")
    assert is_boilerplate("【责任编辑：王明】")
    assert is_boilerplate("【打印本稿】 【关闭】")
