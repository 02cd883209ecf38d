"""WeChat: HTML that pastes cleanly into the 公众号 (official account) editor.

The editor drops ``<style>``, classes, ids, scripts, outside links and most tags, so this edition
uses inline ``style=""`` attributes on the few tags it keeps (``section``, ``p``, ``span``,
``strong``, ``em``, ``h1``–``h3``, ``br``, ``img``), prints reference URLs as visible text and
embeds the QR codes as PNG data URIs (the editor usually re-uploads pasted images to its own
image host; check that the codes still scan before publishing). The output is a complete HTML
document for previewing in a browser; the part to copy sits between two comments::

    from zhibao import load_brief
    from zhibao.render.wechat import WechatRenderer, render_wechat_fragment
    data = WechatRenderer().render(load_brief("brief-2026-05-25.json"))  # UTF-8 bytes
    fragment = render_wechat_fragment(brief)  # just the <section>…</section> to paste

It draws from the same :func:`zhibao.render.html.brief_context` as the HTML edition.
"""

from __future__ import annotations

from markupsafe import Markup

from zhibao.core.model import Brief
from zhibao.render.html import brief_context, environment

__all__ = ["END_MARK", "START_MARK", "WechatRenderer", "render_wechat", "render_wechat_fragment"]

START_MARK = "<!-- zhibao:wechat:start -->"
END_MARK = "<!-- zhibao:wechat:end -->"


def render_wechat(brief: Brief) -> str:
    """The full preview document; the fragment to paste sits between the two marks."""
    context = brief_context(brief, qr="png")  # the editor drops inline <svg>
    context["fragment_start"] = Markup(START_MARK)
    context["fragment_end"] = Markup(END_MARK)
    return environment().get_template("wechat.html.j2").render(context)


def render_wechat_fragment(brief: Brief) -> str:
    """Only the root ``<section>…</section>``: what an editor pastes into the 公众号 editor."""
    page = render_wechat(brief)
    return page[page.index(START_MARK) + len(START_MARK) : page.index(END_MARK)].strip()


class WechatRenderer:
    name = "wechat"
    suffix = ".wechat.html"

    def render(self, brief: Brief) -> bytes:
        return render_wechat(brief).encode("utf-8")
