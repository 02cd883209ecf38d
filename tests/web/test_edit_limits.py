"""Desk edits keep the brief within the model's limits: a text over its limit is refused with
the reason and the fix, nothing is saved, and the day's brief still loads."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from web_world import DAY

from zhibao.core.model import (
    MAX_HEADING_CHARS,
    MAX_PARAGRAPH_CHARS,
    MAX_PARAGRAPHS_PER_SECTION,
    MAX_SUMMARY_CHARS,
)
from zhibao.store import BriefVersions, Store

TOPIC = "新质生产力"


def _post(c: TestClient, path: str, **data):
    return c.post(path, data=data, headers={"X-CSRF-Token": c.csrf})


def _newest(world) -> int:
    with Store.open(world.database_url) as store:
        assert store.brief(DAY, topic=TOPIC) is not None  # the stored brief still loads
        return BriefVersions(store, topic=TOPIC).newest_number(DAY)


@pytest.mark.parametrize(
    ("path", "field", "limit", "message"),
    [
        ("sections/1/paragraphs/1", "text", MAX_PARAGRAPH_CHARS, "请拆分为两段"),
        ("sections/1/paragraphs", "text", MAX_PARAGRAPH_CHARS, "请拆分为两段"),
        ("sections/1/heading", "heading", MAX_HEADING_CHARS, "请缩短标题"),
        ("summary", "text", MAX_SUMMARY_CHARS, "请删减"),
    ],
)
def test_a_text_over_its_limit_is_refused_and_nothing_is_saved(
    editor_client: TestClient, world, path: str, field: str, limit: int, message: str
) -> None:
    c = editor_client
    before = _newest(world)
    data = {field: "新" * (limit + 1)}
    if path.endswith("paragraphs"):
        data.update(after="1", kind="fact")
    answer = _post(c, f"/desk/{DAY}/{path}", **data)
    assert answer.status_code == 409
    assert f"超过 {limit:,} 字的上限" in answer.text and message in answer.text
    assert _newest(world) == before
    assert c.get(f"/desk/{DAY}").status_code == 200


def test_a_paragraph_exactly_at_the_limit_is_saved_and_loads(editor_client: TestClient, world):
    text = "新" * MAX_PARAGRAPH_CHARS
    assert (
        _post(editor_client, f"/desk/{DAY}/sections/1/paragraphs/1", text=text).status_code == 200
    )
    with Store.open(world.database_url) as store:
        assert store.brief(DAY, topic=TOPIC).sections[0].paragraphs[0].text == text


def test_the_judgment_title_and_text_are_held_to_their_limits(editor_client: TestClient, world):
    before = _newest(world)
    long_title = _post(
        editor_client, f"/desk/{DAY}/judgment", title="判" * (MAX_HEADING_CHARS + 1), text="正文。"
    )
    assert long_title.status_code == 409 and "判断标题" in long_title.text
    long_text = _post(
        editor_client,
        f"/desk/{DAY}/judgment",
        title="今日判断",
        text="判" * (MAX_PARAGRAPH_CHARS + 1),
    )
    assert long_text.status_code == 409 and "判断正文" in long_text.text
    assert _newest(world) == before


def test_a_section_takes_no_more_paragraphs_than_the_limit(editor_client: TestClient, world):
    c = editor_client
    with Store.open(world.database_url) as store:
        have = len(store.brief(DAY, topic=TOPIC).sections[0].paragraphs)
    for n in range(have, MAX_PARAGRAPHS_PER_SECTION):
        assert (
            _post(
                c,
                f"/desk/{DAY}/sections/1/paragraphs",
                after=str(n),
                kind="fact",
                text=f"补充段落{n}。",
            ).status_code
            == 200
        )
    refused = _post(
        c, f"/desk/{DAY}/sections/1/paragraphs", after="1", kind="fact", text="再一段。"
    )
    assert refused.status_code == 409
    assert f"{MAX_PARAGRAPHS_PER_SECTION} 段的上限" in refused.text
    assert _newest(world) >= 1


def test_a_conflict_view_save_over_the_limit_is_refused_too(editor_client: TestClient, world):
    """The conflict view posts units back as JSON: the last guard catches a long one there."""
    c = editor_client
    page = c.get(f"/desk/{DAY}").text
    key = re.search(r'id="section-1" data-event="([^"]+)"', page).group(1)
    before = _newest(world)
    payload = {
        "units": [{"key": ["para", key, "1"], "value": ["长" * (MAX_PARAGRAPH_CHARS + 1), []]}],
        "references": [],
    }
    answer = _post(c, f"/desk/{DAY}/resolve", payload=json.dumps(payload), base_version=str(before))
    assert answer.status_code == 409
    assert "超出格式限制" in answer.text and "10000" in answer.text
    assert _newest(world) == before
