"""Publish fixtures: a publishable brief, a real SMTP server and a webhook receiver, both on
127.0.0.1 and started by the test."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from zhibao import SAMPLE_BRIEF
from zhibao.config import DEFAULTS_DIR, load_brand
from zhibao.config.publish import PublishConfig
from zhibao.core.model import Brief, load_brief


@pytest.fixture
def brief() -> Brief:
    """The bundled sample brief: final, every section cited."""
    loaded = load_brief(SAMPLE_BRIEF)
    assert loaded.publish_problems() == []
    return loaded


@pytest.fixture
def brand():
    return load_brand(DEFAULTS_DIR)


@pytest.fixture
def settings() -> Callable[..., PublishConfig]:
    def build(**data: Any) -> PublishConfig:
        return PublishConfig.model_validate(data)

    return build


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unused_port() -> int:
    """A 127.0.0.1 port nothing listens on (connections to it are refused)."""
    return free_port()


# --------------------------------------------------------------------------- SMTP


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[Any] = field(default_factory=list)  # (envelope, email.message.Message)


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    box = Mailbox("127.0.0.1", free_port())

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001, ANN201
            box.messages.append((envelope, message_from_bytes(envelope.content, policy=policy.default)))
            return "250 OK"

    controller = Controller(Handler(), hostname=box.host, port=box.port, data_size_limit=20_000_000)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


# --------------------------------------------------------------------------- webhooks


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    reply: dict[str, Any] = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    status: int = 200


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """An HTTP server on 127.0.0.1 that records every POST and answers ``receiver.reply``."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append(Received(self.path, dict(self.headers), body))
            data = json.dumps(state.reply).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
