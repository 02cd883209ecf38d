"""Small hand-written pages shaped like the sites zhibao reads (not copies of real pages)."""

from __future__ import annotations

import pytest

PARAGRAPH = (
    "国家数据局近日召开全国数据工作会议，部署推进数据要素市场化配置改革，"
    "要求各地加快公共数据资源开发利用，培育壮大数据产业，推动数字经济高质量发展。"
)


def page(head: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    )


@pytest.fixture
def paragraph() -> str:
    return PARAGRAPH


@pytest.fixture
def make_page():
    return page


@pytest.fixture
def gov_page() -> str:
    head = (
        "<title>全国数据工作会议在京召开_国家数据局</title>"
        "<meta name='ArticleTitle' content='全国数据工作会议在京召开'>"
        "<meta name='PubDate' content='2026.05.23'>"
        "<meta name='ContentSource' content='国家数据局综合司'>"
        "<link rel='canonical' href='/sjj/ywpd/0523/20260523192352930828856_pc.html'>"
    )
    body = (
        "<div class='nav'><a href='/'>首页</a> <a href='/sjj/'>数据局</a></div>"
        "<div class='article'>"
        f"<p>{PARAGRAPH}</p><p>会议强调，要统筹发展和安全，完善数据基础制度。</p>"
        "<p>附件：<a href='/files/2026/plan.pdf'>数据产业发展行动计划.pdf</a></p>"
        "<p>责任编辑：王明</p>"
        "<div class='share'>分享到：微信 微博</div>"
        "</div>"
        "<div class='footer'>版权所有：国家数据局 京ICP备12345678号</div>"
    )
    return page(head, body)
