"""``zhibao publish`` sends exactly the approved version, once per version and channel, and
checks every channel's settings before the first one sends; email reaches each recipient
alone, with a clean text part and List-Unsubscribe."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhibao.cli import app
from zhibao.core.model import Brief
from zhibao.store import AuditLog, BriefVersions, Publications, Store

TOPIC = "新质生产力"
DAY = "2026-05-25"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ZHIBAO_DATA_DIR", raising=False)
    monkeypatch.delenv("ZHIBAO_DATABASE_URL", raising=False)
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


def _publish_yaml(
    home: Path, site: Path, box=None, extra: str = "", channels: str = "[site]"
) -> None:
    email = ""
    if box is not None:
        email = (
            "email:\n"
            f"  smtp_host: {box.host}\n  smtp_port: {box.port}\n"
            "  sender: 简报 <brief@example.org>\n"
            "  recipients: ['甲 <a@example.org>', b@example.org, c@example.org]\n"
            "  attach_pdf: false\n"
            "  unsubscribe: ['mailto:unsubscribe@example.org', 'https://brief.example.org/unsubscribe']\n"
        )
    (home / "publish.yaml").write_text(
        f"channels: {channels}\nsite:\n  dir: {site}\n  downloads: [md]\n" + email + extra,
        encoding="utf-8",
    )


def _store_approved(home: Path, brief: Brief, *, approve: bool = True) -> None:
    with Store.open(data_dir=home / "data") as store:
        store.save_brief(brief, topic=TOPIC)
        versions = BriefVersions(store, topic=TOPIC)
        if approve:
            versions.approve(brief.date, versions.latest(brief.date).number, user="zhang")


def _publish(*args: str):
    return CliRunner().invoke(app, ["publish", "--date", DAY, *args])


def test_a_second_publish_sends_nothing_already_sent(
    brief, home: Path, tmp_path: Path, smtp_server
) -> None:
    site = tmp_path / "site"
    _publish_yaml(home, site, smtp_server, channels="[site, email]")
    _store_approved(home, brief)

    first = _publish()
    assert first.exit_code == 0, first.output
    assert "✓ site" in first.output and "✓ email：已发送给 3 位收件人" in first.output
    assert len(smtp_server.messages) == 3

    second = _publish()
    assert second.exit_code == 0, second.output
    assert "未重复发送" in second.output and "--resend email" in second.output
    assert "没有需要发送的渠道" in second.output
    assert len(smtp_server.messages) == 3  # nobody got the brief twice

    again = _publish("--resend", "email")
    assert again.exit_code == 0, again.output
    assert "✓ email" in again.output and "· site：第 1 版已于" in again.output
    assert len(smtp_server.messages) == 6

    with Store.open(data_dir=home / "data") as store:
        history = Publications(store, topic=TOPIC).history(brief.date)
        audit = [e.line() for e in AuditLog(store).recent(action="publish")]
    assert [p.channels for p in history] == [["email"], ["site", "email"]]
    assert audit[0] == "命令行 发布了 2026-05-25 第 1 版：email成功（重发 email）"


def test_only_the_approved_version_goes_out_and_an_edit_needs_a_new_approval(
    brief, home: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    _publish_yaml(home, site)
    _store_approved(home, brief, approve=False)
    refused = _publish()
    assert refused.exit_code != 0 and "第 1 版尚未批准" in str(refused.exception)
    assert "zhibao approve --date 2026-05-25 --as" in str(refused.exception)

    edited_heading = brief.sections[0].heading + "（编辑改定）"
    with Store.open(data_dir=home / "data") as store:
        versions = BriefVersions(store, topic=TOPIC)
        versions.approve(brief.date, 1, user="zhang")
        sections = list(brief.sections)
        sections[0] = sections[0].model_copy(update={"heading": edited_heading})
        versions.save(brief.model_copy(update={"sections": sections}), note="改标题", author="li")

    refused = _publish()
    assert refused.exit_code != 0
    assert "第 2 版尚未批准：第 1 版批准后又有修改" in str(refused.exception)
    assert not site.exists()  # neither version 1 nor the unapproved version 2 went out

    with Store.open(data_dir=home / "data") as store:
        BriefVersions(store, topic=TOPIC).approve(brief.date, 2, user="zhang")
    sent = _publish()
    assert sent.exit_code == 0, sent.output
    page = (site / "briefs" / "brief-2026-05-25.html").read_text(encoding="utf-8")
    assert edited_heading in page
    with Store.open(data_dir=home / "data") as store:
        [record] = Publications(store, topic=TOPIC).history(brief.date)
    assert record.version == 2


def test_a_missing_channel_secret_stops_publishing_before_email_goes_out(
    brief, home: Path, tmp_path: Path, smtp_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEAM_BOT_URL", raising=False)
    site = tmp_path / "site"
    hook = "webhooks:\n  team:\n    kind: wecom\n    url_env: TEAM_BOT_URL\n"
    _publish_yaml(home, site, smtp_server, hook, channels="[site, email, team]")
    _store_approved(home, brief)
    result = _publish()
    assert result.exit_code != 0
    message = str(result.exception)
    assert "TEAM_BOT_URL" in message and "未发送任何渠道" in message
    assert smtp_server.messages == [] and not site.exists()
    with Store.open(data_dir=home / "data") as store:
        assert Publications(store, topic=TOPIC).history(brief.date) == []


def test_each_recipient_gets_a_clean_message_of_their_own(
    brief, home: Path, tmp_path: Path, smtp_server
) -> None:
    _publish_yaml(home, tmp_path / "site", smtp_server, channels="[email]")
    _store_approved(home, brief)
    assert _publish().exit_code == 0
    recipients = []
    for envelope, message in smtp_server.messages:
        [to] = envelope.rcpt_tos
        recipients.append(to)
        assert to in message["To"] and "," not in message["To"]  # nobody sees the others
        assert message["Cc"] is None
        assert " ".join(message["List-Unsubscribe"].split()) == (  # (the header may be folded)
            "<mailto:unsubscribe@example.org>, <https://brief.example.org/unsubscribe>"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert "博雅云创 & 中科创新驱动" in text  # the masthead as written
        assert "\\" not in text and "**" not in text and "](" not in text  # no markdown
        assert brief.sections[0].heading in text
        assert brief.references[0].url in text
    assert recipients == ["a@example.org", "b@example.org", "c@example.org"]


def test_unsubscribe_must_be_a_mailto_or_web_address(home: Path, tmp_path: Path) -> None:
    from zhibao.config import load_publish
    from zhibao.core.errors import ConfigError

    (home / "publish.yaml").write_text(
        "email:\n  unsubscribe: [unsubscribe@example.org]\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="email.unsubscribe"):
        load_publish(home)
