"""Clean article titles: the headline alone, with its column tag kept apart.

Raw titles carry what the site adds around the headline:

- a media marker: ``[视频]``, ``【图文】``, ``(组图)`` — dropped;
- a column tag at either end: ``【新思想引领新征程】``, ``[一线调研]``, ``〔“十五五”新图景〕``, or
  a short lead before ``丨``/``｜``/``|`` (``政能亮丨…``) — returned as the column;
- site names after a separator: ``…_中国政府网``, ``… - 新华网``, ``…--文化--人民网``,
  ``…|苹果|新品_新浪科技_新浪网`` — dropped.

What is stripped is only ever a whole bracketed tag at an end or a tail after a separator:
the headline is never cut, a bracket inside it stays, and when stripping would leave (almost)
nothing the title is returned as it was.

>>> clean_title("[视频]【“十五五”新图景】增绿降碳 加减之间再造万亿级新机遇")
('增绿降碳 加减之间再造万亿级新机遇', '“十五五”新图景')
>>> clean_title("国务院办公厅关于推进新型基础设施建设的意见_政策_中国政府网")
('国务院办公厅关于推进新型基础设施建设的意见', '')
"""

from __future__ import annotations

import re

__all__ = ["clean_title", "is_site_name"]

_SPACES = re.compile(r"[\s\u3000\xa0]+")

# Bracketed tags: 【…】 [...] 〔…〕 〖…〗 ［…］ at the very start or end of a title.
_OPEN, _CLOSE = "【[〔〖［", "】]〕〗］"
_LEAD_TAG = re.compile(
    rf"^[{re.escape(_OPEN)}]([^{re.escape(_OPEN + _CLOSE)}]{{1,40}})[{re.escape(_CLOSE)}]\s*"
)
_TAIL_TAG = re.compile(
    rf"\s*[{re.escape(_OPEN)}]([^{re.escape(_OPEN + _CLOSE)}]{{1,40}})[{re.escape(_CLOSE)}]$"
)
# Markers of the medium rather than of a column: dropped, never kept as the column.
_MEDIA = re.compile(
    r"^(?:视频|图文|组图|多图|图片|图|图表|直播|音频|独家|原创|高清|转载|快讯|全文|附视频|H5|VR)$",
    re.IGNORECASE,
)
_TAIL_MEDIA = re.compile(r"\s*[(（](?:图|组图|多图|图文|视频|附视频|附图)[)）]$")
# "政能亮丨…", "新华视界｜…": a short column name before a bar.
_LEAD_BAR = re.compile(r"^([^\s丨｜|，。：:“”《》！？]{2,8})\s*[丨｜|]\s*")

# Separators after which sites put their name. An underscore or a bar is never a headline's
# own punctuation; a dash often is ("2026-2030年", "——记…"), so what follows a dash must
# read as a site name.
_BAR_TAIL = re.compile(r"\s*(?:_+|\s*[|｜]\s*)([^_|｜]{1,40})$")
_SPACED_DASH_TAIL = re.compile(r"\s+(?P<sep>-{1,2}|–)\s+([^-–—]{1,30})$")
_DASH_TAIL = re.compile(r"\s*(?P<sep>-{1,2}|–)\s*([^-–—]{2,24})$")
# "——" opens a headline's own subtitle ("——访国家数据局"): only a plain web site name counts.
_EM_DASH_TAIL = re.compile(r"\s*—{1,2}\s*([^-–—]{2,24})$")
_WEB_END = re.compile(
    r"(?:网|网站|官网|门户网站|频道|\.(?:com|cn|net|org)(?:\.cn)?)$", re.IGNORECASE
)
_SITE_END = re.compile(
    r"(?:网|网站|官网|门户|主页|首页|频道|在线|日报|晚报|晨报|早报|时报|报|新闻|资讯|头条|"
    r"财经|传媒|电视台|广播|台|局|部|委|办|厅|院|署|政府|中心|平台|百科|博客|论坛|社区|"
    r"\.(?:com|cn|net|org|gov|edu)(?:\.cn)?)"
    r"(?:[(（][A-Za-z0-9.\-]+[)）])?$",
    re.IGNORECASE,
)
# A Latin-script outlet name: "The Paper", "Reuters", "CSDN.NET", "CAIJING.COM.CN".
_LATIN_SITE = re.compile(r"^[A-Za-z][A-Za-z0-9 .&'\-]{1,30}$")
# A tail with these is a clause of the headline, not a name.
_CLAUSE = re.compile(r"[，。：:；;！？!?“”\"《》、]")

MIN_TITLE = 4  # characters a stripped title keeps at least


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()


def is_site_name(text: str) -> bool:
    """``中国政府网``, ``新华网河北频道``, ``澎湃新闻-The Paper``, ``CSDN.NET``: a site or outlet."""
    text = text.strip()
    if not text or len(text) > 30 or _CLAUSE.search(text):
        return False
    return bool(_SITE_END.search(text) or _LATIN_SITE.match(text))


def _strip_site_suffixes(title: str) -> str:
    section_dash = ""  # the dash a site name was cut at: "…--文化--人民网" has a section before it
    for _ in range(6):
        head = None
        bar = _BAR_TAIL.search(title)
        if bar:
            tail = bar[1].strip()
            # "标题_网易新闻", "标题|苹果|新品": any short tail after a bar or an underscore,
            # unless the part before it is the short one ("棱镜|数据业大整顿…" is a column).
            before = title[: bar.start()].rstrip(" _|｜")
            short = len(tail) <= 12 and len(before) > len(tail)
            if "_" in bar[0] or is_site_name(tail) or short:
                head = before
        if head is None:
            dash = _SPACED_DASH_TAIL.search(title) or _DASH_TAIL.search(title)
            em = _EM_DASH_TAIL.search(title)
            if dash and (
                is_site_name(dash[2])
                or (
                    dash["sep"] == section_dash
                    and len(dash[2].strip()) <= 8
                    and not _CLAUSE.search(dash[2])
                )
            ):
                head, section_dash = title[: dash.start()], dash["sep"]
            elif em and not _CLAUSE.search(em[1]) and _WEB_END.search(em[1].strip()):
                head = title[: em.start()]
        if head is None:
            break
        head = head.rstrip(" _|｜-–—")
        if len(head) < MIN_TITLE:
            break
        title = head
    return title


def clean_title(title: str) -> tuple[str, str]:
    """``(headline, column)`` of a raw page title; ``column`` is "" when there is none.

    >>> clean_title("【一线调研】春耕备耕农资供应有保障 - 新华网")
    ('春耕备耕农资供应有保障', '一线调研')
    """
    original = _norm(title)
    text = original
    column = ""
    for _ in range(4):  # "[视频]【一线调研】…", "…【专题】_人民网"
        before = text
        text = _TAIL_MEDIA.sub("", _strip_site_suffixes(text))
        lead = _LEAD_TAG.match(text)
        if lead and len(text) - lead.end() >= MIN_TITLE:
            tag = _norm(lead[1])
            if not _MEDIA.match(tag) and not column:
                column = tag
            text = text[lead.end() :]
        tail = _TAIL_TAG.search(text)
        if tail and tail.start() >= MIN_TITLE:
            tag = _norm(tail[1])
            if not _MEDIA.match(tag) and not column:
                column = tag
            text = text[: tail.start()]
        if text == before:
            break
    bar = _LEAD_BAR.match(text)
    if bar and not column and len(text) - bar.end() >= 6 and not is_site_name(text[bar.end() :]):
        column, text = bar[1], text[bar.end() :]
    text = _norm(text)
    if len(text) < 2:
        return original, ""
    return text, column
