"""Chinese sentence tools for the extractive writer: split, compress, date, classify.

Every function only *removes* or *re-spaces* text taken from a source; none adds a fact.

    >>> split_sentences("据悉，5月22日，国家数据局召开座谈会。10家企业参加。")
    ['据悉，5月22日，国家数据局召开座谈会。', '10家企业参加。']
    >>> compress("据悉，5月22日，国家数据局召开座谈会。")
    '5 月 22 日，国家数据局召开座谈会。'
"""

from __future__ import annotations

import re
from datetime import date

from zhibao.core.entities import persons
from zhibao.core.figures import Figure, find_figures
from zhibao.core.model import Document
from zhibao.core.relative_time import anchor
from zhibao.core.time import local_date
from zhibao.write.untrusted import strip_instructions

__all__ = [
    "ANALYSIS_CUES",
    "anchored",
    "EVENT_CUES",
    "NEXT_STEP_CUES",
    "attributed",
    "clauses",
    "cn_count",
    "cn_ordinal",
    "compress",
    "event_day",
    "around",
    "head",
    "is_analysis",
    "is_complete",
    "is_headline",
    "is_media",
    "is_multipart",
    "is_narration",
    "prose_date",
    "quantities",
    "quotable",
    "short_org",
    "space_dates",
    "split_sentences",
    "story_text",
    "strip_tags",
    "subjectless",
    "title_parts",
]

# A sentence ends at 。！？ (and a closing quote right after it), or at a line break; ；
# separates clauses of one fact and stays inside the sentence.
_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』）)]*)?")
# Reporting boilerplate that carries no fact: dropped from the start of a sentence.
_LEADING = [
    re.compile(r"^(?:据悉|据了解|据介绍|记者了解到|记者获悉|另据报道|与此同时|此外)[，,]\s*"),
    re.compile(r"^记者(?:日前|近日|今天)?从[^，,。]{2,30}获悉[，,]\s*"),
    re.compile(
        r"^(?:本报|新华社|中新社|人民网|央视网)[^，,。\s]{0,12}\d{1,2}月\d{1,2}日电(?:[（(][^）)]*[）)])?\s*"
    ),
    re.compile(r"^(?:央视网|新华网|人民网|光明网)消息(?:[（(][^）)]*[）)])?[：:]\s*"),
]
# Asides inside a sentence: reporter credits and "(以下简称…)" definitions.
_ASIDES = re.compile(r"[（(](?:记者[^）)]*|以下简称[^）)]*|下称[^）)]*)[）)]")
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
_CN_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(?<![\d])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CLAUSE = re.compile(r"[^，,：:；;。！？!?]+")
_TITLE_SPLIT = re.compile(r"\s+|[，,：:｜|]|——|—")
_TITLE_PREFIX = re.compile(r"^(?:专家解读|权威发布|快讯|独家|视频|图解|评论|时评)\s*[｜|:：]\s*")

# Sentences that say why something matters (the analysis paragraph draws on these).
ANALYSIS_CUES = (
    "旨在",
    "目的是",
    "意味着",
    "标志着",
    "有助于",
    "有利于",
    "为了",
    "意义",
    "重要力量",
    "前提",
    "关键",
    "基础性",
    "底座",
    "认为",
    "表示",
    "指出",
    "强调",
    "下一步",
    "将持续",
    "将从",
    "视为",
    "根本途径",
    "新形态",
    "新阶段",
)
# Clauses that say what happened (headings and the fact paragraph prefer these).
EVENT_CUES = (
    "明确",
    "提出",
    "首次",
    "标志着",
    "部署",
    "启动",
    "发布",
    "印发",
    "召开",
    "出台",
    "上线",
    "建成",
    "发布会",
    "新增",
    "累计",
    "设立",
)
_CLOSING = re.compile(r"(?:参加(?:座谈|会议|活动|调研)|出席(?:会议|活动)|陪同|主持会议)[。]?$")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` in order, whitespace-trimmed, empty ones dropped."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip(" \u3000")]


def space_dates(text: str) -> str:
    """``5月23日`` → ``5 月 23 日``, set off by a space after a word (house style in prose;
    the figures are unchanged)."""

    def spaced(m: re.Match[str]) -> str:
        year = f"{m.group(1)} 年 " if m.group(1) else ""
        # "办公室 3 月 24 日召开": set off from the words before it, as figures are in print.
        before = " " if m.start() and _HAN_CHAR.match(text[m.start() - 1]) else ""
        return f"{before}{year}{int(m.group(2))} 月 {int(m.group(3))} 日"

    return _CN_DATE.sub(spaced, text)


def prose_date(day: date) -> str:
    """``date(2026, 5, 23)`` → ``5 月 23 日``."""
    return f"{day.month} 月 {day.day} 日"


def event_day(lead: Document, fact_text: str) -> str:
    """The day a section's event happened, as the summary names it (``5 月 23 日``): the first
    date its fact paragraph states, else the lead document's own date ("" when it has none)."""
    dates = [f for f in find_figures(fact_text) if f.kind == "date"]
    if dates:
        month, day = dates[0].key[-5:].split("-")
        return f"{int(month)} 月 {int(day)} 日"
    published = local_date(lead)
    return prose_date(published) if published else ""


def compress(sentence: str) -> str:
    """Drop reporting boilerplate and asides; keep every figure, name and date."""
    out = sentence.strip()
    changed = True
    while changed:
        changed = False
        for pattern in _LEADING:
            new = pattern.sub("", out, count=1)
            if new != out:
                out, changed = new.strip(), True
    out = _ASIDES.sub("", out)
    return space_dates(out)


def is_analysis(sentence: str) -> bool:
    """A sentence about purpose or significance rather than a bare fact."""
    return any(cue in sentence for cue in ANALYSIS_CUES)


def is_closing_line(sentence: str) -> bool:
    """Protocol lines such as ``有关司局负责同志参加座谈。``: no news in them."""
    return bool(_CLOSING.search(sentence.strip()))


def clauses(sentence: str) -> list[str]:
    """Comma-separated clauses of a sentence."""
    return [c.strip() for c in _CLAUSE.findall(sentence) if c.strip()]


def title_parts(title: str) -> list[str]:
    """A headline's own clauses: ``专家解读｜A B`` → ``[A, B]``; ``国家统计局：A`` → ``[国家统计局, A]``."""
    cleaned = _TITLE_PREFIX.sub("", title.strip())
    return [p.strip() for p in _TITLE_SPLIT.split(cleaned) if p and p.strip()]


_ORG_END = re.compile(r"(?:局|办|委|部|院|署|社|报|台|会|司|厅|府|所|中心|银行|集团|公司)$")


def short_org(source_org: str, configured: str | None = None) -> str:
    """The issuing body as a reader names it: ``国家统计局网站`` → ``国家统计局``,
    ``人民网－人民日报`` → ``人民日报``; a bare site name (中国网信网) gives way to the
    configured organisation of its source (中央网信办)."""
    name = source_org.strip()
    for separator in ("－", "-", "—", "|", "｜"):
        if separator in name:
            name = name.rsplit(separator, 1)[-1].strip()
    name = re.sub(r"(?:官方)?网站$", "", name)
    if configured and (not name or not _ORG_END.search(name)):
        return configured
    return name or (configured or "")


# Sentences that state what comes next (the judgment's "what to watch" quotes only these).
NEXT_STEP_CUES = re.compile(
    r"下一步|接下来|(?<!原)(?<!行动)(?<!发展)(?<!规划)计划(?!单列)|预计|力争|即将|将(?:于|在|从|加快|进一步|持续|继续|推动|推进|启动|开展|"
    r"出台|发布|实施|建设|全面|重点|逐步|陆续|组织|围绕|聚焦|着力)"
)

# Counts the brief computes itself are written in words: 两条, not 二条 (and not 2, which the
# checker would look for in the sources). Ten and more is 多: a Chinese numeral of two
# characters is a figure the checker would also look for.
_COUNT = "零一两三四五六七八九"
_ORDINAL = "零一二三四五六七八九"


def cn_count(n: int) -> str:
    """``2`` → ``两`` (两条, 两期); ``12`` → ``多``."""
    return _COUNT[n] if 0 <= n < len(_COUNT) else "多"


def cn_ordinal(n: int) -> str:
    """``2`` → ``二`` (第二节); ``10`` → ``十``; larger numbers are not written ("")."""
    if 0 < n < len(_ORDINAL):
        return _ORDINAL[n]
    return "十" if n == 10 else ""


_ENDS = ("。", "！", "!")
_CLOSERS = "”’」』）)"
_PAIRS = (("“", "”"), ("《", "》"), ("（", "）"), ("(", ")"))


def is_complete(sentence: str) -> bool:
    """A whole sentence: it ends with 。 or ！ (a headline line, a 'list follows:' lead-in, a
    question or a cut-off fragment does not) and its quotes and brackets are balanced."""
    text = sentence.rstrip(_CLOSERS + " ")
    if not text.endswith(_ENDS):
        return False
    return all(sentence.count(a) == sentence.count(b) for a, b in _PAIRS)


# Video narration: what the camera shows, where the reporter went. It reads as a caption, not
# as news, once the pictures are gone.
_NARRATION = re.compile(
    r"^(?:这里是|这就是|这里|眼前|画面|镜头|在这里|走进|来到|跟随|跟着|来看|一起来看|我们看到|大家看到|"
    r"现在看到|您看|您现在看到|正在播放)"
    r"|记者(?:看到|来到|走进|注意到|发现|跟随|跟着|一路|乘坐|体验|随后|又|在现场|现场看到)"
    r"|(?:画面|镜头|视频)(?:中|里|上)|来看记者|的一线调研|引起了?记者|记者的注意"
)
_THIS_IS = re.compile(r"^这是")
_SIGNIFICANT_THIS = re.compile(r"首次|首个|首台|首座|第一|标志|意味|以来|最大|最高|纪录")


def is_narration(sentence: str) -> bool:
    """A line of video narration (这是…, 画面中…, 记者来到…), not a reportable fact; "这是我国
    首次…" states significance and is kept."""
    if _NARRATION.search(sentence):
        return True
    return bool(_THIS_IS.match(sentence)) and not _SIGNIFICANT_THIS.search(sentence)


# Site tags left in a title by an older extraction: 【栏目】, [视频], "_央视网".
_TAGS = re.compile(r"^(?:\s*[【\[〔][^】\]〕]{1,24}[】\]〕])+\s*|\s*[_｜|]\s*[^_｜|]{2,12}网$")


def strip_tags(title: str) -> str:
    """A headline without the column tag or media marker a site put around it."""
    cleaned = _TAGS.sub("", title.strip()).strip()
    return cleaned if len(cleaned) >= 4 else title.strip()


def is_headline(line: str) -> bool:
    """A line that heads a story: short, without a sentence's final punctuation."""
    line = line.strip()
    return 4 <= len(line) <= 32 and not line.endswith(
        ("。", "：", ":", "！", "？", "；", "”", "）")
    )


def is_multipart(document: Document) -> bool:
    """A text of several stories under their own headline lines (两地 reports, round-ups)."""
    return sum(is_headline(line) for line in document.paragraphs) >= 2


def story_text(document: Document, focus: str | None = None) -> str:
    """The text of the story ``focus`` names in a round-up page that was not cut into stories
    (the lines under that headline, up to the next one); the whole text otherwise."""
    if not focus:
        return document.text
    target = re.sub(r"\s+", "", focus)
    lines = document.paragraphs
    for i, line in enumerate(lines):
        if re.sub(r"\s+", "", line) != target:
            continue
        block = []
        for following in lines[i + 1 :]:
            if is_headline(following):
                break
            block.append(following)
        if block:
            return "\n".join(block)
    return document.text


def head(sentence: str, limit: int) -> str:
    """The leading clauses of ``sentence`` that fit in ``limit`` characters, without the final
    punctuation ("" when even the first clause is longer)."""
    out = ""
    for match in re.finditer(r"[^，,；;。！？!?]+[，,；;。！？!?]?", sentence):
        piece = match.group(0)
        if len(out) + len(piece.rstrip("，,；;。！？!?")) > limit:
            break
        out += piece
        if piece.endswith(("；", ";")):
            break  # a semicolon closes one fact of the sentence: "…升级；同时" is not a clause
    return out.rstrip("，,；;。！？!?：: ")


def around(sentence: str, at: int, limit: int) -> str:
    """The clauses of ``sentence`` from the one holding position ``at`` on, within ``limit``
    characters (the part of a long sentence that carries a cue), without final punctuation."""
    start = max(sentence.rfind(mark, 0, at) for mark in "，,；;：:")
    return head(sentence[start + 1 :], limit) or head(sentence, limit)


# "国家数据局表示，", "专家指出：", "习近平总书记强调，…": a statement that names who made it.
_SAYS = re.compile(
    r"^([^，。！？：；]{2,30}?)(?:表示|指出|强调|认为|介绍|提出|明确|要求|称|说|坦言|直言)[，,：:]"
)
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]+$")
_NOT_SPEAKERS = {"我们", "他们", "大家", "有人", "记者", "外界", "业内", "舆论", "市场"}
_SPEAKER_WORDS = re.compile(
    r"总书记|主席|总理|部长|局长|主任|书记|省长|市长|负责人|发言人|专家|院士|教授|研究员|代表|"
    r"[局部委办院署会厅司]|公司|集团|企业|《"
)


def attributed(sentence: str) -> str:
    """Who ``sentence`` says is speaking ("" when it names nobody): the subject before 表示 /
    指出 / 强调 … when that subject is a person, a post or a body."""
    match = _SAYS.match(sentence)
    if not match:
        return ""
    who = match.group(1)
    # A post or a body, a name the entity rules know, or a bare name (习近平强调, 2–3 characters).
    bare = 2 <= len(who) <= 3 and _HAN_NAME.match(who) and who not in _NOT_SPEAKERS
    if _SPEAKER_WORDS.search(who) or persons(match.group(0)) or bare:
        return who
    return ""


_MIN_SENTENCE = 12
# Relative years said without a figure where the language allows (今年以来 → 年初以来, 去年同期
# → 上年同期, 今年一季度 → 一季度): an anchored "2026年" is a figure the source does not print.
_YEARS = [
    (re.compile(r"今年以来"), "年初以来"),
    (
        re.compile(
            r"今年(?=[一二三四]季度|上半年|下半年|前[一二三四五六七八九十两]+个月|首季|全年|年初|年底|年末)"
        ),
        "",
    ),
    (re.compile(r"今年(?=\d{1,2}(?:[—\-－~至]\d{1,2})?月|[一二三四五六七八九十]{1,2}月)"), ""),
    (re.compile(r"去年同期"), "上年同期"),
    (re.compile(r"去年(?=\d{1,2}(?:[—\-－~至]\d{1,2})?月)"), "上年"),
    (re.compile(r"去年(?=[一二三四]季度|上半年|下半年|全年|年底|年末|底|末)"), "上年"),
]
# A sentence that opens on the verb of a speaker it lost ("强调，…") is a fragment.
_HEADLESS = re.compile(r"^(?:强调|指出|表示|认为|提出|要求|介绍)[，,：:]")


_FROM_TODAY = re.compile(r"今起(?:[（(]((?:\d{4}年)?\d{1,2}月\d{1,2}日)[）)])?")


def _plain_years(text: str, day: date) -> str:
    for pattern, replacement in _YEARS:
        text = pattern.sub(replacement, text)
    # 今起（4月10日） → 4月10日起: a word the anchoring does not know.
    return _FROM_TODAY.sub(lambda m: f"{m.group(1) or f'{day.month}月{day.day}日'}起", text)


def _new_years(sentence: str, original: str) -> list[str]:
    """Years the anchoring wrote (今年是… → 2026年是…) that the source never prints and that a
    reader of figures would take as a number (not part of a date)."""
    return [
        f.key
        for f in find_figures(sentence)
        if f.kind == "number" and len(f.key) == 4 and f.key.isdigit() and f.key not in original
    ]


def anchored(text: str, day: date) -> str:
    """``text`` with its relative days and years made absolute, as the brief may say them
    (今天 → 4月9日, 今年以来 → 年初以来, 今年一季度 → 一季度)."""
    return anchor(_plain_years(text, day), day)


def quotable(document: Document, focus: str | None = None) -> list[str]:
    """The sentences of ``document`` a brief may quote, in order: of the story ``focus`` names
    (in a round-up not cut into stories), relative days anchored to the document's own date
    (今天 → 4月9日), boilerplate dropped, and only whole sentences — no headline line, video
    narration, question or protocol line. Text addressed to a model is never quoted."""
    day = local_date(document)
    original = f"{document.title}\n{document.text}"
    text = strip_instructions(story_text(document, focus))
    if day is not None:
        text = anchored(text, day)
    out: list[str] = []
    for raw in split_sentences(text):
        sentence = compress(raw)
        if (
            len(sentence) >= _MIN_SENTENCE
            and not _HEADLESS.match(sentence)
            and not _new_years(sentence, original)
            and is_complete(sentence)
            and not is_narration(sentence)
            and not is_closing_line(sentence)
            and sentence not in out
        ):
            out.append(sentence)
    return out


def quantities(text: str) -> list[Figure]:
    """The quantities written in digits in ``text``: not a year (2026年), not a time of day or
    a race time (50分26秒), not a numeral that is part of a name (十个坚持)."""
    out = []
    for figure in find_figures(text):
        if figure.kind != "number" or not re.search(r"\d", figure.text):
            continue
        value = figure.key.rstrip("%")
        end = figure.start + len(figure.text)
        if len(value) == 4 and value.isdigit() and 1900 <= int(value) <= 2100:
            continue
        if text[end : end + 1] in ("分", "秒", "时", "点"):
            continue
        out.append(figure)
    return out


_MEDIA_END = ("网", "报", "社", "台", "新闻", "日报", "时报", "Reuters", "Axios")


def is_media(org: str) -> bool:
    """An outlet (央视网, 人民日报, 新华社) rather than the body that acts (国家数据局): an outlet
    报道, a body 发布."""
    return org.endswith(_MEDIA_END)


# Verbs a sentence opens with when its subject was in the sentence before ("吸引一批企业…").
_SUBJECTLESS = re.compile(
    r"^(?:吸引|推动|推进|加快|打造|实施|建设|构建|培育|强化|加强|支持|鼓励|聚焦|围绕|坚持|持续|"
    r"不断|进一步|积极|着力|力争|实现|完善|深化|提升|促进|引导|发挥|抢抓|锚定|瞄准|分阶段|同时)"
)


def subjectless(sentence: str) -> bool:
    """A sentence that opens on a verb: quoted alone, it does not say who acts."""
    return bool(_SUBJECTLESS.match(sentence))
