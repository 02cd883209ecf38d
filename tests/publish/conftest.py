"""Publish fixtures: a publishable brief, a real SMTP server and a webhook receiver, both on
127.0.0.1 and started by the test."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from zhibao import SAMPLE_BRIEF
from zhibao.config import DEFAULTS_DIR, load_brand
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
