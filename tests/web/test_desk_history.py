"""History on the desk: readable notes, restore as a new version, compare any two versions."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from web_world import DAY

from zhibao.runs.editing import word_diff
from zhibao.store import Store
from zhibao.store.versions import BriefVersions

TOPIC = "新质生产力"


def _post(c: TestClient, path: str, **data):
    return c.post(
        f"/desk/{DAY}{path}", data=data, headers={"X-CSRF-Token": c.csrf}, follow_redirects=False
    )


def _versions(world):
    with Store.open(world.database_url) as store:
        return BriefVersions(store, topic=TOPIC).history(DAY)


def test_history_names_events_by_title(editor_client: TestClient, world) -> None:
    c = editor_client
    c.get(f"/desk/{DAY}")
    event = _versions(world)[0].brief.sections[-1].event_id
    _post(c, f"/events/{event}/exclude")
    page = c.get(f"/desk/{DAY}/history").text
    assert "排除事件「" in page and event not in page


def test_restore_makes_a_new_version_with_the_old_text(editor_client: TestClient, world) -> None:
    c = editor_client
    original = c.get(f"/desk/{DAY}") and _versions(world)[0].brief
    _post(c, "/sections/1/paragraphs/1", text="5月24日，第一次改写。")
    _post(c, "/sections/1/heading", heading="改过的标题，含义")
    assert [v.number for v in _versions(world)] == [3, 2, 1]
    restored = _post(c, "/history/1/restore", base_version="3")
    assert restored.status_code == 303
    versions = _versions(world)
    assert [v.number for v in versions] == [4, 3, 2, 1]  # nothing overwritten
    assert versions[0].note == "恢复第 1 版"
    assert versions[0].brief.sections == original.sections
    # Restoring from a history page someone has saved past is refused, not silently done.
    _post(c, "/sections/1/heading", heading="又改过的标题，含义")
    stale = _post(c, "/history/2/restore", base_version="4")
    assert stale.status_code == 409 and "第 5 版" in stale.text
    assert _versions(world)[0].number == 5


def test_compare_any_two_versions_marks_words(editor_client: TestClient, world) -> None:
    c = editor_client
    c.get(f"/desk/{DAY}")
    text = _versions(world)[0].brief.sections[0].paragraphs[0].text
    assert "，" in text
    changed = text.replace("，", "，（编者注）", 1)
    _post(c, "/sections/1/paragraphs/1", text=changed)
    _post(c, "/sections/1/heading", heading="第三版标题，含义")
    page = c.get(f"/desk/{DAY}/compare", params={"a": 1, "b": 3}).text
    assert "第 1 版与第 3 版比较" in page
    assert "<ins>（编者注）</ins>" in page  # the words added, not the whole line
    assert text.split("，", 1)[1][:10] in page.replace("<ins>", "").split("（编者注）</ins>", 1)[1]
    assert re.search(r"<ins>[^<]*第三版[^<]*</ins>", page)
    assert c.get(f"/desk/{DAY}/compare", params={"a": 1, "b": 9}).status_code == 404


def test_word_diff_is_by_words() -> None:
    runs = word_diff("国家数据局启动大赛，共设16个赛道。", "国家数据局启动大赛，共设18个赛道。")
    assert ("removed", "16") in runs and ("added", "18") in runs
    assert "".join(t for k, t in runs if k != "removed") == "国家数据局启动大赛，共设18个赛道。"
