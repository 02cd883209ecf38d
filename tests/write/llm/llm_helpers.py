"""A scripted OpenAI-compatible server for the LLM writer's tests (helpers; fixtures in conftest).

``ScriptedLLM`` answers ``POST /v1/chat/completions`` by calling ``script(body)`` (a test sets
it) and ``GET /v1/models`` with its model list. ``good_section`` / ``good_synthesis`` build the
answers a well-behaved model would give, from the snippets and sections in the prompt itself.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from zhibao.write.llm.client import estimate_tokens

SNIPPET = re.compile(
    r"<<<片段 (S\d+)｜([^｜]*)｜([^｜]*)｜([^｜]*)｜(.*?)>>>\n(.*?)\n<<<片段 \1 结束>>>", re.S
)
SECTION = re.compile(r"<<<第 (\d+) 节>>>\n标题：(.*?)\n(.*?)<<<第 \1 节 结束>>>", re.S)


@dataclass
class Reply:
    content: str | None = None  # the assistant message (None: an error status without body)
    status: int = 200
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


def user_prompt(body: dict) -> str:
    return next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")


def first_prompt(body: dict) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


def snippets(body: dict) -> list[dict[str, str]]:
    return [
        {"id": m[1], "role": m[2], "org": m[3], "day": m[4], "title": m[5], "text": m[6]}
        for m in SNIPPET.finditer(first_prompt(body))
    ]


def is_synthesis(body: dict) -> bool:
    return "<<<第 1 节>>>" in first_prompt(body)


def lead_title(body: dict) -> str:
    found = snippets(body)
    return found[0]["title"] if found else ""


def _sentences(text: str) -> list[str]:
    return [s for s in re.findall(r"[^。！？\n]+[。！？]", text) if len(s) >= 12]


def _fit(sentences: list[str], limit: int) -> str:
    text = ""
    for sentence in sentences:
        if len(text) + len(sentence) > limit:
            break
        text += sentence
    return text or sentences[0][:limit]


def good_section(body: dict) -> dict:
    """A well-behaved answer built from the prompt's own snippets (fits the default budget)."""
    parts = snippets(body)
    lead = parts[0]
    pieces = [p for p in re.split(r"[\s：:，]", lead["title"].strip()) if p]
    clause = max(pieces, key=len) if pieces else lead["title"]
    sentences = _sentences(lead["text"])
    analysis_ids = ["S1"] + [p["id"] for p in parts[1:2]]
    fact = _fit(sentences[:2], 240)
    rest = [s for s in sentences[2:] if s not in fact]
    return {
        "heading": clause[:36],
        "fact": {"text": fact, "snippets": ["S1"]},
        "analysis": [
            {
                "text": (_fit(rest, 240) if rest else "")
                or f"这一动态出自{lead['org']}，相关工作的后续安排有待进一步披露。",
                "snippets": analysis_ids,
            }
        ],
        "sources": [
            {
                "snippet": sid,
                "purpose": "事件的时间、主体与内容" if sid == "S1" else "其他媒体的报道",
            }
            for sid in analysis_ids
        ],
    }


def good_synthesis(body: dict) -> dict:
    sections = SECTION.findall(first_prompt(body))
    lines = [
        {"section": int(number), "text": re.split(r"[，]", heading)[0]}
        for number, heading, _ in sections
    ]
    return {
        "main_line": "本期的主线是规则、数据和场景一并向前推进，各方向的政策抓手更加具体",
        "lines": lines,
        "judgment_title": "要素组织能力成为比拼重点",
        "judgment": [
            "几条线索指向同一个方向：规则、数据和场景正被一并组织起来，谁能把它们连成闭环，谁就能在下一阶段占得先机。"
        ],
    }


def good(body: dict) -> Reply:
    answer = good_synthesis(body) if is_synthesis(body) else good_section(body)
    return Reply(json.dumps(answer, ensure_ascii=False))


class ScriptedLLM:
    """The server's state: the script, the requests it got, the models it lists."""

    def __init__(self) -> None:
        self.script: Callable[[dict], Reply] = good
        self.requests: list[dict] = []
        self.models = ["scripted-model", "other-model"]
        self.lock = threading.Lock()
        self.url = ""

    def reset(self) -> None:
        self.script = good
        self.requests = []

    def count(self, predicate: Callable[[dict], bool]) -> int:
        return sum(1 for r in self.requests if predicate(r))


def handler(llm: ScriptedLLM):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                data = [{"id": m, "object": "model", "owned_by": "test"} for m in llm.models]
                self._send(200, {"object": "list", "data": data})
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with llm.lock:
                llm.requests.append(body)
            reply = llm.script(body)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.status != 200:
                self._send(reply.status, {"error": {"message": "scripted error"}}, reply.headers)
                return
            prompt = "".join(m["content"] for m in body["messages"])
            self._send(
                200,
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": reply.content},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {
                        "prompt_tokens": estimate_tokens(prompt),
                        "completion_tokens": estimate_tokens(reply.content or ""),
                        "total_tokens": estimate_tokens(prompt + (reply.content or "")),
                    },
                },
            )

    return Handler
