"""Email: the brief as an HTML message (plain-text alternative, PDF attached) over SMTP, one
message per recipient (nobody sees the others), with a List-Unsubscribe header when configured.

    >>> send_email(brief, load_publish().email)
    EmailResult(recipients=['editor@example.org'], attachments=['brief-2026-05-25.pdf'])
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from zhibao.config.publish import EmailConfig
from zhibao.core.errors import ConfigError
from zhibao.core.model import Brief
from zhibao.publish.renditions import Renditions
from zhibao.render.common import date_zh

__all__ = ["EmailResult", "build_message", "email_problems", "send_email"]


@dataclass
class EmailResult:
    recipients: list[str]  # accepted by the server
    attachments: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # refused by the server, with its reason


def email_problems(config: EmailConfig) -> list[str]:
    """What keeps ``config`` from sending, found before anything goes out (a missing
    password variable included)."""
    problems = []
    if not config.recipients:
        problems.append("publish.yaml: email.recipients 为空，请至少填写一个收件人")
    if not config.sender:
        problems.append(
            'publish.yaml: email.sender 为空，请填写发件人，如 "简报 <brief@example.org>"'
        )
    if not config.smtp_host:
        problems.append("publish.yaml: email.smtp_host 为空")
    if config.username and not config.password_env:
        problems.append(
            "publish.yaml: 设置了 email.username，但没有 password_env（存放 SMTP 密码的环境变量名）"
        )
    try:
        config.password()
    except ConfigError as exc:
        problems.append(str(exc))
    try:
        config.subject.format(title="", date="")
    except (KeyError, IndexError, ValueError):
        problems.append(
            f"publish.yaml: email.subject {config.subject!r} 只能使用 {{title}} 与 {{date}}"
        )
    return problems


def build_message(
    brief: Brief,
    config: EmailConfig,
    renditions: Renditions,
    *,
    link: str | None = None,
    to: str | None = None,
) -> EmailMessage:
    """The MIME message to one recipient ``to`` (default: the first of ``config.recipients``):
    text/plain and text/html alternatives, PDF attached. Each recipient gets a message of
    their own, so nobody sees who else receives the brief."""
    from zhibao.publish.errors import PublishError
    from zhibao.publish.messages import brief_text

    if problems := email_problems(config):
        raise PublishError("；".join(problems))
    message = EmailMessage()
    message["Subject"] = config.subject.format(title=brief.masthead.title, date=date_zh(brief.date))
    message["From"] = config.sender
    message["To"] = to or config.recipients[0]
    message["Date"] = formatdate(localtime=True)
    domain = config.sender.rsplit("@", 1)[-1].strip("> ") or None
    message["Message-ID"] = make_msgid(idstring=brief.stem, domain=domain)
    if config.unsubscribe:
        message["List-Unsubscribe"] = ", ".join(f"<{target}>" for target in config.unsubscribe)
        if any(t.startswith("http") for t in config.unsubscribe):
            # RFC 8058: mail clients may unsubscribe with one POST to the https target.
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(brief_text(brief, link=link))
    message.add_alternative(renditions["html"].decode("utf-8"), subtype="html")
    if config.attach_pdf:
        message.add_attachment(
            renditions["pdf"],
            maintype="application",
            subtype="pdf",
            filename=renditions.file_name("pdf"),
        )
    return message


def send_email(
    brief: Brief,
    config: EmailConfig,
    *,
    renditions: Renditions | None = None,
    link: str | None = None,
) -> EmailResult:
    """Send ``brief`` to each of ``config.recipients`` (one message each) through
    ``config.smtp_host``; raises ``PublishError`` when the server cannot be used or refuses
    every recipient."""
    from zhibao.publish.errors import PublishError

    renditions = renditions or Renditions(brief)
    messages = [
        (r, build_message(brief, config, renditions, link=link, to=r)) for r in config.recipients
    ]
    where = f"{config.smtp_host}:{config.smtp_port}"
    accepted, refused = [], []
    try:
        if config.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                config.smtp_host,
                config.smtp_port,
                timeout=config.timeout_s,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout_s)
        with smtp:
            if config.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if config.username:
                smtp.login(config.username, config.password() or "")
            for recipient, message in messages:
                try:
                    smtp.send_message(message, to_addrs=[_addr(recipient)])
                except smtplib.SMTPRecipientsRefused as exc:
                    reason = next(iter(exc.recipients.values()), (0, b""))
                    refused.append(f"{recipient}（{reason[0]}）")
                else:
                    accepted.append(recipient)
    except smtplib.SMTPAuthenticationError:
        raise PublishError(
            f"邮件服务器 {where} 拒绝登录：请检查 email.username 与 password_env"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        done = f"；此前已发出 {len(accepted)} 封" if accepted else ""
        raise PublishError(
            f"无法通过 {where} 发送邮件：{exc}{done}（请检查 publish.yaml 的 email 设置）"
        ) from None
    if not accepted:
        raise PublishError(f"邮件服务器 {where} 拒收了全部收件人：{'、'.join(refused)}")
    attachments = [renditions.file_name("pdf")] if config.attach_pdf else []
    return EmailResult(recipients=accepted, attachments=attachments, refused=refused)


def _addr(recipient: str) -> str:
    # "张三 <a@b.cn>" → "a@b.cn"
    return recipient.rsplit("<", 1)[-1].rstrip(">").strip()
