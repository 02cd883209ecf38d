"""Desk page times for a day with 300 candidate documents, through an HTTP client.

    python benchmarks/desk.py [--documents 300] [--runs 15] [--server]

Builds a throw-away store: 300 documents over the brief's 3-day window across 30 sources and
the default profile's themes — real 新闻联播 items from ``../shared/data`` when present
(re-dated into the window), else synthetic ones — writes the brief with the extractive writer, adds an
editor, then asks each desk page ``--runs`` times and prints the median (and the first, cold
request, which also runs the analysis of the day). By default requests go through FastAPI's
in-process TestClient (httpx); ``--server`` runs a real uvicorn on 127.0.0.1 and uses httpx.
Target (issue 6): every desk page ≤ 200 ms (median).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from zhibao.core.model import Document
from zhibao.runs.briefing import make_brief
from zhibao.store import Accounts, Store

CHINA = timezone(timedelta(hours=8))
DAY = date(2026, 5, 25)
PASSWORD = "benchmark passphrase"
ORGS = [
    "国家数据局",
    "中央网信办",
    "国家发展改革委",
    "工业和信息化部",
    "人民日报",
    "新华社",
    "证券时报",
]
TOPICS = [
    ("数据要素", "数据要素市场化配置改革和公共数据资源开发利用"),
    ("高质量数据集", "高质量数据集建设与数据标注产业"),
    ("数字经济", "数字经济高质量发展和数字化转型"),
    ("人工智能治理", "人工智能伦理审查与生成式人工智能服务管理"),
    ("人工智能+制造", "人工智能赋能新型工业化与智能工厂建设"),
    ("算力网", "全国一体化算力网与数据中心绿色低碳发展"),
    ("现代化产业体系", "实体经济与现代化产业体系建设"),
    ("数据企业", "数据产业发展与数据企业培育"),
    ("全球AI投资", "全球人工智能资本开支与存储芯片供应"),
]
PLACES = ["北京", "上海", "广东", "浙江", "福建", "湖北", "四川", "江苏", "山东", "安徽"]


SUBJECTS = [
    "智能网联汽车",
    "工业母机",
    "低空经济",
    "生物制造",
    "商业航天",
    "新型储能",
    "量子科技",
    "具身智能",
    "海洋装备",
    "氢能",
    "先进材料",
    "集成电路",
    "北斗应用",
    "智慧港口",
    "医疗器械",
    "种业振兴",
    "数字孪生城市",
    "算力调度平台",
    "跨境数据流动",
    "数据交易所",
    "公共数据授权运营",
    "城市大脑",
    "大模型备案",
    "算法安全",
    "工业互联网标识",
    "智能工厂",
    "绿色数据中心",
    "东数西算",
    "数据标注基地",
    "数据资产入表",
    "可信数据空间",
    "行业大模型",
    "人形机器人",
    "卫星互联网",
]
ACTIONS = [
    "印发实施方案",
    "召开推进会",
    "发布白皮书",
    "公布试点名单",
    "签约重大项目",
    "启动专项行动",
    "举办发布会",
    "出台支持政策",
    "建成投运",
    "通过验收",
]


TITLES = [
    "{place}{action}，{subject}再提速",
    "{subject}：{place}出台{n}条举措",
    "聚焦{name}，{place}布局{subject}",
    "{n}个{subject}项目落地{place}",
    "{place}答好{subject}“必答题”",
    "记者观察｜{subject}为何在{place}加速成长",
    "{subject}迎来新机遇 {place}{action}",
]


def documents(n: int) -> list[Document]:
    """Varied enough that analysis sees many distinct events, as on a real busy day."""
    rng = random.Random(7)
    out = []
    for i in range(n):
        name, phrase = TOPICS[i % len(TOPICS)]
        subject = SUBJECTS[i % len(SUBJECTS)]
        action = ACTIONS[(i * 7) % len(ACTIONS)]
        place = PLACES[(i * 3) % len(PLACES)]
        org = ORGS[i % len(ORGS)]
        day = DAY - timedelta(days=i % 3)
        url = f"https://bench.example.cn/s{i % 30}/{day:%Y%m%d}/{i:04d}.html"
        sentences = [
            f"{day.month}月{day.day}日，{place}{action}，聚焦{subject}，{org}有关负责同志出席。",
            f"据介绍，{place}{subject}产业规模达到{rng.randint(100, 9000)}亿元，同比增长{rng.randint(3, 40)}.{rng.randint(0, 9)}%。",
            f"此次{action.removeprefix('召开').removeprefix('发布')}明确了{rng.randint(3, 30)}项重点任务，涉及{phrase}。",
            f"{place}计划到{rng.choice([2027, 2028, 2030])}年培育{rng.randint(10, 200)}家{subject}领域专精特新企业。",
            f"专家认为，{subject}是{name}的重要方向，有助于形成新质生产力。",
        ]
        rng.shuffle(sentences)
        out.append(
            Document(
                url=url,
                canonical_url=url,
                title=TITLES[i % len(TITLES)].format(
                    place=place, action=action, subject=subject, n=rng.randint(2, 99), name=name
                ),
                text="\n".join(sentences[:4]),
                published_at=datetime(
                    day.year, day.month, day.day, 9 + i % 10, i % 60, tzinfo=CHINA
                ),
                source_id=f"s{i % 30}",
                source_org=org,
            )
        )
    return out


CCTV_PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "cctv-2026-03-04" / "pages"


def real_documents(n: int, pages: Path) -> list[Document]:
    """``n`` real 新闻联播 items (read in place, never copied), re-dated into the brief's window."""
    sys.path.insert(0, str(Path(__file__).parent))
    from cctv_documents import read_pages

    found = read_pages(pages)[:n]
    out = []
    for i, doc in enumerate(found):
        day = DAY - timedelta(days=i % 3)
        out.append(
            doc.model_copy(
                update={
                    "published_at": datetime(
                        day.year, day.month, day.day, 19, i % 60, tzinfo=CHINA
                    ),
                    "source_id": f"s{i % 30}",
                }
            )
        )
    return out


def build(workdir: Path, n: int, pages: Path | None) -> tuple[str, Path]:
    url = f"sqlite:///{workdir / 'zhibao.db'}"
    docs = real_documents(n, pages) if pages and pages.is_dir() else documents(n)
    print(
        f"documents: {len(docs)} ({'real CCTV pages' if pages and pages.is_dir() else 'synthetic'})"
    )
    with Store.open(url) as store:
        for doc in docs:
            store.upsert_document(doc)
        run = store.start_run()
        for s in range(30):
            store.record_source(run, f"s{s}", new_documents=n // 30)
        store.finish_run(run)
        make_brief(DAY, store=store, config_dir=workdir)
        Accounts(store).add_user("bench", PASSWORD)
    return url, workdir


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--server", action="store_true", help="real uvicorn on 127.0.0.1 + httpx")
    parser.add_argument(
        "--pages",
        type=Path,
        default=CCTV_PAGES,
        help="新闻联播 item pages to use (default: ../shared/data/…; synthetic if absent)",
    )
    args = parser.parse_args()

    from zhibao.web import WebSettings, create_app

    with tempfile.TemporaryDirectory() as tmp:
        tick = time.perf_counter()
        url, home = build(Path(tmp), args.documents, args.pages)
        print(
            f"store with {args.documents} documents and a brief: {time.perf_counter() - tick:.1f}s"
        )
        app = create_app(WebSettings(database_url=url, config_dir=home, data_dir=home / "data"))
        if args.server:
            import httpx
            import uvicorn

            server = uvicorn.Server(
                uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
            )
            thread = threading.Thread(target=server.run, daemon=True)
            thread.start()
            while not server.started:
                time.sleep(0.05)
            port = server.servers[0].sockets[0].getsockname()[1]
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True)
        else:
            from fastapi.testclient import TestClient

            client = TestClient(app, base_url="http://127.0.0.1")
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf_token": token})
        desk = client.get("/desk")
        csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', desk.text).group(1)
        # The first desk request above analysed the day; time a fresh analysis on its own.
        app.state.desk.desk._analyses.clear()
        tick = time.perf_counter()
        client.get(f"/desk/{DAY}")
        cold = time.perf_counter() - tick
        candidates = desk.text.count('class="cand ')
        print(
            f"candidate events on the desk: {candidates}; cold desk request (analysis): {cold * 1000:.0f} ms"
        )

        pages = {
            "desk": f"/desk/{DAY}",
            "preview page": f"/desk/{DAY}/preview",
            "preview html": f"/desk/{DAY}/brief.html",
            "history": f"/desk/{DAY}/history",
            "diff": f"/desk/{DAY}/history/1",
            "archive": "/archive",
            "search": "/search?q=数据要素+试点",
            "sources": "/sources",
            "trends": "/trends",
        }
        print(f"{'page':<16}{'median ms':>10}{'first ms':>10}{'bytes':>9}")
        for name, path in pages.items():
            times = []
            size = 0
            for _ in range(args.runs):
                tick = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - tick)
                assert response.status_code == 200, (path, response.status_code)
                size = len(response.content)
            print(
                f"{name:<16}{statistics.median(times) * 1000:>10.1f}{times[0] * 1000:>10.1f}{size:>9}"
            )
        # One save as you go (a paragraph edit: check + new version + search index).
        times = []
        for i in range(args.runs):
            tick = time.perf_counter()
            r = client.post(
                f"/desk/{DAY}/sections/1/paragraphs/2",
                data={"text": f"编辑修订第{i}次。"},
                headers={"X-CSRF-Token": csrf},
            )
            times.append(time.perf_counter() - tick)
            assert r.status_code == 200, r.text
        print(
            f"{'save paragraph':<16}{statistics.median(times) * 1000:>10.1f}{times[0] * 1000:>10.1f}"
        )
        client.close()
        app.state.desk.desk.close()


if __name__ == "__main__":
    main()
