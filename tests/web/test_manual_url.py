"""An editor adds a page by its URL: fetched from a real site on 127.0.0.1 (robots.txt,
WARC), extracted, stored, offered as a candidate and written into the brief when included."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_world import DAY

from zhibao.core.model import Reference
from zhibao.crawl import FetchSettings, iter_warc
from zhibao.store import BriefVersions, Store

TOPIC = "新质生产力"  # the default profile's

# Relevant to nothing in the topic profile: the analysis would never offer it by itself.
FLOWER_SHOW = (
    '<!DOCTYPE html><html><head><meta charset="utf-8">'
    "<title>滨江公园春季花卉展开幕</title>"
    '<meta name="PubDate" content="2026-05-24 09:30">'
    "</head><body><h1>滨江公园春季花卉展开幕</h1>"
    '<div class="info">发布时间：2026-05-24 09:30 来源：滨江日报</div>'
    '<div class="article">'
    "<p>5月24日，滨江公园春季花卉展开幕，展出郁金香、牡丹等花卉120个品种，预计接待游客8万人次。</p>"
    "<p>本次花卉展持续至6月10日，园方增设了夜间灯光展区和亲子科普区，方便市民周末游园。</p>"
    "<p>公园管理处表示，展会期间将加密公交班次，并提醒游客文明赏花、错峰出行。</p>"
    "</div></body></html>"
).encode()

LIST_PAGE = (
    '<html><head><meta charset="utf-8"><title>新闻频道</title></head><body>'
    '<ul><li><a href="/a.html">一</a></li><li><a href="/b.html">二</a></li></ul>'
    "</body></html>"
).encode()


class Site:
    """A small news site: an article, a list page, robots.txt forbidding /private/."""

    def __init__(self) -> None:
        self.pages = {
            "/robots.txt": (b"User-agent: *\nDisallow: /private/\n", "text/plain"),
            "/2026/05/24/flowers.html": (FLOWER_SHOW, "text/html; charset=utf-8"),
            "/private/flowers.html": (FLOWER_SHOW, "text/html; charset=utf-8"),
            "/channel/": (LIST_PAGE, "text/html; charset=utf-8"),
        }
        self.hits: Counter[str] = Counter()
        self.url = ""


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            site.hits[path] += 1
            body, ctype = site.pages.get(path, (b"<html><body>not found</body></html>", ""))
            self.send_response(200 if ctype else 404)
            self.send_header("Content-Type", ctype or "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield site
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def desk_client(editor_client: TestClient) -> TestClient:
    # Polite as ever (robots.txt, WARC), without the one-second pause a test need not wait.
    desk = editor_client.app.state.desk.desk
    desk.fetch_settings = FetchSettings(delay_seconds=0, retries=0, total_timeout=5)
    return editor_client


def _add(c: TestClient, url: str, *, htmx: bool = True):
    headers = {"X-CSRF-Token": c.csrf}
    if htmx:
        headers["HX-Request"] = "true"
    return c.post(f"/desk/{DAY}/candidates/url", data={"url": url}, headers=headers)


def _candidate(page: str, title: str) -> str:
    """The event id of the candidate row titled ``title``."""
    for row in re.findall(r'<li class="cand cand-\w+" data-event="[^"]+">.*?</li>', page, re.S):
        if title in row:
            return re.search(r'data-event="([^"]+)"', row).group(1)
    raise AssertionError(f"no candidate {title!r}")


def _versions(world) -> int:
    with Store.open(world.database_url) as store:
        return BriefVersions(store, topic=TOPIC).newest_number(DAY)


def _warc_pages(data_dir: Path) -> list[str]:
    return [
        page.final_url
        for path in sorted((data_dir / "archive").glob("manual-*.warc.gz"))
        for page in iter_warc(path)
    ]


def test_an_irrelevant_article_added_by_hand_is_a_candidate_and_can_be_included(
    desk_client: TestClient, site: Site, world
) -> None:
    c = desk_client
    url = site.url + "/2026/05/24/flowers.html"
    before = c.get(f"/desk/{DAY}").text
    assert "滨江公园春季花卉展开幕" not in before

    added = _add(c, url)
    assert added.status_code == 200, added.text
    assert "已添加：滨江公园春季花卉展开幕" in added.text
    assert "不在已配置的信息源中" in added.text  # 127.0.0.1 is no configured source
    page = c.get(f"/desk/{DAY}").text
    event_id = _candidate(page, "滨江公园春季花卉展开幕")
    row = re.search(rf'data-event="{event_id}">.*?</li>', page, re.S).group(0)
    assert "手工添加" in row and "/include" in row

    with Store.open(world.database_url) as store:
        document = store.document(url)
    assert document is not None
    assert document.source_id is None  # no configured source's site: marked as such
    assert document.source_org  # the page's own organisation, else its host
    assert document.archive and document.archive.startswith("manual-")

    included = c.post(f"/desk/{DAY}/events/{event_id}/include", headers={"X-CSRF-Token": c.csrf})
    assert included.status_code == 200, included.text
    with Store.open(world.database_url) as store:
        brief = store.brief(DAY, topic=TOPIC)
    section = next(s for s in brief.sections if s.event_id == event_id)
    assert "花卉" in " ".join(p.text for p in section.paragraphs)
    assert url in {r.url for r in brief.references}


def test_the_same_url_twice_is_fetched_archived_and_stored_once(
    desk_client: TestClient, site: Site, world
) -> None:
    c = desk_client
    url = site.url + "/2026/05/24/flowers.html"
    assert _add(c, url).status_code == 200
    versions = _versions(world)
    again = _add(c, url)
    assert again.status_code == 200
    assert "库中已有，未重新抓取" in again.text
    assert site.hits["/2026/05/24/flowers.html"] == 1
    assert _warc_pages(world.data_dir).count(url) == 1
    assert _versions(world) == versions  # nothing new to remember: no new version
    with Store.open(world.database_url) as store:
        assert sum(1 for d in store.documents() if d.url == url) == 1
    page = c.get(f"/desk/{DAY}").text
    assert page.count("滨江公园春季花卉展开幕") == 1  # one candidate row


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/private/flowers.html", "robots.txt 禁止抓取"),
        ("/missing.html", "HTTP 404"),
        ("/channel/", "栏目页或列表页"),
    ],
)
def test_a_page_that_cannot_be_added_is_refused_with_the_reason(
    desk_client: TestClient, site: Site, world, path: str, expected: str
) -> None:
    c = desk_client
    versions = _versions(world)
    answer = _add(c, site.url + path)
    assert answer.status_code == 409
    assert answer.headers["HX-Retarget"] == "#manual-url-message"
    assert expected in answer.text and site.url + path in answer.text
    assert 'class="manual-error"' in answer.text
    assert _versions(world) == versions  # nothing saved
    with Store.open(world.database_url) as store:
        assert store.document(site.url + path) is None
    if path.startswith("/private/"):
        assert site.hits[path] == 0  # robots.txt is asked first, the page never


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/a.html", "javascript:alert(1)", "flowers"])
def test_a_url_that_is_not_http_is_refused_before_anything_is_fetched(
    desk_client: TestClient, site: Site, url: str
) -> None:
    answer = _add(desk_client, url, htmx=False)
    assert answer.status_code == 409
    assert "http:// 或 https://" in answer.text
    assert not site.hits


def test_adding_a_url_needs_login_and_the_csrf_token(client: TestClient, site: Site) -> None:
    url = site.url + "/2026/05/24/flowers.html"
    answer = client.post(f"/desk/{DAY}/candidates/url", data={"url": url})
    assert answer.status_code in (401, 403)
    assert not site.hits


def test_desk_shows_a_government_title_in_one_pair_of_book_marks(
    desk_client: TestClient, world
) -> None:
    """A 政府信息公开 reference's title already is 《…》（文号）: the desk adds no 《》 around it."""
    gov = Reference(
        id=1,
        org="国务院办公厅",
        title="《国务院办公厅关于加快发展新质生产力的意见》（国办发〔2026〕12号）",
        date="2026-05-24",
        url="https://www.gov.cn/zhengce/content/2026-05/24/content_1.htm",
    )
    with Store.open(world.database_url) as store:
        versions = BriefVersions(store, topic=TOPIC)
        brief = versions.latest(DAY).brief
        plain = brief.references[0].model_copy(update={"id": 2, "title": "普通报道的标题"})
        sections = [
            s.model_copy(
                update={
                    "paragraphs": [p.model_copy(update={"citations": [1, 2]}) for p in s.paragraphs]
                }
            )
            for s in brief.sections
        ]
        versions.save(
            brief.model_copy(update={"sections": sections, "references": [gov, plain]}),
            note="政府文件引用",
            author="zhibao",
        )
    page = desk_client.get(f"/desk/{DAY}").text
    assert "《国务院办公厅关于加快发展新质生产力的意见》（国办发〔2026〕12号）" in page
    assert "《《" not in page and "》（国办发〔2026〕12号）》" not in page
    assert "《普通报道的标题》" in page  # a plain title is still put in 《》


def test_in_a_browser_a_refused_url_is_explained_and_a_good_one_becomes_a_section(
    server: str, site: Site, world
) -> None:
    """Real chromium on the real form: htmx posts with the CSRF header, the reason shows
    beside the box (the typed URL stays), the added page is a candidate and 纳入 writes it."""
    from playwright.sync_api import expect, sync_playwright
    from test_browser import ARGS, ARTIFACTS, CHROMIUM
    from web_world import PASSWORD

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(base_url=server, viewport={"width": 390, "height": 900})
        page.set_default_timeout(15000)
        page.goto("/login")
        page.fill("input[name=name]", "editor")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"**/desk/{DAY}")

        box = page.locator("#manual-url")
        box.fill(site.url + "/private/flowers.html")
        page.locator("form.manual-url button").click()
        expect(page.locator("#manual-url-message")).to_contain_text("robots.txt 禁止抓取")
        assert box.input_value() == site.url + "/private/flowers.html"  # nothing lost
        page.locator("form.manual-url").screenshot(path=ARTIFACTS / "manual-url-refused-390.png")

        box.fill(site.url + "/2026/05/24/flowers.html")
        page.locator("form.manual-url button").click()
        expect(page.locator("#manual-url-message")).to_contain_text(
            "已添加：滨江公园春季花卉展开幕"
        )
        row = page.locator(".cand", has=page.locator(".badge.manual"))
        expect(row).to_have_count(1)
        page.locator("#candidates").screenshot(path=ARTIFACTS / "manual-url-added-390.png")
        event_id = row.get_attribute("data-event")
        row.locator("button", has_text="纳入").click()
        expect(page.locator(f'.section-card[data-event="{event_id}"]')).to_have_count(1)
        browser.close()
