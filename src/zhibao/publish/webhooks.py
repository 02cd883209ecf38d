"""Webhook bots: 企业微信 (WeCom), 飞书 (Feishu/Lark), 钉钉 (DingTalk) and a generic JSON hook.

Each platform gets its own message format (WeCom and DingTalk markdown, a Feishu interactive
card), split to the platform's size limit, signed when a secret is configured, and checked
against the platform's reply (they answer HTTP 200 with an error code in the body).

    >>> send_brief(brief, "editors", load_publish().webhooks["editors"], link=page_url)
    WebhookResult(name='editors', kind='wecom', messages=2)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from zhibao.config.publish import WebhookConfig
from zhibao.core.model import Brief
from zhibao.publish.messages import brief_blocks, notice_blocks, plain, split_blocks
from zhibao.render.common import date_zh

__all__ = ["LIMITS", "WebhookResult", "payloads", "send_brief", "send_notice", "webhook_problems"]

# Bytes of markdown per message. WeCom documents 4096 bytes of content; Feishu a 20 KB request
# body and DingTalk about 20 000 bytes: the envelope and signature need the rest.
LIMITS = {"wecom": 4096, "feishu": 18_000, "dingtalk": 18_000}


@dataclass
class WebhookResult:
    name: str
    kind: str
    messages: int


def _title(brief: Brief) -> str:
    return f"{plain(brief.masthead.title)}（{date_zh(brief.date)}）"


def _feishu_sign(secret: str, timestamp: int) -> str:
    # Feishu: HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message, base64.
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def _dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    # DingTalk: HMAC-SHA256 keyed with the secret over "timestamp\nsecret", base64, URL-quoted.
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return quote(base64.b64encode(digest.digest()).decode(), safe="")


def payloads(kind: str, title: str, blocks: list[str], max_bytes: int | None = None) -> list[dict[str, Any]]:
    """The JSON bodies to post for one message of ``blocks`` (several when it is too long)."""
    parts = split_blocks(blocks, max_bytes or LIMITS[kind])
    if kind == "wecom":
        return [{"msgtype": "markdown", "markdown": {"content": p}} for p in parts]
    if kind == "dingtalk":
        return [{"msgtype": "markdown", "markdown": {"title": title, "text": p}} for p in parts]
    if kind == "feishu":
        return [
            {
                "msg_type": "interactive",
                "card": {
                    "config": {"wide_screen_mode": True},
                    "header": {"title": {"tag": "plain_text", "content": title}, "template": "blue"},
                    "elements": [{"tag": "markdown", "content": p}],
                },
            }
            for p in parts
        ]
    raise ValueError(f"未知的机器人类型 {kind!r}")


def webhook_problems(name: str, config: WebhookConfig) -> list[str]:
    """What keeps bot ``name`` from being posted to (its URL or signing secret variable
    unset, a URL that is not http(s)), found before anything is sent."""
    from zhibao.core.errors import ConfigError

    problems = []
    try:
        url = config.target()
    except ConfigError as exc:
        problems.append(f"webhook {name}：{exc}")
    else:
        if not url or not url.startswith(("https://", "http://")):
            problems.append(f"webhook {name}：地址应以 https:// 开头（收到 {url!r}）")
    try:
        config.secret()
    except ConfigError as exc:
        problems.append(f"webhook {name}：{exc}")
    return problems


def _check_reply(name: str, response: httpx.Response) -> None:
    from zhibao.publish.errors import PublishError

    if response.status_code >= 400:
        raise PublishError(f"webhook {name}：HTTP {response.status_code}（{response.text[:200]}）")
    try:
        reply = response.json()
    except ValueError:
        return  # a generic receiver may answer with plain text
    if not isinstance(reply, dict):
        return
    # WeCom/DingTalk: errcode; Feishu: code (older bots: StatusCode).
    code = reply.get("errcode", reply.get("code", reply.get("StatusCode", 0)))
    if code not in (0, "0", None):
        message = reply.get("errmsg") or reply.get("msg") or reply.get("StatusMessage") or ""
        raise PublishError(f"webhook {name}：平台拒绝了消息（错误码 {code}：{message}）")


def _post(name: str, config: WebhookConfig, body: dict[str, Any], client: httpx.Client) -> None:
    url, secret = config.target(), config.secret()
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if secret and config.kind == "feishu":
        timestamp = int(time.time())
        body = {"timestamp": str(timestamp), "sign": _feishu_sign(secret, timestamp), **body}
    elif secret and config.kind == "dingtalk":
        timestamp_ms = int(time.time() * 1000)
        joiner = "&" if "?" in url else "?"
        url = f"{url}{joiner}timestamp={timestamp_ms}&sign={_dingtalk_sign(secret, timestamp_ms)}"
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    if secret and config.kind == "json":
        headers["X-Zhibao-Signature"] = "sha256=" + hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()
    from zhibao.publish.errors import PublishError

    try:
        response = client.post(url, content=data, headers=headers, timeout=config.timeout_s)
    except httpx.HTTPError as exc:
        raise PublishError(f"webhook {name}：无法连接 {httpx.URL(url).host}（{exc}）") from None
    _check_reply(name, response)


def _send(name: str, config: WebhookConfig, bodies: list[dict[str, Any]]) -> WebhookResult:
    with httpx.Client(trust_env=False) as client:
        for body in bodies:
            _post(name, config, body, client)
    return WebhookResult(name=name, kind=config.kind, messages=len(bodies))


def json_body(brief: Brief, *, event: str, link: str | None, topic: str) -> dict[str, Any]:
    """The generic webhook's body: what happened, where to read it, and the whole brief."""
    return {
        "event": event,
        "topic": topic,
        "date": brief.date.isoformat(),
        "title": f"{brief.masthead.title}（{date_zh(brief.date)}）",
        "status": brief.status,
        "url": link,
        "summary": brief.summary,
        "headings": [s.heading for s in brief.sections],
        "problems": brief.publish_problems(),
        "brief": brief.model_dump(mode="json", exclude_none=True),
    }


def send_brief(
    brief: Brief, name: str, config: WebhookConfig, *, link: str | None = None, topic: str = ""
) -> WebhookResult:
    """Post the published ``brief`` to the bot ``name``; ``link`` points at its page."""
    if config.kind == "json":
        return _send(name, config, [json_body(brief, event="brief.published", link=link, topic=topic)])
    blocks = brief_blocks(brief, link=link)
    return _send(name, config, payloads(config.kind, _title(brief), blocks, config.max_bytes))


def send_notice(
    brief: Brief, name: str, config: WebhookConfig, *, desk_url: str = "", topic: str = ""
) -> WebhookResult:
    """Tell the editors on ``name`` that the draft of ``brief`` waits for review."""
    if config.kind == "json":
        body = json_body(brief, event="brief.draft_ready", link=desk_url or None, topic=topic)
        return _send(name, config, [body])
    blocks = notice_blocks(brief, desk_url=desk_url)
    return _send(name, config, payloads(config.kind, "待审核：" + _title(brief), blocks, config.max_bytes))
