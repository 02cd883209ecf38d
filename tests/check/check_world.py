"""A realistic brief of 2026-05-25 with the stored documents it cites, for the checker's tests.

Four sections in the house format: a data-elements release with figures (two outlets), a
leader's inspection, a 快讯 story cut from a round-up page, and an AI-governance guideline. The
documents are written for these tests in the shape of the real ones (agency, date, figures,
named people); the brief says what they say in its own words.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from zhibao.core.model import (
    Brief,
    Contact,
    Document,
    Judgment,
    Masthead,
    Paragraph,
    QRCode,
    Reference,
    Section,
)

CHINA = timezone(timedelta(hours=8))
BRIEF_DATE = date(2026, 5, 25)


def _doc(url: str, org: str, title: str, text: str, day: int, hour: int = 10) -> Document:
    return Document(
        url=url,
        canonical_url=url,
        title=title,
        text=text,
        published_at=datetime(2026, 5, day, hour, 0, tzinfo=CHINA),
        source_org=org,
    )


NDA = _doc(
    "https://www.nda.gov.cn/sjj/swdt/0524/417.html",
    "国家数据局",
    "“数据要素×”三年行动成效显现 累计发布417个典型案例",
    "国家数据局政策和规划司有关负责同志5月24日介绍，“数据要素×”三年行动计划实施以来，"
    "各地区各部门围绕工业制造、现代农业、交通运输等重点行业推动数据融合应用。\n"
    "截至目前，国家数据局累计发布417个典型案例，形成覆盖11个行业领域的760个典型场景指引。"
    "2025年，全国数据产业规模达到1.67万亿元，数据交易额增长39.8%，其中场内交易占比超过20%。\n"
    "该负责同志表示，下一步将以2026年“数据要素×”大赛为牵引，推动典型场景复制推广。",
    24,
)
PEOPLE = _doc(
    "https://www.people.com.cn/n1/2026/0524/c1004.html",
    "人民日报",
    "417个典型案例、760个场景指引：“数据要素×”跑出加速度",
    "本报北京5月24日电 记者从国家数据局获悉，“数据要素×”三年行动取得阶段性成效，"
    "累计发布417个典型案例。业内人士认为，典型场景指引让地方和企业有了可参照的“应用目录”。",
    24,
    8,
)
XINHUA = _doc(
    "https://www.news.cn/politics/2026-05/23/c_1.htm",
    "新华社",
    "丁薛祥在上海调研时强调 加快推动人工智能产业创新发展",
    "新华社上海5月23日电 中共中央政治局常委、国务院副总理丁薛祥5月22日至23日在上海调研。"
    "他先后来到张江人工智能创新小镇、上海人工智能实验室，了解大模型研发和行业应用情况。\n"
    "丁薛祥强调，要坚持场景牵引、应用导向，推动人工智能与实体经济深度融合，"
    "加快培育具有国际竞争力的人工智能产业集群。",
    23,
    20,
)
CCTV = _doc(
    "https://tv.cctv.com/2026/05/24/VIDE260524.shtml#story-3",
    "中央广播电视总台",
    "全国一体化算力网监测调度平台上线",
    "记者从国家发展改革委获悉，5月24日，全国一体化算力网监测调度平台正式上线运行，"
    "首批接入8个国家算力枢纽节点，可调度算力规模超过300EFLOPS。"
    "平台将推动东中西部算力资源统筹调度，降低算力使用成本。",
    24,
    19,
)
CAC = _doc(
    "https://www.cac.gov.cn/2026-05/24/c_2.htm",
    "中央网信办",
    "《人工智能应用伦理安全指引1.0》发布",
    "5月24日，中央网信办网站发布《人工智能应用伦理安全指引1.0》。"
    "《指引》围绕人工智能应用的开发、服务提供和使用等环节提出伦理安全要求，"
    "推动人工智能应用坚持以人为本、智能向善。\n"
    "《指引》由有关研究机构、高校和企业共同编制，广泛听取了法律、伦理、技术和产业等方面专家意见。",
    24,
    21,
)
DOCUMENTS = [NDA, PEOPLE, XINHUA, CCTV, CAC]


def references() -> list[Reference]:
    purposes = ["用于核实", "用于补充", "用于核实", "用于核实", "用于核实"]
    return [
        Reference(
            id=i,
            org=d.source_org,
            title=d.title,
            date=d.published_at.date(),
            url=d.url,
            purpose=f"{purposes[i - 1]}事件的时间、主体与具体内容",
        )
        for i, d in enumerate(DOCUMENTS, start=1)
    ]


def documents() -> dict[int, Document]:
    """Reference id → stored document, as ``runs.checking.cited_documents`` gives them."""
    return {i: d for i, d in enumerate(DOCUMENTS, start=1)}


def sections() -> list[Section]:
    return [
        Section(
            heading="“数据要素×”三年行动成效显现，累计发布417个典型案例",
            event_id="ev-data",
            writer="llm",
            paragraphs=[
                Paragraph(
                    kind="fact",
                    text=(
                        "5 月 24 日，国家数据局政策和规划司介绍，“数据要素×”三年行动计划实施以来，"
                        "国家数据局累计发布417个典型案例，形成覆盖11个行业领域的760个典型场景指引。"
                        "2025年全国数据产业规模达到16700亿元，数据交易额增长39.8%，"
                        "场内交易占比超过两成。"
                    ),
                    citations=[1, 2],
                ),
                Paragraph(
                    kind="analysis",
                    text=(
                        "案例和场景指引给地方和企业提供了可参照的“应用目录”。"
                        "今年以来，数据要素工作正从制度搭建转向场景组织，"
                        "下一步以大赛为牵引推动典型场景复制推广。"
                    ),
                    citations=[1],
                ),
            ],
        ),
        Section(
            heading="丁薛祥在上海调研人工智能产业，强调场景牵引与应用导向",
            event_id="ev-leader",
            writer="llm",
            paragraphs=[
                Paragraph(
                    kind="fact",
                    text=(
                        "5 月 22 日至 23 日，中共中央政治局常委、国务院副总理丁薛祥在上海调研，"
                        "先后来到张江人工智能创新小镇、上海人工智能实验室，了解大模型研发和行业应用情况。"
                    ),
                    citations=[3],
                ),
                Paragraph(
                    kind="analysis",
                    text=(
                        "丁薛祥强调坚持场景牵引、应用导向，推动人工智能与实体经济深度融合。"
                        "对地方而言，产业集群的竞争将更多体现在应用场景的组织能力上。"
                    ),
                    citations=[3],
                ),
            ],
        ),
        Section(
            heading="全国一体化算力网监测调度平台上线，算力资源走向统筹调度",
            event_id="ev-compute",
            writer="llm",
            paragraphs=[
                Paragraph(
                    kind="fact",
                    text=(
                        "据中央广播电视总台报道，5 月 24 日，全国一体化算力网监测调度平台正式上线运行，"
                        "首批接入8个国家算力枢纽节点，可调度算力规模超过300EFLOPS。"
                    ),
                    citations=[4],
                ),
                Paragraph(
                    kind="analysis",
                    text="平台推动东中西部算力资源统筹调度，有望降低企业使用算力的成本。",
                    citations=[4],
                ),
            ],
        ),
        Section(
            heading="《人工智能应用伦理安全指引1.0》发布，治理进入应用环节",
            event_id="ev-ethics",
            writer="llm",
            paragraphs=[
                Paragraph(
                    kind="fact",
                    text=(
                        "5 月 24 日，中央网信办发布《人工智能应用伦理安全指引1.0》，"
                        "围绕开发、服务提供和使用等环节提出伦理安全要求。"
                    ),
                    citations=[5],
                ),
                Paragraph(
                    kind="analysis",
                    text="伦理安全正成为人工智能大规模应用的前置条件，治理从原则倡议走向操作指引。",
                    citations=[5],
                ),
            ],
        ),
    ]


SUMMARY = (
    "5 月 24 日，国家数据局介绍“数据要素×”三年行动成效，累计发布417个典型案例；"
    "5 月 22 日至 23 日，丁薛祥在上海调研人工智能产业发展；"
    "5 月 24 日，全国一体化算力网监测调度平台上线（中央广播电视总台）；"
    "同日，中央网信办发布《人工智能应用伦理安全指引1.0》。"
    "综合来看，今天的四条动态集中在数据要素、人工智能、算力网络等方向。"
)
JUDGMENT_TITLE = "今日判断：数据要素与人工智能应用双线并进"
JUDGMENT_TEXT = (
    "今天入选的四条动态分属数据要素与数据基础设施（第一节）、人工智能与产业应用（第二节）、"
    "算力网络与能源（第三节）、人工智能治理与伦理（第四节）。\n\n"
    "数据要素从制度走向场景，人工智能从技术走向应用，两条线正在相互靠拢。"
    "国家发展改革委接下来将推动东中西部算力资源统筹调度。"
)


def brief() -> Brief:
    return Brief(
        date=BRIEF_DATE,
        masthead=Masthead(
            title="新质生产力每日动态",
            publisher="中国高技术产业发展促进会新质生产力工作委员会",
        ),
        summary=SUMMARY,
        sections=sections(),
        judgment=Judgment(title=JUDGMENT_TITLE, text=JUDGMENT_TEXT),
        references=references(),
        contact=Contact(qr_codes=[QRCode(url="https://gyznswn.cn", caption="工业智能算网")]),
        status="draft",
    )
