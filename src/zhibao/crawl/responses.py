"""What a response says about itself: how long to wait (``Retry-After``) and whether it is a
web page at all (PDFs and images are often served as ``text/html``)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["human_size", "not_html_reason", "retry_after_seconds"]

_MAGIC = (
    (b"%PDF", "PDF 文档"),
    (b"PK\x03\x04", "ZIP/Office 文档"),
    (b"\xd0\xcf\x11\xe0", "Office 97 文档"),
    (b"\x89PNG", "PNG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"Rar!", "RAR 压缩包"),
)
# application/octet-stream is left to the bytes: servers label RSS and HTML that way too.
_BINARY_TYPES = (
    "application/pdf",
    "application/msword",
    "application/vnd.ms-",
    "application/vnd.openxmlformats",
    "application/zip",
    "image/",
    "audio/",
    "video/",
)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def not_html_reason(content: bytes, content_type: str = "") -> str | None:
    """Why a body is not a web page (PDF, image, binary…), or None when it is text."""
    head = content[:8]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    media = content_type.split(";", 1)[0].strip().lower()
    if media.startswith(_BINARY_TYPES):
        return f"Content-Type: {media}"
    sample = content[:4096]
    if sample and sample.count(0) / len(sample) > 0.01:
        return "二进制数据"
    return None


def human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} 字节"
