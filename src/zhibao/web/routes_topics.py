"""The topic switcher: an editor of several topics moves the desk to another one."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from zhibao.web.security import Editor, set_cookie
from zhibao.web.state import TOPIC_COOKIE, desk_app

router = APIRouter()


@router.get("/topic/{name}")
def switch_topic(request: Request, user: Editor, name: str, next: str = "/desk") -> Response:
    """Remember ``name`` as the editor's topic (a cookie) and go on to ``next`` (a path here)."""
    app = desk_app(request)
    if name not in app.desks:
        raise HTTPException(404, f"没有主题「{name}」；本编辑台的主题：{'、'.join(app.desks)}")
    if name not in app.user_topics(user):
        raise HTTPException(403, f"权限不足：你不负责主题「{name}」 (forbidden topic)")
    # Only a path of this site: an open redirect would lend the desk's name to any address.
    local = next.startswith("/") and not next.startswith(("//", "/\\"))
    target = next if local else "/desk"
    response = RedirectResponse(target, status_code=303)
    set_cookie(request, response, TOPIC_COOKIE, quote(name, safe=""))
    return response
