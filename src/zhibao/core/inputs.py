"""Reading a user's file and its JSON without letting a bad one crash or exhaust the process.

    >>> parse_json_text('{"a": [1, 2]}', origin="x.json")
    {'a': [1, 2]}

A path that is a directory, unreadable, too big or not UTF-8, and JSON nested deeper than any
real input (Python's parser would raise ``RecursionError``), become an ``InputError`` that
names the file and says what is expected.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from zhibao.core.errors import InputError

__all__ = ["MAX_JSON_DEPTH", "json_depth", "parse_json_text", "read_text_file"]

# A brief nests six levels, a document three; anything near Python's recursion limit is an attack
# or a broken generator, and is refused before the parser recurses.
MAX_JSON_DEPTH = 64

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{count / 1000:.0f} KB"


def read_text_file(path: str | Path, *, what: str, max_bytes: int, example: str = "") -> str:
    """The UTF-8 text of ``path``; ``what`` (简报 JSON 文件…) names it in errors."""
    path = Path(path)
    hint = f"（{example}）" if example else ""
    try:
        if path.is_dir():
            raise InputError(
                f"{path}: 是一个目录，不是{what}；请给出文件路径{hint} (is a directory)"
            )
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: {what}过大（{_size(size)}，上限 {_size(max_bytes)}）；"
                f"请检查是否选错了文件 (file too large)"
            )
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: 文件不存在{hint} (file not found)") from None
    except PermissionError:
        raise InputError(f"{path}: 没有读取权限；请检查文件权限 (permission denied)") from None
    except OSError as exc:
        raise InputError(
            f"{path}: 无法读取{what}（{exc.strerror or exc}）(unreadable file)"
        ) from None
    if len(raw) > max_bytes:  # grew while we read it (a pipe, a device)
        raise InputError(f"{path}: {what}超过上限 {_size(max_bytes)} (file too large)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: 不是 UTF-8 编码的{what}（第 {exc.start} 字节无法解码）；"
            f"请另存为 UTF-8 (not UTF-8 text)"
        ) from None


def json_depth(text: str) -> int:
    """How deeply ``text``'s arrays and objects nest, counted without recursion."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def parse_json_text(
    text: str | bytes, *, origin: str, max_chars: int | None = None, max_depth: int = MAX_JSON_DEPTH
) -> Any:
    """``json.loads`` that refuses oversized or over-deep input with an error naming ``origin``."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{origin}: 不是 UTF-8 编码的 JSON (not UTF-8)") from None
    if max_chars is not None and len(text) > max_chars:
        raise InputError(
            f"{origin}: JSON 过长（{len(text):,} 字符，上限 {max_chars:,}）；请检查是否选错了文件 "
            "(JSON too large)"
        )
    depth = json_depth(text)
    if depth > max_depth:
        raise InputError(
            f"{origin}: JSON 嵌套过深（{depth} 层，上限 {max_depth} 层）；"
            f"简报与文档的 JSON 不超过十层，请检查生成它的程序 (JSON nested too deeply)"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if "\n" in text.strip():  # a file: editors jump to path:line:column
            raise InputError(
                f"{origin}:{exc.lineno}:{exc.colno}: JSON 语法错误：{exc.msg}"
            ) from None
        raise InputError(f"{origin}: JSON 语法错误：{exc.msg}（第 {exc.colno} 列）") from None
