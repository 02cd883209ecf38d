"""The desk in a real browser: Playwright for Python driving Debian's chromium against a real
uvicorn server on 127.0.0.1. Screenshots go to ``test-artifacts/web/``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from web_world import DAY, PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Debian chromium and pdftotext are installed by scripts/setup.sh --test; a missing one fails
# the run loudly instead of skipping the browser tests.


@pytest.fixture
def page(server: str):
    from playwright import sync_api

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            base_url=server,
            accept_downloads=True,
            viewport={"width": 1440, "height": 1000},
            locale="zh-CN",
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


def _section_headings(page) -> list[str]:
    # Read value by value: a page function string would need 'unsafe-eval', which the CSP forbids.
    boxes = page.locator(".section-card input.heading")
    return [boxes.nth(i).input_value() for i in range(boxes.count())]


def test_editor_reviews_edits_approves_publishes_and_downloads(page, world, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    site = tmp_path / "site"
    (world.home / "publish.yaml").write_text(
        f"channels: [site]\nsite:\n  dir: {site}\n  downloads: [md]\n", encoding="utf-8"
    )

    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto("/")
    page.screenshot(path=ARTIFACTS / "01-login.png")
    page.fill("input[name=name]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/desk/{DAY}")
    page.screenshot(path=ARTIFACTS / "02-desk.png", full_page=True)
    first_count = page.locator(".section-card").count()
    assert first_count >= 3

    # Exclude the event of the last section (from the candidates list).
    last = page.locator(".section-card").last
    excluded_event = last.get_attribute("data-event")
    page.locator(f'.cand[data-event="{excluded_event}"] button', has_text="排除").click()
    expect(page.locator(".section-card")).to_have_count(first_count - 1)
    assert page.locator(f'.section-card[data-event="{excluded_event}"]').count() == 0
    assert (
        page.locator(f'.cand[data-event="{excluded_event}"] button', has_text="纳入").count() == 1
    )

    # Reorder: move section 1 down.
    before = _section_headings(page)
    page.locator("#section-1 button", has_text="下移").click()
    expect(page.locator("#section-1 input.heading")).to_have_value(before[1])
    after = _section_headings(page)
    assert after[:2] == [before[1], before[0]]

    # Edit the first paragraph of (new) section 1; it saves as you type.
    marker = "编辑补充：本段已人工核对。"
    box = page.locator("#section-1 .para textarea").first
    original = box.input_value()
    box.fill(original + marker)
    page.locator("#section-1 .para .save-state .saved").first.wait_for()
    page.screenshot(path=ARTIFACTS / "03-edited.png", full_page=True)

    # A reload shows the saved text (nothing lost).
    page.reload()
    assert marker in page.locator("#section-1 .para textarea").first.input_value()

    # 摘要 and 今日判断 followed the exclusion and the new order (the desk wrote them again
    # from the sections): the excluded event is gone from both, the sections' order is theirs.
    summary_text = page.locator("textarea[aria-label='摘要']").input_value()
    excluded_title = page.locator(f'.cand[data-event="{excluded_event}"] .cand-title').inner_text()
    assert excluded_title[:8] not in summary_text
    # An editor may still write them by hand; they save as they type.
    summary = "；".join(h.split("，")[0] for h in _section_headings(page)) + "。"
    with page.expect_response(lambda r: r.url.endswith("/summary")):
        page.locator("textarea[aria-label='摘要']").fill(summary)
    judgment = {
        "form.judgment textarea": "上述动态显示，相关工作正在从部署走向落地。",
        "form.judgment input[name=title]": "今日判断：几条线索同步推进",
    }
    for box, text in judgment.items():
        with page.expect_response(lambda r: r.url.endswith("/judgment")):
            page.locator(box).fill(text)
    page.reload()
    # An editor proposes; a chief approves and publishes.
    expect(page.locator("#desk-status")).to_contain_text("待主编批准")
    assert page.locator("button:has-text('批准此版')").count() == 0
    page.click("button:has-text('退出')")
    page.fill("input[name=name]", "chief")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/desk/{DAY}")
    expect(page.locator("button:has-text('批准此版')")).to_be_enabled()

    # Approve.
    page.click("button:has-text('批准此版')")
    page.locator(".pill.approved").wait_for()
    assert "chief" in page.locator(".pill.approved").inner_text()
    page.screenshot(path=ARTIFACTS / "04-approved.png", full_page=True)

    # Publish (after the confirmation dialog) to the static site of publish.yaml.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.publish:has-text('发布')")
    result = page.locator(".publish-result")
    expect(result).to_contain_text("发布完成")
    assert "✓ site：" in result.inner_text()
    assert "版已发布 · chief" in page.locator("#desk-status").inner_text()
    assert (site / "briefs" / f"brief-{DAY}.html").is_file() and (site / "feed.xml").is_file()
    page.screenshot(path=ARTIFACTS / "04b-published.png", full_page=True)

    # Download the PDF: it is the edited version.
    with page.expect_download() as info:
        page.click("a:has-text('PDF')")
    pdf = tmp_path / "brief.pdf"
    info.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "".join(marker.split()) in flat
    assert "一、" + "".join(after[0].split())[:8] in flat  # the new order is the PDF's order
    assert "二、" + "".join(after[1].split())[:8] in flat

    # History with the diff of the edit, and the other pages render.
    page.goto(f"/desk/{DAY}/history")
    page.screenshot(path=ARTIFACTS / "05-history.png", full_page=True)
    page.click("tr:has-text('编辑第 1 节第 1 段') a:has-text('查看改动')")
    assert marker in page.locator(".diff-line.added").first.inner_text()
    page.screenshot(path=ARTIFACTS / "06-diff.png", full_page=True)
    page.goto(f"/desk/{DAY}/preview")
    frame = page.frame_locator("iframe.preview-frame")
    assert marker in "".join(frame.locator("body").inner_text().split())
    page.screenshot(path=ARTIFACTS / "07-preview.png")
    for name, path in (
        ("08-archive", "/archive"),
        ("09-search", "/search?q=数据要素"),
        ("10-sources", "/sources"),
        ("11-trends", "/trends"),
    ):
        page.goto(path)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "htmx" in e.lower()], errors
