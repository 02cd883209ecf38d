"""The JSON Schema of the brief, for other tools that read or write ``brief-*.json``."""

from __future__ import annotations

import json

from zhibao.core.model import Brief

__all__ = ["brief_schema", "brief_schema_json"]


def brief_schema() -> dict:
    schema = Brief.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/zhibao/zhibao/docs/brief.schema.json"
    schema["title"] = "zhibao Brief"
    schema["description"] = "智报每日简报的数据结构：渲染器、编辑台与核验器读写的同一份 JSON。"
    return schema


def brief_schema_json() -> str:
    return json.dumps(brief_schema(), ensure_ascii=False, indent=2) + "\n"
