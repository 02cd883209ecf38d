"""Two editors saving the same brief at the same moment, against a real uvicorn server: no edit
is lost, never both "已保存" for the same paragraph, and the store's check-and-save is atomic."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from web_world import DAY, PASSWORD, login

from zhibao.store import Store
from zhibao.store.versions import BriefVersions, StaleVersion

TOPIC = "新质生产力"
ROUNDS = 8


def _session(server: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=server, timeout=20)
    client.csrf = login(client, name, PASSWORD)
    return client


def _base(page: str, field: str) -> int:
    return int(re.search(rf'id="base-{field}" name="base_version" value="(\d+)"', page).group(1))


def _text(page: str, label: str) -> str:
    return re.search(rf'aria-label="{label}"[^>]*>([^<]*)<', page).group(1)


def _at_once(*calls):
    """Run the calls in threads released together by a barrier; their responses in order."""
    barrier = threading.Barrier(len(calls), timeout=10)

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result(timeout=30) for f in [pool.submit(run, c) for c in calls]]


def _save(client: httpx.Client, path: str, base: int, text: str) -> httpx.Response:
    return client.post(
        f"/desk/{DAY}{path}",
        data={"text": text, "base_version": str(base)},
        headers={"X-CSRF-Token": client.csrf},
    )


@pytest.fixture
def two_editors(server: str):
    first, second = _session(server, "editor"), _session(server, "chief")
    yield first, second
    first.close()
    second.close()


def test_two_sessions_saving_different_paragraphs_at_once_lose_nothing(two_editors) -> None:
    a, b = two_editors
    for round_ in range(ROUNDS):
        page_a, page_b = a.get(f"/desk/{DAY}").text, b.get(f"/desk/{DAY}").text
        base_a, base_b = _base(page_a, "s1-p1"), _base(page_b, "s2-p1")
        assert base_a == base_b  # both edit the same version
        mine = f"5月24日，甲编辑第{round_ + 1}轮改写第一节。"
        theirs = f"5月24日，乙编辑第{round_ + 1}轮改写第二节。"
        first, second = _at_once(
            lambda: _save(a, "/sections/1/paragraphs/1", base_a, mine),  # noqa: B023
            lambda: _save(b, "/sections/2/paragraphs/1", base_b, theirs),  # noqa: B023
        )
        assert first.status_code == 200, first.text
        assert second.status_code == 200, second.text
        # Exactly one of them was second and was merged onto the other's version, and says so.
        merged = ["已与他人此前的修改合并" in r.text for r in (first, second)]
        assert merged.count(True) == 1, (round_, merged)
        saved = {int(re.search(r"已保存 · 第 (\d+) 版", r.text).group(1)) for r in (first, second)}
        assert saved == {base_a + 1, base_a + 2}
        now = a.get(f"/desk/{DAY}").text
        assert _text(now, "第 1 节第 1 段") == mine
        assert _text(now, "第 2 节第 1 段") == theirs


def test_two_sessions_saving_the_same_paragraph_never_both_saved(two_editors) -> None:
    a, b = two_editors
    for round_ in range(ROUNDS):
        base = _base(a.get(f"/desk/{DAY}").text, "s1-p1")
        texts = (f"5月24日，甲第{round_}轮。", f"5月24日，乙第{round_}轮。")
        responses = _at_once(
            lambda: _save(a, "/sections/1/paragraphs/1", base, texts[0]),  # noqa: B023
            lambda: _save(b, "/sections/1/paragraphs/1", base, texts[1]),  # noqa: B023
        )
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 409], [r.text[:300] for r in responses]
        won = next(i for i, r in enumerate(responses) if r.status_code == 200)
        lost = responses[1 - won]
        assert "已保存" not in lost.text and "保存冲突" in lost.text
        assert texts[1 - won] in lost.text and texts[won] in lost.text  # yours and theirs
        assert lost.headers["HX-Retarget"] == "#conflict"
        now = a.get(f"/desk/{DAY}").text
        assert _text(now, "第 1 节第 1 段") == texts[won]
    # The loser of the last round keeps their own text through the conflict view.
    loser = (a, b)[1 - won]
    payload = re.search(r'name="payload" value="([^"]+)"', lost.text).group(1)
    import html

    resolved = loser.post(
        f"/desk/{DAY}/resolve",
        data={
            "payload": html.unescape(payload),
            "picks": "yours:0",
            "base_version": re.search(
                r'name="base_version" value="(\d+)"', lost.text.split("conflict-panel", 1)[1]
            ).group(1),
        },
        headers={"X-CSRF-Token": loser.csrf},
    )
    assert resolved.status_code == 200, resolved.text
    assert _text(a.get(f"/desk/{DAY}").text, "第 1 节第 1 段") == texts[1 - won]


def test_store_check_and_save_is_atomic(world) -> None:
    """Two threads saving on the same base through separate stores: exactly one wins."""
    with Store.open(world.database_url) as one, Store.open(world.database_url) as two:
        left, right = BriefVersions(one, topic=TOPIC), BriefVersions(two, topic=TOPIC)
        for _ in range(ROUNDS):
            latest = left.latest(DAY)

            def save(versions: BriefVersions, latest=latest):
                try:
                    return versions.save(latest.brief, note="并发", author="t", base=latest.number)
                except StaleVersion as exc:
                    return exc

            results = _at_once(lambda: save(left), lambda: save(right))  # noqa: B023
            stale = [r for r in results if isinstance(r, StaleVersion)]
            assert len(stale) == 1, results
            assert left.newest_number(DAY) == latest.number + 1


def test_two_browser_contexts_see_the_conflict_view_and_merge(server: str) -> None:
    """Chromium, two contexts (two logins) on the same desk page: the second save of the same
    paragraph opens the conflict view instead of saving; keeping "yours" there saves it, and a
    save of another paragraph is merged and says so."""
    from playwright import sync_api
    from playwright.sync_api import expect
    from test_browser import ARGS, ARTIFACTS, CHROMIUM

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pages = []
            for name in ("editor", "chief"):
                context = browser.new_context(
                    base_url=server, viewport={"width": 1280, "height": 900}
                )
                page = context.new_page()
                page.set_default_timeout(15000)
                page.goto("/login")
                page.fill("input[name=name]", name)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"**/desk/{DAY}")
                pages.append(page)
            a, b = pages
            box = "textarea[aria-label='第 1 节第 1 段']"
            a.locator(box).fill("5月24日，甲在浏览器里的改写。")
            a.locator(f"{box} + .save-state .saved").wait_for()
            b.locator(box).fill("5月24日，乙在浏览器里的改写。")
            panel = b.locator("#conflict .conflict-panel")
            expect(panel).to_contain_text("保存冲突")
            expect(panel).to_contain_text("甲在浏览器里的改写")
            assert b.locator(f"{box} + .save-state .saved").count() == 0
            b.screenshot(path=ARTIFACTS / "conflict-view.png", full_page=True)
            panel.locator("button", has_text="按所选合并并保存").click()
            expect(b.locator(box)).to_have_value("5月24日，乙在浏览器里的改写。")
            # A, still on its old page, edits another paragraph: merged, not refused.
            other = "textarea[aria-label='第 2 节第 1 段']"
            a.locator(other).fill("5月24日，甲改第二节。")
            expect(a.locator(f"{other} + .save-state .merged")).to_contain_text("合并")
            a.reload()
            expect(a.locator(box)).to_have_value("5月24日，乙在浏览器里的改写。")
            expect(a.locator(other)).to_have_value("5月24日，甲改第二节。")
        finally:
            browser.close()
