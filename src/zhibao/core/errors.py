"""Errors a user can act on: each names the file or URL, the field, and what is expected."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError

__all__ = ["ConfigError", "InputError", "RenderError", "ZhibaoError", "format_validation_error"]


class ZhibaoError(Exception):
    """Base of every error zhibao reports to a user (the CLI prints it without a traceback)."""


class InputError(ZhibaoError):
    """A brief, document or other input file is malformed."""


class ConfigError(ZhibaoError):
    """A configuration file (brand.yaml, profile.yaml, sources.yaml) is invalid."""


class RenderError(ZhibaoError):
    """A renderer could not produce its output (missing font, publishing a draft, …)."""


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('sections', 1, 'heading')`` → ``sections[1].heading``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(顶层)"


_MESSAGES = {
    "missing": "缺少必填字段 (missing)",
    "extra_forbidden": "未知字段，请检查拼写 (unknown field)",
    "string_too_short": "不能为空 (must not be empty)",
    "string_too_long": "过长：最多 {max_length} 个字符，请删减 (too long)",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项，请删减 (too many items)",
    "date_from_datetime_parsing": "应为 ISO 日期 YYYY-MM-DD",
    "date_parsing": "应为 ISO 日期 YYYY-MM-DD",
    "date_type": "应为 ISO 日期 YYYY-MM-DD",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
    "int_parsing": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为字符串",
    "list_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为对象（键值映射）",
    "string_pattern_mismatch": "格式不符，应匹配 {pattern}",
}


def _describe(error: dict) -> str:
    template = _MESSAGES.get(error["type"])
    ctx = {k: str(v).replace(" or ", " 或 ") for k, v in (error.get("ctx") or {}).items()}
    if template:
        try:
            message = template.format(**ctx)
        except (KeyError, IndexError):
            message = template
    else:
        message = error["msg"]
    if error["type"] != "missing" and "input" in error:
        shown = repr(error["input"])
        if len(shown) > 60:
            shown = shown[:57] + "..."
        message += f"（收到 {shown}）"
    return message


def format_validation_error(
    exc: ValidationError,
    *,
    origin: str,
    line_of: Callable[[tuple[int | str, ...]], int | None] | None = None,
) -> str:
    """One line per problem: ``origin[:line]: field.path: what is wrong (what was given)``."""
    lines = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        where = origin
        line = line_of(loc) if line_of else None
        if line:
            where += f":{line}"
        lines.append(f"{where}: {field_path(loc)}: {_describe(error)}")
    return "\n".join(lines)
