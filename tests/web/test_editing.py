"""Editing on the desk: paragraphs, citations, notes, and 摘要/今日判断 following the sections."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from web_world import DAY

from zhibao.store import Store
from zhibao.store.versions import BriefVersions

TOPIC = "新质生产力"


def _post(c: TestClient, path: str, **data):
    return c.post(f"/desk/{DAY}{path}", data=data, headers={"X-CSRF-Token": c.csrf})


def _paragraphs(page: str, section: int) -> list[str]:
    found = re.findall(rf'aria-label="第 {section} 节第 (\d+) 段"[^>]*>([^<]*)<', page)
    return [html.unescape(text) for _n, text in found]


def _summary(page: str) -> str:
    return html.unescape(re.search(r'aria-label="摘要"[^>]*>([^<]*)<', page).group(1))


def _latest(world):
    with Store.open(world.database_url) as store:
        return BriefVersions(store, topic=TOPIC).latest(DAY)


def test_add_move_and_delete_paragraphs(editor_client: TestClient) -> None:
    c = editor_client
    before = _paragraphs(c.get(f"/desk/{DAY}").text, 1)
    added = "5月24日，编辑补写的一段事实。"
    response = _post(c, "/sections/1/paragraphs", after="0", kind="fact", text=added)
    assert response.status_code == 200, response.text
    assert _paragraphs(response.text, 1) == [added, *before]
    moved = _post(c, "/sections/1/paragraphs/1/move", delta="1")
    assert _paragraphs(moved.text, 1) == [before[0], added, *before[1:]]
    deleted = _post(c, "/sections/1/paragraphs/2/delete")
    assert _paragraphs(deleted.text, 1) == before
    # The last paragraph of a section cannot go (the section would be empty).
    for _ in range(len(before) - 1):
        assert _post(c, "/sections/1/paragraphs/1/delete").status_code == 200
    refused = _post(c, "/sections/1/paragraphs/1/delete")
    assert refused.status_code == 409 and "只剩一段" in refused.text
    bad = _post(c, "/sections/1/paragraphs", after="0", kind="opinion", text="x")
    assert bad.status_code == 409 and "fact" in bad.text


def test_citations_are_chosen_from_the_sections_sources(editor_client: TestClient, world) -> None:
    c = editor_client
    brief = _latest(world).brief
    own = brief.references[brief.sections[0].paragraphs[0].citations[0] - 1].url
    other = next(r.url for r in brief.references if r.url != own)
    page = c.get(f"/desk/{DAY}").text
    assert f'name="cite" value="{own}"' in page
    # Uncite: the paragraph cites nothing, and a reference no paragraph cites is dropped.
    response = _post(c, "/sections/1/paragraphs/1/citations")
    assert response.status_code == 200, response.text
    after = _latest(world).brief
    assert after.sections[0].paragraphs[0].citations == []
    # Another section's source is not this section's to cite.
    refused = _post(c, "/sections/1/paragraphs/1/citations", cite=[other])
    assert refused.status_code == 409 and "不是本节的来源" in refused.text
    assert _post(c, "/sections/1/paragraphs/1/citations", cite=[own]).status_code == 200
    again = _latest(world).brief
    cited = again.sections[0].paragraphs[0].citations
    assert [again.references[i - 1].url for i in cited] == [own]


def test_note_per_section_is_kept_and_shown(editor_client: TestClient, world) -> None:
    c = editor_client
    saved = _post(c, "/sections/2/note", text="请核对大赛赛道数，等主编确认。")
    assert saved.status_code == 200 and "已保存" in saved.text
    _post(c, "/sections/1/paragraphs/1", text="5月24日，另一处改动。")
    page = c.get(f"/desk/{DAY}").text
    assert "请核对大赛赛道数，等主编确认。" in page and "备注 · editor" in page
    event_id = _latest(world).brief.sections[1].event_id
    assert _latest(world).state.notes[event_id]["author"] == "editor"
    assert "请核对" not in "".join(
        p.text for s in _latest(world).brief.sections for p in s.paragraphs
    )


def test_summary_and_judgment_follow_an_exclusion(editor_client: TestClient, world) -> None:
    c = editor_client
    first = _latest(world).brief
    last = first.sections[-1]
    org = next(r.org for r in first.references if r.id in last.paragraphs[0].citations)
    assert org in first.summary
    response = _post(c, f"/events/{last.event_id}/exclude")
    assert response.status_code == 200
    now = _latest(world)
    assert org not in now.brief.summary  # written again from the remaining sections
    assert now.brief.judgment.text != first.judgment.text
    assert not now.state.stale
    assert "排除事件「" in now.note and "ev-" not in now.note
    # Brought back: the summary names it again.
    _post(c, f"/events/{last.event_id}/include")
    assert org in _latest(world).brief.summary


def test_hand_written_summary_is_kept_marked_stale_and_regenerated_on_request(
    editor_client: TestClient, world
) -> None:
    c = editor_client
    mine = "今天的三条动态：算力、数据、工业。编辑手写。"
    assert _post(c, "/summary", text=mine).status_code == 200
    last = _latest(world).brief.sections[-1]
    page = _post(c, f"/events/{last.event_id}/exclude").text
    now = _latest(world)
    assert now.brief.summary == mine  # the editor's words are not thrown away
    assert now.state.stale == ["summary"]
    assert "摘要是手工改写的，没有自动更新" in page
    # 今日判断 was not edited by hand: it followed the sections.
    assert "judgment" not in now.state.stale
    regenerated = _post(c, "/regenerate/summary")
    assert regenerated.status_code == 200
    assert "没有自动更新" not in regenerated.text
    after = _latest(world)
    assert after.brief.summary != mine and not after.state.stale
    assert after.state.by_hand == []
    # 今日判断 alone.
    _post(c, "/judgment", title="今日判断：手写", text="手写的判断。")
    assert _post(c, "/regenerate/judgment").status_code == 200
    assert _latest(world).brief.judgment.title != "今日判断：手写"
    assert _latest(world).brief.summary == after.brief.summary
    assert _post(c, "/regenerate/masthead").status_code == 409


def test_stale_button_action_is_redone_on_the_newer_version(
    editor_client: TestClient, world
) -> None:
    """A move made on a page drawn from an older version, after someone edited text: the move
    is done on their version and their text stays."""
    c = editor_client
    start = _latest(world)
    edited = "5月24日，他人同时改写的一段。"
    assert (
        _post(
            c, "/sections/2/paragraphs/1", text=edited, base_version=str(start.number)
        ).status_code
        == 200
    )
    moved = _post(c, "/sections/1/move", delta="1", base_version=str(start.number))
    assert moved.status_code == 200, moved.text
    now = _latest(world).brief
    assert now.sections[0].paragraphs[0].text == edited
    assert now.sections[1].event_id == start.brief.sections[0].event_id


def test_edit_of_an_excluded_section_is_a_conflict(editor_client: TestClient, world) -> None:
    c = editor_client
    start = _latest(world)
    gone = start.brief.sections[-1]
    _post(c, f"/events/{gone.event_id}/exclude", base_version=str(start.number))
    n = len(start.brief.sections)
    late = _post(
        c,
        f"/sections/{n}/paragraphs/1",
        text="5月24日，迟到的修改。",
        base_version=str(start.number),
    )
    assert late.status_code == 409
    assert "保存冲突" in late.text and "（已不存在）" in late.text
    assert "已保存" not in late.text.replace("保存了", "")


# --------------------------------------------------------------------------- on a phone


def test_desk_on_a_phone_has_no_sideways_scroll_and_a_menu(server: str) -> None:
    """Chromium at 390 px (and 1440 px for comparison): the page is no wider than the screen,
    the menu folds behind a button and opens with readable links, the candidates are reached
    by scrolling down. Screenshots go to ``test-artifacts/web/``."""
    from playwright import sync_api
    from test_browser import ARGS, ARTIFACTS, CHROMIUM
    from web_world import PASSWORD

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for width in (390, 1440):
                # bypass_csp: only so that the test may measure the page with a script.
                context = browser.new_context(
                    base_url=server, viewport={"width": width, "height": 844}, bypass_csp=True
                )
                page = context.new_page()
                page.set_default_timeout(15000)
                page.goto("/login")
                page.fill("input[name=name]", "editor")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"**/desk/{DAY}")
                page.screenshot(path=ARTIFACTS / f"phone-{width}-desk.png", full_page=True)
                page.screenshot(path=ARTIFACTS / f"phone-{width}-desk-top.png")
                for path in (f"/desk/{DAY}", "/archive", f"/desk/{DAY}/history"):
                    page.goto(path)
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    assert wide <= width, (path, wide)
                nav = page.locator("#main-nav a").first
                if width == 390:
                    page.screenshot(path=ARTIFACTS / "phone-390-history.png", full_page=True)
                    assert not nav.is_visible()
                    page.click(".menu-toggle")
                    page.screenshot(path=ARTIFACTS / "phone-390-menu.png")
                assert nav.is_visible()
                box = nav.bounding_box()
                assert box["height"] < 40 and box["width"] > 40  # one line, not a column
                page.goto(f"/desk/{DAY}")
                candidate = page.locator(".cand button").first
                candidate.scroll_into_view_if_needed()
                assert candidate.is_visible()
                page.screenshot(path=ARTIFACTS / f"phone-{width}-candidates.png")
                context.close()
        finally:
            browser.close()
