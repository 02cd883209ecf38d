"""The lines page templates put around every article, on any site: editor credits, share
prompts, 【上一篇】/【下一篇】, reprint and copyright notices, 扫一扫.

One module because two readers need them: the body cleaner drops these lines from the
article text, and the density scorer gives them no points (an editor line under a short
article must not pull the choice up to the container around it).
"""

from __future__ import annotations

import re

__all__ = ["clean_lines", "is_boilerplate"]

# Lines that open with a template label: credits (责任编辑, 来源, 记者…) and page controls
# (打印, 分享, 【上一篇】…); group 1 is the separator after the label, when there is one.
_LABEL = re.compile(
    r"^[\[【(（]?\s*(?:责任编辑|编辑|责编|审核|校对|主编|值班编辑|监制|来源|作者|记者|打印|"
    r"关闭|关闭窗口|打印本页|打印此页|收藏|分享|分享到|字号|扫一扫|【?上一篇|【?下一篇|上一篇|下一篇|"
    r"相关阅读|相关新闻|相关链接|延伸阅读|推荐阅读|热点推荐|更多|返回顶部|网站地图)"
    r"(\s*[:：】\]\)）])?"
)
# Lines that are template wherever the phrase stands: reprint and copyright notices, share prompts.
_NOTICE = re.compile(
    r".*(?:转载请注明|未经授权|未经许可|版权所有|版权声明|Copyright|All Rights Reserved|"
    r"ICP备|公网安备|扫一扫|分享到|用手机扫描|在手机上阅读|打开微信|本文来源|特别声明：|"
    r"免责声明|Notice: The content above)",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[，。；！？]")
_SHORT_NOISE = re.compile(
    r"^(?:[\[【(（]?(?:责任编辑|编辑|责编|审核)[:：].{0,20}[\]】)）]?|"
    r"[字号大中小\s|：:]+|[\W\d_]{1,6})$"
)


def is_boilerplate(line: str) -> bool:
    """True for template lines (editor credits, share prompts, reprint notices, 上一篇…)."""
    stripped = line.strip()
    if not stripped:
        return True
    if _SHORT_NOISE.match(stripped):
        return True
    # Long lines are article sentences even when they mention 来源 or 编辑.
    if len(stripped) > 80:
        return False
    if _NOTICE.match(stripped):
        return True
    label = _LABEL.match(stripped)
    # "记者从交管部门获悉，…" opens many reports: a label word running on into a sentence is
    # prose; a credit has a separator after the label ("记者：…") or no sentence at all.
    return label is not None and (label.group(1) is not None or not _SENTENCE.search(stripped))


def clean_lines(text: str) -> list[str]:
    """Non-empty, whitespace-normalised paragraphs of ``text`` without template lines."""
    out: list[str] = []
    for raw in text.split("\n"):
        if raw.lstrip().startswith("|"):
            # trafilatura writes table rows as "| cell | cell |"; keep the cells, not the bars.
            raw = " ".join(
                cell.strip() for cell in raw.split("|") if cell.strip() not in ("", "-", "---")
            )
        line = re.sub(r"[ \t\u3000\xa0]+", " ", raw).strip()
        if line and not is_boilerplate(line):
            out.append(line)
    return out
