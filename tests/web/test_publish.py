"""The desk's 发布 button: the approved brief goes out through ``zhibao.publish.publish`` to
publish.yaml's channels, each channel's result is shown, and the attempt is logged."""

from __future__ import annotations

import socket
from pathlib import Path

import feedparser
from fastapi.testclient import TestClient
from web_world import DAY

from zhibao.store import Publications, Store


def _post(c: TestClient, path: str, **data):
    return c.post(path, data=data, headers={"X-CSRF-Token": c.csrf})


def _publish_yaml(
    home: Path,
    site: Path,
    extra: str = "",
    channels: str = "[site]",
    base_url: str = "https://brief.example.org/",
) -> None:
    # Markdown downloads only: the PDF is the render tests' business and costs seconds here.
    (home / "publish.yaml").write_text(
        f"channels: {channels}\n"
        "site:\n"
        f"  dir: {site}\n"
        f"  base_url: '{base_url}'\n"
        "  downloads: [md]\n" + extra,
        encoding="utf-8",
    )


def _log(world) -> list:
    with Store.open(world.database_url) as store:
        return Publications(store, topic="新质生产力").history(DAY)


def test_publish_button_sends_the_approved_brief_to_the_site(
    chief_client: TestClient, world, tmp_path: Path
) -> None:
    c = chief_client
    site = tmp_path / "site"
    _publish_yaml(world.home, site)
    assert "/publish" not in c.get(f"/desk/{DAY}").text  # no button before approval
    refused = _post(c, f"/desk/{DAY}/publish")
    assert refused.status_code == 409 and "尚未批准" in refused.text
    assert not site.exists() and _log(world) == []

    assert _post(c, f"/desk/{DAY}/approve").status_code == 200
    assert f'hx-post="/desk/{DAY}/publish"' in c.get(f"/desk/{DAY}").text
    response = _post(c, f"/desk/{DAY}/publish")
    assert response.status_code == 200, response.text
    assert "发布完成" in response.text and "✓ site：" in response.text
    assert "https://brief.example.org/briefs/brief-2026-05-25.html" in response.text

    page = site / "briefs" / "brief-2026-05-25.html"
    assert page.is_file() and (site / "index.html").is_file()
    assert (site / "files" / "brief-2026-05-25.md").stat().st_size > 0
    for feed in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((site / feed).read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        assert [e.link for e in parsed.entries] == [
            "https://brief.example.org/briefs/brief-2026-05-25.html"
        ]

    [entry] = _log(world)
    assert (entry.published_by, entry.version, entry.ok, entry.channels) == (
        "chief",
        1,
        True,
        ["site"],
    )
    assert entry.outcomes[0]["detail"] == str(page)
    desk = c.get(f"/desk/{DAY}").text
    assert "第 1 版已发布 · chief" in desk
    history = c.get(f"/desk/{DAY}/history").text
    assert "发布记录" in history and "✓ site" in history and "尚未发布" not in history


def test_a_failing_channel_is_reported_and_logged(
    chief_client: TestClient, world, tmp_path: Path
) -> None:
    with socket.socket() as s:  # a port nobody listens on: the bot refuses the connection
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    _publish_yaml(
        world.home,
        tmp_path / "site",
        f"webhooks:\n  team:\n    kind: json\n    url: http://127.0.0.1:{dead}/hook\n    timeout_s: 2\n",
        channels="[site, team]",
        base_url="",  # no public address: the result has no link
    )
    assert _post(chief_client, f"/desk/{DAY}/approve").status_code == 200
    response = _post(chief_client, f"/desk/{DAY}/publish")
    assert response.status_code == 200
    assert "部分渠道发布失败" in response.text
    assert "✓ site：" in response.text and "✗ team：" in response.text
    assert "在线地址" not in response.text
    [entry] = _log(world)
    assert not entry.ok and [o["ok"] for o in entry.outcomes] == [True, False]
    assert "发布未全部成功" in chief_client.get(f"/desk/{DAY}").text


def test_drafts_and_unapproved_edits_are_not_published(
    chief_client: TestClient, world, tmp_path: Path
) -> None:
    c = chief_client
    site = tmp_path / "site"
    _publish_yaml(world.home, site)
    assert _post(c, f"/desk/{DAY}/approve").status_code == 200
    # An edit after approval makes a new, unapproved version: it needs its own approval. (The
    # event clause stays: a heading that no longer tells its section's event fails the check.)
    with Store.open(world.database_url) as store:
        heading = store.brief(DAY, topic="新质生产力").sections[0].heading
    edited = heading.split("，")[0] + "，编辑改写了含义"
    assert _post(c, f"/desk/{DAY}/sections/1/heading", heading=edited).status_code == 200
    refused = _post(c, f"/desk/{DAY}/publish")
    assert refused.status_code == 409 and "第 2 版尚未批准" in refused.text
    # A claim the checker rejects makes the brief a draft.
    _post(c, f"/desk/{DAY}/sections/1/paragraphs/1", text="5月24日，某机构宣布投资9999亿元。")
    refused = _post(c, f"/desk/{DAY}/publish")
    assert (
        refused.status_code == 409 and "草稿不能发布" in refused.text and "9999亿" in refused.text
    )
    assert not site.exists() and _log(world) == []


def test_publish_without_csrf_token_is_refused(
    chief_client: TestClient, world, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    _publish_yaml(world.home, site)
    assert _post(chief_client, f"/desk/{DAY}/approve").status_code == 200
    url = f"/desk/{DAY}/publish"
    assert chief_client.post(url).status_code == 403
    assert chief_client.post(url, data={"csrf_token": "forged"}).status_code == 403
    assert chief_client.post(url, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert not site.exists() and _log(world) == []


def test_publish_requires_a_login(client: TestClient, world) -> None:
    assert client.post(f"/desk/{DAY}/publish").status_code in (401, 403)
    assert _log(world) == []
