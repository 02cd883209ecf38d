from __future__ import annotations

from pathlib import Path

import pytest

from zhibao.publish import PublishError, publish


def _email(box, **extra):
    return {
        "smtp_host": box.host,
        "smtp_port": box.port,
        "sender": "新质生产力每日动态 <brief@example.org>",
        "recipients": ["编辑甲 <a@example.org>", "b@example.org"],
        **extra,
    }


def test_email_has_html_body_text_alternative_and_pdf(brief, brand, settings, smtp_server) -> None:
    config = settings(email=_email(smtp_server), site={"base_url": "https://brief.example.org/"})
    report = publish(brief, ["email"], config, brand=brand)
    assert report.ok, report.lines()
    assert "2 位收件人" in report.outcomes[0].detail
    # One message per recipient: nobody sees who else receives the brief.
    first, second = smtp_server.messages
    assert [e.rcpt_tos for e, _m in (first, second)] == [["a@example.org"], ["b@example.org"]]
    assert (first[1]["To"], second[1]["To"]) == ("编辑甲 <a@example.org>", "b@example.org")
    assert first[1]["Cc"] is None and first[1]["Bcc"] is None
    assert first[1]["Message-ID"] != second[1]["Message-ID"]
    envelope, message = first
    assert envelope.mail_from == "brief@example.org"
    assert message["Subject"] == "新质生产力每日动态（2026 年 5 月 25 日）"
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert brief.sections[0].heading in html and html.lstrip().startswith("<!DOCTYPE html>")
    assert "在线阅读：https://brief.example.org/briefs/brief-2026-05-25.html" in text
    [pdf] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "brief-2026-05-25.pdf"
    assert pdf.get_content()[:5] == b"%PDF-"


def test_site_and_email_share_one_pdf(brief, brand, settings, smtp_server, tmp_path: Path) -> None:
    config = settings(email=_email(smtp_server))
    report = publish(brief, ["email", "site"], config, brand=brand, site_dir=tmp_path)
    assert [o.channel for o in report.outcomes] == ["site", "email"]  # the site goes first
    _envelope, message = smtp_server.messages[0]
    [pdf] = list(message.iter_attachments())
    assert pdf.get_content() == (tmp_path / "files" / "brief-2026-05-25.pdf").read_bytes()


def test_unreachable_smtp_fails_only_the_email_channel(
    brief, brand, settings, tmp_path: Path, unused_port: int
) -> None:
    config = settings(email={"smtp_host": "127.0.0.1", "smtp_port": unused_port, "sender": "x@example.org",
                             "recipients": ["a@example.org"], "timeout_s": 3})
    report = publish(brief, ["site", "email"], config, brand=brand, site_dir=tmp_path)
    assert [o.ok for o in report.outcomes] == [True, False]
    assert "无法通过 127.0.0.1" in report.outcomes[1].detail
    assert not report.ok


def test_missing_recipients_are_reported_before_anything_is_sent(
    brief, brand, settings, smtp_server, tmp_path: Path
) -> None:
    config = settings(email={"smtp_host": smtp_server.host, "smtp_port": smtp_server.port, "sender": "x@example.org"})
    with pytest.raises(PublishError, match="email.recipients 为空"):
        publish(brief, ["site", "email"], config, brand=brand, site_dir=tmp_path / "site")
    assert smtp_server.messages == [] and not (tmp_path / "site").exists()
