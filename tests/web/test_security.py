from __future__ import annotations

import re

from fastapi.testclient import TestClient
from web_world import DAY, PASSWORD, make_app

PAGES = [
    f"/desk/{DAY}",
    f"/desk/{DAY}/preview",
    f"/desk/{DAY}/brief.html",
    f"/desk/{DAY}/history",
    f"/desk/{DAY}/history/1",
    "/archive",
    f"/archive/{DAY}",
    f"/archive/{DAY}/brief.html",
    "/sources",
    "/trends",
    "/search?q=中央网信办",
    "/search?q=人工智能+标识&kind=document",
]


def _assert_escaped(text: str, where: str) -> None:
    assert "<script>alert" not in text, where
    assert "<img src=x onerror" not in text, where


def test_hostile_title_is_escaped_on_every_page(editor_client: TestClient) -> None:
    for path in PAGES:
        response = editor_client.get(path)
        assert response.status_code == 200, (path, response.text)
        _assert_escaped(response.text, path)
        if path.startswith("/search"):
            assert "中央网信办部署人工智能生成内容标识工作" in response.text, (
                path
            )  # the hit is listed


def test_the_hostile_title_really_reaches_the_pages(editor_client: TestClient) -> None:
    desk = editor_client.get(f"/desk/{DAY}").text
    assert "&lt;script&gt;alert(" in desk  # shown as text, so the escaping test is not vacuous
    sources = editor_client.get("/sources").text
    assert "HTTP 500 &lt;script&gt;" in sources


def test_pages_forbid_inline_scripts(editor_client: TestClient) -> None:
    response = editor_client.get(f"/desk/{DAY}")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


def test_state_change_without_csrf_token_is_refused(editor_client: TestClient) -> None:
    desk = editor_client.get(f"/desk/{DAY}").text
    event_id = re.search(r'data-event="(ev-[0-9a-f]+)"', desk).group(1)
    url = f"/desk/{DAY}/events/{event_id}/exclude"
    assert editor_client.post(url).status_code == 403
    assert editor_client.post(url, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert editor_client.post(url, data={"csrf_token": "forged"}).status_code == 403
    assert f'data-event="{event_id}"' in editor_client.get(f"/desk/{DAY}").text  # unchanged
    ok = editor_client.post(url, headers={"X-CSRF-Token": editor_client.csrf})
    assert ok.status_code == 200


def test_login_without_csrf_token_is_refused(client: TestClient) -> None:
    response = client.post("/login", data={"name": "editor", "password": PASSWORD})
    assert response.status_code == 403
    assert "zhibao_session" not in response.cookies


def test_unauthenticated_requests_are_refused(client: TestClient) -> None:
    for path in [
        f"/desk/{DAY}",
        f"/desk/{DAY}/download/pdf",
        f"/desk/{DAY}/download/md",
        f"/desk/{DAY}/brief.html",
        "/sources",
        "/trends",
        "/archive",
        f"/archive/{DAY}/brief.html",
        "/search?q=数据",
        "/archived?ref=run-00001.warc.gz%23x",
    ]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login"), path
        assert "content-disposition" not in response.headers, path


def test_unauthenticated_post_is_refused(client: TestClient) -> None:
    response = client.post(f"/desk/{DAY}/approve", headers={"X-CSRF-Token": "x"})
    assert response.status_code in (401, 403)


TRAVERSALS = [
    "/desk/..%2F..%2Fetc%2Fpasswd/download/md",
    f"/desk/{DAY}/download/..%2F..%2F..%2Fetc%2Fpasswd",
    f"/desk/{DAY}/download/%2e%2e",
    "/archive/..%2F..%2Fetc%2Fpasswd",
    "/archive/%2e%2e%2f%2e%2e%2fzhibao.db/brief.html",
    "/archived?ref=..%2F..%2F..%2Fetc%2Fpasswd%23x",
    "/archived?ref=%2Fetc%2Fpasswd%23x",
    "/archived?ref=..%2Fzhibao.db%23x",
    "/static/..%2F..%2Fapp.py",
    "/static/%2e%2e/%2e%2e/app.py",
]


def test_path_traversal_is_refused(editor_client: TestClient) -> None:
    for path in TRAVERSALS:
        response = editor_client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert "root:" not in response.text and "SQLite format" not in response.text, path


def test_archived_copy_is_served_sandboxed(editor_client: TestClient, world) -> None:
    response = editor_client.get("/archived", params={"ref": world.archive_ref})
    assert response.status_code == 200
    assert "存档页" in response.text
    assert response.headers["content-security-policy"].startswith("sandbox")


def test_five_wrong_passwords_are_rate_limited(client: TestClient) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    for _ in range(5):
        wrong = client.post(
            "/login", data={"name": "editor", "password": "wrong-guess", "csrf_token": token}
        )
        assert wrong.status_code == 401
    limited = client.post(
        "/login", data={"name": "editor", "password": PASSWORD, "csrf_token": token}
    )
    assert limited.status_code == 429  # even the right password waits now
    assert int(limited.headers["retry-after"]) > 0
    assert "zhibao_session" not in limited.cookies


def test_session_cookie_flags(world) -> None:
    for base, secure in (("http://127.0.0.1", False), ("https://desk.example", True)):
        with TestClient(make_app(world), base_url=base) as c:
            page = c.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            response = c.post(
                "/login",
                data={"name": "editor", "password": PASSWORD, "csrf_token": token},
                follow_redirects=False,
            )
            cookie = [
                h
                for h in response.headers.get_list("set-cookie")
                if h.startswith("zhibao_session=")
            ][0]
            assert "HttpOnly" in cookie and "SameSite=lax" in cookie
            assert ("Secure" in cookie) is secure


def test_login_redirect_stays_on_site(client: TestClient) -> None:
    page = client.get("/login?next=//evil.example/x")
    assert 'value="//evil.example/x"' not in page.text


def test_public_archive_shows_only_approved_briefs(world) -> None:
    from web_world import login

    with TestClient(make_app(world, public_archive=True), base_url="http://127.0.0.1") as c:
        assert c.get(f"/archive/{DAY}").status_code == 404  # not approved yet
        assert c.get(f"/desk/{DAY}", follow_redirects=False).status_code == 303
        csrf = login(c, "chief")
        assert c.post(f"/desk/{DAY}/approve", headers={"X-CSRF-Token": csrf}).status_code == 200
        c.post("/logout", data={"csrf_token": csrf})
        c.cookies.clear()
        assert c.get(f"/archive/{DAY}").status_code == 200
        brief = c.get(f"/archive/{DAY}/brief.html")
        assert brief.status_code == 200
        _assert_escaped(brief.text, "public brief")
        assert c.get(f"/desk/{DAY}/download/pdf", follow_redirects=False).status_code == 303
