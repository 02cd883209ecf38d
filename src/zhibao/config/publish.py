"""The ``publish.yaml`` schema: where an approved brief goes and when the daily run starts.

Loaded like the other config files (built-in defaults, overridden key by key by the user's
file)::

    >>> from zhibao.config import load_publish
    >>> load_publish().schedule.cron
    '30 7 * * *'

Secrets (SMTP password, webhook keys and signing secrets) are never written in the YAML: each
names the environment variable that holds it (``password_env``, ``url_env``, ``secret_env``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from zhibao.core.errors import ConfigError

__all__ = ["ApprovalConfig", "EmailConfig", "PublishConfig", "ScheduleConfig", "SiteConfig", "WebhookConfig"]

WebhookKind = Literal["wecom", "feishu", "dingtalk", "json"]


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _secret(env: str | None, what: str) -> str | None:
    if not env:
        return None
    value = os.environ.get(env)
    if not value:
        raise ConfigError(f"publish.yaml: {what} 引用的环境变量 {env} 未设置 (environment variable is empty)")
    return value


class SiteConfig(_Config):
    dir: Path | None = None  # default: <data_dir>/site
    base_url: str = ""  # https://brief.example.org/ — makes feed and page links absolute
    title: str | None = None  # default: brand.yaml report_title
    description: str = ""
    downloads: list[Literal["pdf", "docx", "md", "wechat"]] = Field(
        default_factory=lambda: ["pdf", "docx", "md"]
    )
    feed_items: Annotated[int, Field(ge=1, le=500)] = 30

    @property
    def base(self) -> str:
        return self.base_url.rstrip("/") + "/" if self.base_url else ""


class EmailConfig(_Config):
    smtp_host: str = "localhost"
    smtp_port: Annotated[int, Field(ge=1, le=65535)] = 25
    security: Literal["none", "starttls", "ssl"] = "none"
    username: str = ""
    password_env: str | None = None  # name of the variable holding the SMTP password
    sender: str = ""
    recipients: list[str] = Field(default_factory=list)
    subject: str = "{title}（{date}）"
    attach_pdf: bool = True
    timeout_s: Annotated[float, Field(gt=0)] = 30.0
    # List-Unsubscribe targets: "mailto:unsubscribe@example.org" and/or an https:// page.
    unsubscribe: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unsubscribe_targets(self) -> EmailConfig:
        for target in self.unsubscribe:
            if not target.startswith(("mailto:", "https://", "http://")) or any(
                c in target for c in "<>, \r\n"
            ):
                raise ValueError(
                    f"email.unsubscribe 的 {target!r} 应为 mailto: 地址或 http(s):// 网址"
                )
        return self

    def password(self) -> str | None:
        return _secret(self.password_env, "email.password_env")


class WebhookConfig(_Config):
    kind: WebhookKind
    url: str = ""
    url_env: str | None = None  # the bot URL carries its key: keep it in the environment
    secret_env: str | None = None  # 飞书/钉钉 signing secret, or the JSON webhook's HMAC key
    max_bytes: Annotated[int, Field(ge=512)] | None = None  # override the platform's limit
    timeout_s: Annotated[float, Field(gt=0)] = 15.0

    @model_validator(mode="after")
    def _has_target(self) -> WebhookConfig:
        if not self.url and not self.url_env:
            raise ValueError("webhook 需要 url 或 url_env（存放机器人地址的环境变量名）")
        return self

    def target(self) -> str:
        return _secret(self.url_env, "webhooks.url_env") if self.url_env else self.url  # type: ignore[return-value]

    def secret(self) -> str | None:
        return _secret(self.secret_env, "webhooks.secret_env")


class ScheduleConfig(_Config):
    cron: str = "30 7 * * *"  # minute hour day month weekday
    timezone: str = "Asia/Shanghai"
    collect_days: Annotated[int, Field(ge=1, le=60)] = 1
    auto_publish: bool = False  # False: notify the editors; True: publish a brief that passes
    notify: list[str] = Field(default_factory=list)  # webhook names told a draft is waiting
    desk_url: str = ""  # link in the notification, e.g. https://desk.example.org/


class ApprovalConfig(_Config):
    # Four eyes: whoever made the newest version may not approve it; another chief must.
    # Lives in publish.yaml because it is the home's release policy, read at every approval.
    four_eyes: bool = True


class PublishConfig(_Config):
    channels: list[str] = Field(default_factory=lambda: ["site"])  # site, email, webhook names
    site: SiteConfig = Field(default_factory=SiteConfig)
    email: EmailConfig = Field(default_factory=EmailConfig)
    webhooks: dict[str, WebhookConfig] = Field(default_factory=dict)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    approval: ApprovalConfig = Field(default_factory=ApprovalConfig)

    @model_validator(mode="after")
    def _known_channels(self) -> PublishConfig:
        known = {"site", "email", *self.webhooks}
        unknown = [c for c in self.channels if c not in known]
        if unknown:
            raise ValueError(
                f"未知的发布渠道 {unknown}；可选 site、email 或 webhooks 下的名字 {sorted(self.webhooks)}"
            )
        unknown = [c for c in self.schedule.notify if c not in self.webhooks]
        if unknown:
            raise ValueError(f"schedule.notify 中的 {unknown} 不是 webhooks 下的名字 {sorted(self.webhooks)}")
        return self
