"""What every route of the web desk shares: the ``DeskApp`` on ``app.state.desk``, its
templates, the request's login session and dates in URLs.

The routes, ``security`` and ``app`` import this module; it imports none of them, so the web
package has no import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from zhibao.config import archive_dir
from zhibao.core.time import SHANGHAI
from zhibao.render.common import section_label
from zhibao.render.html import safe_href
from zhibao.runs.desk import Desk
from zhibao.store import Accounts, User, WebSession
from zhibao.web.settings import WebSettings
from zhibao.web.view import unit_text

__all__ = [
    "SESSION_COOKIE",
    "TOPIC_COOKIE",
    "TOPIC_HEADER",
    "DeskApp",
    "current_session",
    "desk_app",
    "make_templates",
    "parse_day",
]

HERE = Path(__file__).parent
SESSION_COOKIE = "zhibao_session"
TOPIC_COOKIE = "zhibao_topic"  # the topic an editor last switched to
# Every htmx request names the topic of the page it came from (percent-encoded: a header
# value must be ASCII), so that a switch in another tab never redirects an edit.
TOPIC_HEADER = "x-zhibao-topic"


@dataclass
class DeskApp:
    """Everything the routes share, kept on ``app.state.desk``: the settings, one ``Desk``
    per topic (store, profile, brand, sources, accounts; the store is shared) and the
    templates. ``desk_app(request)`` hands a route the view of the request's topic."""

    settings: WebSettings
    desks: dict[str, Desk]  # by topic name (the profile's), the home's own first
    data_dir: Path
    templates: Jinja2Templates
    # Topic name → its directory under <home>/topics (None: the home's own profile.yaml).
    config_topics: dict[str, str | None] = field(default_factory=dict)
    topic: str = ""  # the topic of this view; "" is the first

    @property
    def desk(self) -> Desk:
        return self.desks[self.topic] if self.topic else next(iter(self.desks.values()))

    @property
    def topic_name(self) -> str:
        return self.topic or next(iter(self.desks))

    @property
    def config_topic(self) -> str | None:
        """What the config loaders take as ``topic=`` for this view's topic."""
        return self.config_topics.get(self.topic_name)

    def for_topic(self, topic: str) -> DeskApp:
        return replace(self, topic=topic) if topic != self.topic else self

    @property
    def accounts(self) -> Accounts:
        return self.desk.accounts

    def user_topics(self, user: User | None) -> list[str]:
        """The topics ``user`` may open here (a public reader: all), in the desk's order."""
        if user is None:
            return list(self.desks)
        mine = self.accounts.topics(user.name)
        return [t for t in self.desks if not mine or t in mine]

    @property
    def archive_dir(self) -> Path:
        return archive_dir(self.data_dir)

    def latest_date(self) -> str | None:
        """The newest date with a stored brief (where ``/`` sends an editor)."""
        latest = self.desk.latest_day()
        return latest.isoformat() if latest else None

    def page(
        self,
        request: Request,
        name: str,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        session = current_session(request)
        context.update(
            request=request,
            user=session.user if session else None,
            csrf_token=session.csrf_token if session else "",
            brand=self.desk.brand,
            profile=self.desk.profile,
            public_archive=self.settings.public_archive,
            topic=self.topic_name,
            topics=self.user_topics(session.user if session else None),
        )
        return self.templates.TemplateResponse(
            request, name, context, status_code=status_code, headers=headers
        )


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.trim_blocks = env.lstrip_blocks = True
    env.filters["zh_date"] = lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日"
    # Shown in Beijing time whatever the database handed back (SQLite: UTC until reloaded).
    env.filters["local_time"] = lambda t: (
        t.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if t else "—"
    )
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
    env.filters["section_label"] = section_label
    env.filters["safe_href"] = safe_href
    env.filters["unit_text"] = unit_text
    return templates


def desk_app(request: Request) -> DeskApp:
    """The app as the request's topic sees it (``security.topic_guard`` chose the topic)."""
    return request.app.state.desk.for_topic(request.scope.get("zhibao_topic", ""))


def current_session(request: Request) -> WebSession | None:
    """The login session of the request's cookie (looked up once per request), or None."""
    if "zhibao_web_session" not in request.scope:
        token = request.cookies.get(SESSION_COOKIE)
        request.scope["zhibao_web_session"] = desk_app(request).accounts.session_user(token)
    return request.scope["zhibao_web_session"]


def parse_day(value: str) -> date:
    """A date from a URL path segment; anything else (``..``, ``%2e``) is a 404."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(404, f"不是有效日期：{value}（应为 YYYY-MM-DD）") from None
