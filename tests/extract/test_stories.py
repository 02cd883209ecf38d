"""Round-up pages cut into stories; index pages refused; ordinary articles left whole.

The fixtures under ``fixtures/`` are hand-written in the shape of the real pages: a CCTV item
page (``#content_area`` with bold sub-headlines after ``央视网消息（新闻联播）：``), a CCTV day
list (``<li>`` links only), a ministry policy interpretation with 一、二、三 sections.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from zhibao.config import DEFAULT_ROUNDUP_TITLES
from zhibao.core.model import Document
from zhibao.core.text import content_hash
from zhibao.core.time import SHANGHAI
from zhibao.extract import (
    ExtractError,
    IndexPageError,
    extract_document,
    is_index_page,
    is_roundup,
    split_stories,
)
from zhibao.extract.stories import find_stories, is_index_title, story_url

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = "https://tv.cctv.com/2026/05/18/VIDEabcdefghijklmnopqrst260518.shtml"
PATTERNS = list(DEFAULT_ROUNDUP_TITLES)
BROADCAST = datetime(2026, 5, 18, 19, 0, tzinfo=SHANGHAI)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def doc(title: str, text: str, **fields) -> Document:
    values = {"url": PAGE, "canonical_url": PAGE, "title": title, "text": text} | fields
    return Document(**values)


@pytest.fixture
def roundup() -> Document:
    page = extract_document(fixture("cctv_roundup.shtml"), PAGE)
    return page.model_copy(
        update={"published_at": BROADCAST, "source_id": "cctv", "source_org": "中央广播电视总台"}
    )


# ---------------------------------------------------------------------------- round-ups


def test_extraction_keeps_each_bold_sub_headline_on_its_own_line(roundup: Document) -> None:
    lines = roundup.text.split("\n")
    assert roundup.title == "国内联播快讯"
    assert lines[0] == "央视网消息（新闻联播）："
    assert "全国中小学科学教育周活动启动" in lines
    # "<strong>headline</strong><br/>body" in one <p> still gives two lines
    assert "《智慧港口建设行动方案》发布" in lines


def test_a_roundup_page_becomes_one_document_per_story(roundup: Document) -> None:
    stories = split_stories(roundup, PATTERNS)
    assert [s.title for s in stories] == [
        "前4个月全国新增数据中心算力规模同比增长三成",
        "全国中小学科学教育周活动启动",
        "《智慧港口建设行动方案》发布",
        "强降雨影响江南华南多地",
    ]
    assert [s.url for s in stories] == [f"{PAGE}#story-{n}" for n in range(1, 5)]
    assert [s.canonical_url for s in stories] == [f"{PAGE}#story-{n}" for n in range(1, 5)]
    assert {s.page_url for s in stories} == {PAGE}
    assert {s.link for s in stories} == {PAGE}  # what a reader opens is the page


def test_each_story_has_only_its_own_paragraphs(roundup: Document) -> None:
    first, second, third, fourth = split_stories(roundup, PATTERNS)
    assert first.text.startswith("国家数据局今天（5月18日）发布数据显示")
    assert "央视网消息" not in "".join(s.text for s in (first, second, third, fourth))
    assert second.text.split("\n") == [
        "第五届全国中小学科学教育周今天启动，各地组织科普场馆、高校实验室向中小学生开放，"
        "引导学生走进科学、热爱科学。",
        "活动期间，还将发布一批科学教育优秀案例。",
    ]
    assert third.text.startswith("近日，交通运输部等部门联合印发《智慧港口建设行动方案》")
    assert "智慧港口" not in fourth.text and "强降雨" not in second.text
    for story in (first, second, third, fourth):
        assert story.content_hash == content_hash(story.text)
        assert story.title not in story.text.split("\n")  # the headline is not body text


def test_stories_inherit_what_the_page_says(roundup: Document) -> None:
    page = roundup.model_copy(update={"column": "联播快讯", "archive": "run-1.warc.gz#r1"})
    for story in split_stories(page, PATTERNS):
        assert story.published_at == BROADCAST
        assert (story.source_id, story.source_org, story.language) == (
            "cctv",
            "中央广播电视总台",
            "zh",
        )
        assert (story.column, story.archive) == ("联播快讯", "run-1.warc.gz#r1")


def test_splitting_is_stable_and_idempotent(roundup: Document) -> None:
    once = split_stories(roundup, PATTERNS)
    again = split_stories(roundup, PATTERNS)
    assert [(s.url, s.content_hash) for s in once] == [(s.url, s.content_hash) for s in again]
    assert split_stories(once[0], PATTERNS) == [once[0]]  # a story is never cut again
    assert story_url(f"{PAGE}#top", 2) == f"{PAGE}#story-2"


def test_title_patterns_come_from_the_profile_and_the_source(roundup: Document) -> None:
    assert is_roundup(roundup, PATTERNS)
    renamed = roundup.model_copy(update={"title": "今日政务短波"})
    assert not is_roundup(renamed, PATTERNS)
    assert is_roundup(renamed, [*PATTERNS, "政务短波"])  # a source's own roundup_titles
    assert is_roundup(renamed, ["政务短波$"])


def test_a_page_that_is_not_a_roundup_is_returned_unchanged(make_page, paragraph) -> None:
    page = doc("全国数据工作会议在京召开", f"{paragraph}\n会议强调，要统筹发展和安全。")
    assert split_stories(page, PATTERNS) == [page]


def test_a_two_line_headline_is_one_headline() -> None:
    text = "\n".join(
        [
            "全国政协十四届四次会议闭幕",
            "王沪宁发表讲话",
            "全国政协十四届四次会议今天上午在人民大会堂闭幕。会议期间，委员们围绕经济社会发展建言献策。",
            "会议通过了政治决议和有关报告。",
        ]
    )
    stories = find_stories(text)
    assert stories == []  # one headline group, no second story
    assert split_stories(doc("全国政协十四届四次会议闭幕", text), PATTERNS)[0].url == PAGE


def test_numbered_briefs_take_their_lead_sentence_as_title() -> None:
    text = "\n".join(
        [
            "1.国家数据局近日召开数据标准化工作推进会，部署下一阶段重点任务。会议要求加快标准研制。",
            "2.工业和信息化部发布2026年第一批工业互联网试点示范名单，涵盖制造业多个重点行业和领域。",
            "3.国家统计局数据显示，4月份全国规模以上工业增加值同比增长6.1%，"
            "装备制造业和高技术制造业增加值增速明显快于全部规上工业。",
        ]
    )
    stories = split_stories(doc("数据工作简讯", text), PATTERNS)
    assert [s.title for s in stories] == [
        "国家数据局近日召开数据标准化工作推进会，部署下一阶段重点任务",  # its first sentence
        "工业和信息化部发布2026年第一批工业互联网试点示范名单",  # cut at a comma
        "国家统计局数据显示，4月份全国规模以上工业增加值同比增长6.1%",  # never mid-word
    ]
    assert stories[1].text.startswith("工业和信息化部发布")  # the number goes, the text stays
    assert [s.url for s in stories][-1] == f"{PAGE}#story-3"


# ---------------------------------------------------------------------------- kept whole

SECTIONED = "\n".join(
    [
        "近日，国家数据局印发《意见》。现就有关内容解读如下。",
        "扩大公共数据资源供给范围",
        "各地要编制公共数据资源目录，推动公共数据依法有序开放，扩大供给范围。",
        "规范公共数据授权运营机制",
        "建立授权运营管理制度，明确运营主体的条件和责任，加强全过程监管。",
        "鼓励公共数据应用创新发展",
        "支持在交通、医疗、金融等领域开展公共数据应用试点，培育新业态新模式。",
    ]
)


def test_a_policy_interpretation_with_sections_stays_one_document() -> None:
    page = extract_document(
        fixture("policy_interpretation.html"), "https://www.nda.gov.cn/sjj/zcjd/0518/1_pc.html"
    )
    assert page.title == "《关于加快公共数据资源开发利用的意见》解读"
    assert page.column == "政策解读"
    assert "一、扩大公共数据资源供给" in page.text.split("\n")
    assert len(find_stories(page.text)) == 3  # the structure is there…
    assert not is_roundup(page, PATTERNS)  # …but the title names one subject
    assert split_stories(page, PATTERNS) == [page]


def test_structure_alone_splits_only_under_a_generic_title() -> None:
    assert len(split_stories(doc("公共数据开发利用工作取得积极进展", SECTIONED), PATTERNS)) == 1
    # The same three headed short stories under a round-up's title are three stories.
    stories = split_stories(doc("本周要闻", SECTIONED), ())
    assert [s.title for s in stories][1:] == [
        "规范公共数据授权运营机制",
        "鼓励公共数据应用创新发展",
    ]
    assert stories[0].url.endswith("#story-1")


def test_long_sections_under_a_generic_title_are_not_a_roundup() -> None:
    long_body = "各地要推动公共数据依法有序开放，扩大供给范围，提升数据质量。" * 30
    text = "\n".join(
        [
            "扩大公共数据资源供给范围",
            long_body,
            "规范公共数据授权运营机制",
            long_body,
            "鼓励公共数据应用创新发展",
            long_body,
        ]
    )
    assert split_stories(doc("数据工作动态", text), ()) == [doc("数据工作动态", text)]


def test_a_matching_title_about_one_subject_is_not_cut() -> None:
    page = doc("一图读懂《关于加快公共数据资源开发利用的意见》", SECTIONED)
    assert split_stories(page, PATTERNS) == [page]


def test_section_labels_are_not_news_headlines() -> None:
    text = "\n".join(
        [
            "一、总体要求",
            "坚持统筹发展和安全，推动公共数据资源高效开发利用。",
            "二、主要任务",
            "扩大供给、规范运营、鼓励创新，提升公共数据价值。",
            "三、保障措施",
            "加强组织领导，完善配套制度，确保任务落地见效。",
        ]
    )
    assert split_stories(doc("公共数据简讯", text), PATTERNS) == [doc("公共数据简讯", text)]


def test_a_lead_story_with_related_sub_stories_under_its_own_title_stays_whole() -> None:
    text = "\n".join(
        [
            "央视网消息（新闻联播）：多国外长今天在日内瓦举行会谈，就地区局势交换意见。",
            "会谈后发表的联合声明呼吁各方保持克制，通过对话解决分歧。",
            "联合国秘书长呼吁各方抓住契机达成协议",
            "联合国秘书长当天发表声明，欢迎各方重启对话，呼吁尽快达成全面持久的协议。",
            "国际油价当天小幅回落",
            "受局势缓和预期影响，国际油价当天小幅回落，布伦特原油期货价格下跌1.2%。",
            "多国民众举行集会呼吁和平",
            "多国民众当天举行集会，呼吁停止冲突、保护平民。",
        ]
    )
    page = doc("多国外长在日内瓦举行会谈 呼吁通过对话解决分歧", text)
    assert split_stories(page, PATTERNS) == [page]


def test_a_title_that_lists_its_stories_is_cut_at_them_without_the_shared_intro() -> None:
    text = "\n".join(
        [
            "央视网消息（新闻联播）：规划纲要提出加快建设现代化产业体系。浙江、甘肃立足自身优势，"
            "聚焦重点产业整合资源、创新升级，为高质量发展提供坚实支撑。",
            "浙江：数实融合 打造智能制造新高地",
            "在杭州的一家智能工厂，工业机器人正在调试。浙江提出到2030年建成智能工厂500家。",
            "甘肃：算力先行 推动数据中心集群建设",
            "在庆阳数据中心集群，新建机房陆续投运。甘肃将算力规模提升至10万标准机架。",
        ]
    )
    page = doc("浙江：数实融合 打造智能制造新高地 甘肃：算力先行 推动数据中心集群建设", text)
    first, second = split_stories(page, PATTERNS)
    assert first.title == "浙江：数实融合 打造智能制造新高地" and first.url == story_url(PAGE, 1)
    assert "甘肃" not in first.text and "500家" in first.text
    assert second.title.startswith("甘肃") and "10万标准机架" in second.text
    # A title naming only one of its sub-headlines is a single story with parts.
    whole = doc("浙江：数实融合 打造智能制造新高地", text)
    assert split_stories(whole, PATTERNS) == [whole]


# ---------------------------------------------------------------------------- index pages


def test_the_day_list_page_is_an_index_page() -> None:
    html = fixture("cctv_day_list.shtml")
    assert is_index_page(html)
    with pytest.raises(IndexPageError, match="索引页/列表页，不作为文档"):
        extract_document(html, "https://tv.cctv.com/lm/xwlb/day/20260518.shtml")
    assert issubclass(IndexPageError, ExtractError)


@pytest.mark.parametrize(
    "title",
    [
        "《新闻联播》 20260518 19:00",
        "《新闻联播》 20260518",
        "《焦点访谈》 2026-05-18",
        "新闻频道_央视网",
    ],
)
def test_whole_episode_and_channel_pages_are_index_pages(make_page, title: str) -> None:
    summary = "".join(
        f"<p>{n}.国家数据局召开全国数据工作会议，部署推进数据要素市场化配置改革；</p>"
        for n in range(1, 6)
    )
    html = make_page(f"<title>{title}</title>", f"<div id='content_area'>{summary}</div>")
    with pytest.raises(IndexPageError):
        extract_document(html, "https://tv.cctv.com/2026/05/18/VIDEwhole260518.shtml")


def test_index_titles_are_told_apart_from_headlines() -> None:
    assert is_index_title("《新闻联播》 20260518 19:00")
    assert is_index_title("新闻频道")
    for headline in (
        "《新闻联播》完整版今晚播出",
        "《习近平总书记率领打赢脱贫攻坚战》出版发行",
        "我国新一代卫星导航系统投入使用",
        "鼓励外商投资产业目录",
    ):
        assert not is_index_title(headline), headline
    assert is_index_page(doc("《新闻联播》 20260518 19:00", "1.…；"))
    assert not is_index_page(doc("全国数据工作会议在京召开", "…"))


def test_an_article_with_links_is_not_an_index_page(gov_page: str, make_page, paragraph) -> None:
    assert not is_index_page(gov_page)
    related = "".join(
        f"<li><a href='/a/{n}.html'>相关新闻标题第{n}条内容</a></li>" for n in range(8)
    )
    html = make_page(
        "<title>全国数据工作会议在京召开</title>",
        f"<div class='TRS_Editor'><p>{paragraph}</p><p>{paragraph}</p></div><ul>{related}</ul>",
    )
    assert extract_document(html, "https://www.nda.gov.cn/sjj/ywpd/0518/1_pc.html").text
