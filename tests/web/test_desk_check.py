"""An edit on the desk goes through the whole checker: a heading, the summary or the judgment
that says something the sources do not keeps the brief a draft, refused for approval and
publication, and ``zhibao check`` says the same of it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_world import DAY

from zhibao.cli import app
from zhibao.core.model import Brief
from zhibao.store import Store

TOPIC = "新质生产力"


def _post(c: TestClient, path: str, **data):
    return c.post(path, data=data, headers={"X-CSRF-Token": c.csrf})


def _brief(world) -> Brief:
    with Store.open(world.database_url) as store:
        brief = store.brief(DAY, topic=TOPIC)
    assert brief is not None
    return brief


def _with_999(heading: str) -> str:
    """The heading with its first figure changed to 999 (417 → 999), or 999 added."""
    if re.search(r"\d+", heading):
        return re.sub(r"\d+", "999", heading, count=1)
    return f"{heading}，累计发布999个案例"


def _edit(c: TestClient, brief: Brief, part: str):
    if part == "heading":
        heading = _with_999(brief.sections[0].heading)
        return _post(c, f"/desk/{DAY}/sections/1/heading", heading=heading), "第 1 节标题"
    if part == "summary":
        text = brief.summary + "今天共有六条动态。"
        return _post(c, f"/desk/{DAY}/summary", text=text), "摘要"
    title = "今日判断：《数据安全条例》开启新阶段"
    return _post(c, f"/desk/{DAY}/judgment", title=title, text=brief.judgment.text), "今日判断标题"


@pytest.mark.parametrize("part", ["heading", "summary", "judgment"])
def test_an_edit_the_sources_do_not_support_keeps_the_brief_a_draft(
    chief_client: TestClient, world, part: str
) -> None:
    c = chief_client
    before = _brief(world)
    assert before.status == "final" and before.check_failures == []

    response, place = _edit(c, before, part)
    assert response.status_code == 200

    after = _brief(world)
    assert after.status == "draft"
    assert any(line.startswith(place) for line in after.check_failures), after.check_failures
    page = c.get(f"/desk/{DAY}").text
    assert "核验问题" in page and place in page

    refused = _post(c, f"/desk/{DAY}/approve")
    assert refused.status_code == 409 and "尚不能批准" in refused.text
    assert "核验未通过" in refused.text


def test_an_approved_brief_edited_to_a_wrong_figure_is_not_published(
    chief_client: TestClient, world, tmp_path: Path
) -> None:
    c = chief_client
    site = tmp_path / "site"
    (world.home / "publish.yaml").write_text(
        f"channels: [site]\nsite:\n  dir: {site}\n  downloads: [md]\n", encoding="utf-8"
    )
    assert _post(c, f"/desk/{DAY}/approve").status_code == 200
    heading = _with_999(_brief(world).sections[0].heading)
    assert _post(c, f"/desk/{DAY}/sections/1/heading", heading=heading).status_code == 200

    refused = _post(c, f"/desk/{DAY}/publish")
    assert refused.status_code == 409 and "草稿不能发布" in refused.text
    assert "999" in refused.text
    assert not site.exists()
    assert "核验通过" not in c.get(f"/desk/{DAY}").text


def test_the_command_line_gives_the_desks_verdict(
    editor_client: TestClient, world, tmp_path: Path, monkeypatch
) -> None:
    heading = _with_999(_brief(world).sections[0].heading)
    assert (
        _post(editor_client, f"/desk/{DAY}/sections/1/heading", heading=heading).status_code == 200
    )
    brief = _brief(world)
    path = brief.save(tmp_path / "edited.json")

    monkeypatch.setenv("ZHIBAO_HOME", str(world.home))
    monkeypatch.setenv("ZHIBAO_DATABASE_URL", world.database_url)
    result = CliRunner().invoke(app, ["check", str(path), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["status"] == brief.status == "draft"
    lines = [f["where"] for f in report["failures"]]
    assert len(lines) == len(brief.check_failures)
    assert any(f["claim"] == "999" and f["paragraph"] == 0 for f in report["failures"])


def test_approval_checks_again_a_version_an_older_checker_passed(
    chief_client: TestClient, world
) -> None:
    from zhibao.store import BriefVersions

    brief = _brief(world)
    sections = list(brief.sections)
    sections[0] = sections[0].model_copy(update={"heading": _with_999(sections[0].heading)})
    # As stored before headings were checked: final, no failures listed.
    stale = brief.model_copy(update={"sections": sections, "status": "final"})
    with Store.open(world.database_url) as store:
        BriefVersions(store, topic=TOPIC).save(stale, note="旧版核验", author="editor", parked=[])
    refused = _post(chief_client, f"/desk/{DAY}/approve")
    assert refused.status_code == 409 and "999" in refused.text
