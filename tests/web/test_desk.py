from __future__ import annotations

import re
import subprocess
import sys

from fastapi.testclient import TestClient
from web_world import DAY, make_app

from zhibao.store import Accounts, BriefVersions, SearchIndex, Store

TOPIC = "新质生产力"  # the default profile's


def _post(c: TestClient, path: str, **data):
    return c.post(path, data=data, headers={"X-CSRF-Token": c.csrf})


def _events(c: TestClient) -> list[str]:
    return re.findall(
        r'<article class="card section-card" id="section-\d+" data-event="([^"]+)"',
        c.get(f"/desk/{DAY}").text,
    )


def test_exclude_and_include_bring_back_the_editors_text(editor_client: TestClient, world) -> None:
    c = editor_client
    events = _events(c)
    last = len(events)
    assert (
        _post(
            c, f"/desk/{DAY}/sections/{last}/paragraphs/1", text="编辑改写的事实段落。"
        ).status_code
        == 200
    )
    assert _post(c, f"/desk/{DAY}/events/{events[-1]}/exclude").status_code == 200
    assert _events(c) == events[:-1]
    with Store.open(world.database_url) as store:
        brief = store.brief(DAY, topic=TOPIC)
        assert [s.event_id for s in brief.sections] == events[:-1]
        cited = {i for s in brief.sections for i in s.citations}
        assert {r.id for r in brief.references} == cited  # uncited references dropped, renumbered
    assert _post(c, f"/desk/{DAY}/events/{events[-1]}/include").status_code == 200
    assert _events(c) == events
    assert "编辑改写的事实段落。" in c.get(f"/desk/{DAY}").text


def test_reorder_changes_the_section_order_and_reference_numbers(
    editor_client: TestClient, world
) -> None:
    c = editor_client
    events = _events(c)
    assert _post(c, f"/desk/{DAY}/sections/1/move", delta="1").status_code == 200
    assert _events(c)[:2] == [events[1], events[0]]
    with Store.open(world.database_url) as store:
        brief = store.brief(DAY, topic=TOPIC)
    assert brief.sections[0].paragraphs[0].citations == [1]  # numbered by first citation


def test_empty_paragraph_is_refused_and_nothing_is_lost(editor_client: TestClient) -> None:
    c = editor_client
    response = _post(c, f"/desk/{DAY}/sections/1/paragraphs/1", text="   ")
    assert response.status_code == 409 and "不能为空" in response.text
    assert "第 1 版" in c.get(f"/desk/{DAY}").text


def test_edit_shows_claim_verdicts_and_history_keeps_every_version(
    editor_client: TestClient, world
) -> None:
    c = editor_client
    saved = _post(
        c, f"/desk/{DAY}/sections/1/paragraphs/1", text="5月24日，某机构宣布投资9999亿元。"
    )
    assert saved.status_code == 200
    assert "已保存" in saved.text and "✗ 9999亿" in saved.text  # the checker's verdict, inline
    assert 'hx-swap-oob="true"' in saved.text
    with Store.open(world.database_url) as store:
        versions = BriefVersions(store, topic=TOPIC).history(DAY)
        assert [v.number for v in versions] == [2, 1]
        assert versions[0].brief.status == "draft" and versions[0].brief.check_failures
    diff = c.get(f"/desk/{DAY}/history/2").text
    assert "9999亿" in diff and 'class="diff-line added"' in diff
    # Only a chief approves, and an approval needs a clean check.
    assert _post(c, f"/desk/{DAY}/approve").status_code == 403
    from web_world import login

    c.cookies.clear()
    c.csrf = login(c, "chief")
    assert _post(c, f"/desk/{DAY}/approve").status_code == 409


def test_regenerate_restores_the_writers_section(editor_client: TestClient) -> None:
    c = editor_client
    original = re.search(
        r'aria-label="第 1 节第 1 段"[^>]*>([^<]+)<', c.get(f"/desk/{DAY}").text
    ).group(1)
    _post(c, f"/desk/{DAY}/sections/1/paragraphs/1", text="临时改写。")
    assert _post(c, f"/desk/{DAY}/sections/1/regenerate").status_code == 200
    again = re.search(
        r'aria-label="第 1 节第 1 段"[^>]*>([^<]+)<', c.get(f"/desk/{DAY}").text
    ).group(1)
    assert again == original


def test_approve_records_who_and_when(chief_client: TestClient, world) -> None:
    assert _post(chief_client, f"/desk/{DAY}/approve").status_code == 200
    with Store.open(world.database_url) as store:
        approved = BriefVersions(store, topic=TOPIC).approved(DAY)
    assert approved.approved_by == "chief" and approved.approved_at is not None


def test_search_finds_briefs_and_documents_in_chinese(world) -> None:
    with Store.open(world.database_url) as store:
        index = SearchIndex(store)
        assert index.sync() > 0
        assert index.sync() == 0  # nothing changed since
        hits = index.search("一体化算力网")
        assert {h.kind for h in hits} == {"brief", "document"}
        assert (
            index.search("算力", kind="document")[0].title
            == "国家发展改革委推进全国一体化算力网建设"
        )
        assert index.search("不存在的词汇组合") == []
        assert index.search('" OR * NEAR(') == []  # query syntax cannot be injected


def test_trends_draw_one_line_per_theme(editor_client: TestClient) -> None:
    page = editor_client.get("/trends").text
    assert page.count("<polyline") >= 3
    assert "数据要素与数据基础设施" in page


def test_user_add_reads_the_password_from_stdin(world) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "zhibao",
            "user",
            "add",
            "lin",
            "--role",
            "admin",
            "--password-stdin",
            "--database-url",
            world.database_url,
        ],
        input="a strong passphrase\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    with Store.open(world.database_url) as store:
        users = {u.name: u.role for u in Accounts(store).users()}
        session = Accounts(store).login("lin", "a strong passphrase", address="test")
    assert users["lin"] == "admin" and session.user.name == "lin"


def test_root_sends_editors_to_the_latest_desk(world) -> None:
    from web_world import login

    with TestClient(make_app(world), base_url="http://127.0.0.1") as c:
        assert c.get("/", follow_redirects=False).headers["location"] == "/login"
        login(c)
        assert c.get("/", follow_redirects=False).headers["location"] == f"/desk/{DAY}"


def test_the_judgment_card_is_named_by_the_cadence(world) -> None:
    from web_world import login

    (world.home / "profile.yaml").write_text("cadence: weekly\n", encoding="utf-8")
    with TestClient(make_app(world), base_url="http://127.0.0.1") as c:
        login(c)
        page = c.get(f"/desk/{DAY}").text
    assert '<h2 class="card-title">本周判断</h2>' in page and "今日判断正文" not in page


def test_a_merged_event_carries_which_headlines_were_merged_and_why() -> None:
    from datetime import date, datetime, timedelta, timezone

    from zhibao.analyze import analyze
    from zhibao.config import load_profile
    from zhibao.core.model import Document, load_brief
    from zhibao.core.samples import SAMPLE_BRIEF
    from zhibao.web.view import candidate_rows

    evening = datetime(2026, 5, 24, 19, tzinfo=timezone(timedelta(hours=8)))
    text = (
        "国家数据局5月24日发布《数据要素×典型案例集》，收录51个公共数据授权运营与数据要素"
        "流通场景，覆盖交通、医疗、金融等12个行业。国家数据局表示，将推动数据要素市场化配置。"
    )
    docs = [
        Document(url=u, canonical_url=u, title=t, text=x, published_at=evening, source_org=o)
        for u, t, x, o in (
            ("https://nda/1", "国家数据局发布《数据要素×典型案例集》", text, "国家数据局"),
            (
                "https://xh/1",
                "《数据要素×典型案例集》发布 收录51个场景",
                "新华社电 " + text,
                "新华社",
            ),
        )
    ]
    profile = load_profile("/nonexistent")
    analysis = analyze(docs, profile, brief_date=date(2026, 5, 25))
    (row,) = candidate_rows(analysis, load_brief(SAMPLE_BRIEF), profile)
    assert row.documents == 2
    assert row.merged_by and "典型案例集" in row.merged_by[0] and "：" in row.merged_by[0]
