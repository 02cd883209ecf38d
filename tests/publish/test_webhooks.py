from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from zhibao.publish import PublishError, notify_editors, publish
from zhibao.publish.messages import brief_blocks, split_blocks
from zhibao.publish.webhooks import LIMITS, payloads


def _content(kind: str, body: dict) -> str:
    if kind == "wecom":
        return body["markdown"]["content"]
    if kind == "dingtalk":
        return body["markdown"]["text"]
    return body["card"]["elements"][0]["content"]


def test_split_keeps_every_part_under_the_limit_and_loses_nothing(brief) -> None:
    long_section = "数据要素市场建设持续推进，各地加快公共数据开发利用。" * 200  # ~15 KB
    blocks = [*brief_blocks(brief), long_section, "x" * 5000]
    for limit in (600, 4096, 18_000):
        parts = split_blocks(blocks, limit)
        assert all(len(p.encode()) <= limit for p in parts)
        assert len(parts) > 1
        assert parts[-1].endswith(f"（{len(parts)}/{len(parts)}）")
        joined = "".join(parts)
        for sentence in ("数据要素市场建设持续推进", brief.sections[-1].heading, brief.judgment.title):
            assert sentence in joined
        # No character is lost: the text without separators and part numbers is the input's.
        flat = "".join(p.rsplit("\n\n（", 1)[0] for p in parts).replace("\n", "")
        assert flat == "".join(blocks).replace("\n", "")


def test_short_message_is_one_part_without_numbering() -> None:
    assert split_blocks(["一", "二"], 4096) == ["一\n\n二"]


@pytest.mark.parametrize("kind", ["wecom", "feishu", "dingtalk"])
def test_platform_payloads_fit_the_platform(brief, kind: str) -> None:
    blocks = brief_blocks(brief, link="https://brief.example.org/briefs/brief-2026-05-25.html")
    bodies = payloads(kind, "新质生产力每日动态", blocks * 3)
    assert all(len(_content(kind, b).encode()) <= LIMITS[kind] for b in bodies)
    if kind == "wecom":
        assert len(bodies) > 1  # the sample brief is ~9 KB, three times over WeCom's 4096 bytes
    if kind == "feishu":
        assert all(len(json.dumps(b, ensure_ascii=False).encode()) <= 20_000 for b in bodies)


def test_source_text_cannot_inject_markup(brief) -> None:
    section = brief.sections[0].model_copy(update={"heading": "[点我](https://evil.example) **粗体** <font>"})
    blocks = brief_blocks(brief.model_copy(update={"sections": [section, *brief.sections[1:]]}))
    assert "[点我](https://evil.example)" not in blocks[2 + len(brief.summary_paragraphs) - 1]
    assert "［点我］" in "".join(blocks) and "**粗体**" not in "".join(blocks)


def _hooks(receiver, **extra):
    return {name: {"kind": kind, "url": f"{receiver.url}/{name}", **extra.get(name, {})}
            for name, kind in (("wx", "wecom"), ("fs", "feishu"), ("dd", "dingtalk"), ("js", "json"))}


def test_each_bot_gets_its_format(brief, brand, settings, receiver, tmp_path) -> None:
    config = settings(webhooks=_hooks(receiver), site={"base_url": "https://brief.example.org/"})
    report = publish(brief, ["wx", "fs", "dd", "js"], config, brand=brand, topic="新质生产力")
    assert report.ok, report.lines()
    by_path: dict[str, list] = {}
    for request in receiver.requests:
        by_path.setdefault(urlsplit(request.path).path, []).append(request.json)
    assert by_path["/wx"][0]["msgtype"] == "markdown" and len(by_path["/wx"]) == 2  # over 4096 bytes
    assert by_path["/fs"][0]["msg_type"] == "interactive"
    assert by_path["/dd"][0]["markdown"]["title"].startswith("新质生产力每日动态")
    link = "https://brief.example.org/briefs/brief-2026-05-25.html"
    assert link in _content("feishu", by_path["/fs"][-1])
    [generic] = by_path["/js"]
    assert generic["event"] == "brief.published" and generic["url"] == link
    assert generic["brief"]["sections"][0]["heading"] == brief.sections[0].heading
    assert generic["topic"] == "新质生产力"


def test_signed_bots(brief, brand, settings, receiver, monkeypatch) -> None:
    monkeypatch.setenv("FS_SECRET", "fs-secret")
    monkeypatch.setenv("DD_SECRET", "dd-secret")
    monkeypatch.setenv("JS_SECRET", "js-secret")
    monkeypatch.setenv("WX_URL", f"{receiver.url}/wx-from-env?key=abc")
    hooks = _hooks(receiver, fs={"secret_env": "FS_SECRET"}, dd={"secret_env": "DD_SECRET"},
                   js={"secret_env": "JS_SECRET"})
    hooks["wx"] = {"kind": "wecom", "url_env": "WX_URL"}
    report = publish(brief, ["fs", "dd", "js", "wx"], settings(webhooks=hooks), brand=brand)
    assert report.ok, report.lines()
    requests = {urlsplit(r.path).path: r for r in receiver.requests}
    fs = requests["/fs"].json
    key = f"{fs['timestamp']}\nfs-secret".encode()
    assert fs["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    query = parse_qs(urlsplit(requests["/dd"].path).query)
    expected = hmac.new(b"dd-secret", f"{query['timestamp'][0]}\ndd-secret".encode(), hashlib.sha256)
    assert unquote(query["sign"][0]) == base64.b64encode(expected.digest()).decode()
    js = requests["/js"]
    assert js.headers["X-Zhibao-Signature"] == "sha256=" + hmac.new(b"js-secret", js.body, hashlib.sha256).hexdigest()
    assert parse_qs(urlsplit(requests["/wx-from-env"].path).query) == {"key": ["abc"]}


def test_platform_error_code_fails_the_channel(brief, brand, settings, receiver) -> None:
    receiver.reply = {"errcode": 93000, "errmsg": "invalid webhook url"}
    report = publish(brief, ["wx"], settings(webhooks=_hooks(receiver)), brand=brand)
    assert not report.ok
    assert "93000" in report.outcomes[0].detail and "invalid webhook url" in report.outcomes[0].detail
    assert len(receiver.requests) == 1  # stops at the first refused part


def test_http_error_and_unreachable_bot(brief, brand, settings, receiver, unused_port) -> None:
    receiver.status = 500
    hooks = _hooks(receiver)
    hooks["gone"] = {"kind": "wecom", "url": f"http://127.0.0.1:{unused_port}/x"}
    report = publish(brief, ["fs", "gone"], settings(webhooks=hooks), brand=brand)
    assert [o.ok for o in report.outcomes] == [False, False]
    assert "HTTP 500" in report.outcomes[0].detail
    assert "无法连接 127.0.0.1" in report.outcomes[1].detail


def test_missing_secret_variable_is_named(brief, brand, settings, receiver, monkeypatch) -> None:
    monkeypatch.delenv("NOPE_SECRET", raising=False)
    hooks = _hooks(receiver, dd={"secret_env": "NOPE_SECRET"})
    with pytest.raises(PublishError, match="NOPE_SECRET"):
        publish(brief, ["wx", "dd"], settings(webhooks=hooks), brand=brand)
    assert receiver.requests == []  # not even the bot whose settings are fine


def test_notice_to_editors(brief, settings, receiver) -> None:
    draft = brief.model_copy(update={"check_failures": ["数字 42% 无出处"]})
    config = settings(webhooks=_hooks(receiver), schedule={"notify": ["wx", "js"], "desk_url": "http://127.0.0.1:8000/"})
    report = notify_editors(draft, config)
    assert report.ok, report.lines()
    wx, js = (r.json for r in receiver.requests)
    assert "【待审核】" in wx["markdown"]["content"] and "42%" in wx["markdown"]["content"]
    assert "[到编辑台审核](http://127.0.0.1:8000/)" in wx["markdown"]["content"]
    assert js["event"] == "brief.draft_ready" and js["problems"]
