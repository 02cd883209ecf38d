"""Email: the brief as an HTML message (plain-text alternative, PDF attached) over SMTP.

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
from zhibao.core.model import Brief
from zhibao.publish.renditions import Renditions
from zhibao.render.common import date_zh

__all__ = ["EmailResult", "build_message", "send_email"]


@dataclass
class EmailResult:
    recipients: list[str]
    attachments: list[str] = field(default_factory=list)


def build_message(
    brief: Brief, config: EmailConfig, renditions: Renditions, *, link: str | None = None
) -> EmailMessage:
    """The MIME message: text/plain (Markdown) and text/html alternatives, PDF attached."""
    from zhibao.publish.errors import PublishError
    from zhibao.render.html import render_html

    if not config.recipients:
        raise PublishError("publish.yaml: email.recipients 为空，请至少填写一个收件人")
    if not config.sender:
        raise PublishError("publish.yaml: email.sender 为空，请填写发件人，如 \"简报 <brief@example.org>\"")
    message = EmailMessage()
    message["Subject"] = config.subject.format(title=brief.masthead.title, date=date_zh(brief.date))
    message["From"] = config.sender
    message["To"] = ", ".join(config.recipients)
    message["Date"] = formatdate(localtime=True)
    domain = config.sender.rsplit("@", 1)[-1].strip("> ") or None
    message["Message-ID"] = make_msgid(idstring=brief.stem, domain=domain)
    text = renditions["md"].decode("utf-8")
    if link:
        text = f"在线阅读：{link}\n\n{text}"
    message.set_content(text)
    message.add_alternative(render_html(brief), subtype="html")
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
    """Send ``brief`` to ``config.recipients`` through ``config.smtp_host``."""
    from zhibao.publish.errors import PublishError

    renditions = renditions or Renditions(brief)
    message = build_message(brief, config, renditions, link=link)
    where = f"{config.smtp_host}:{config.smtp_port}"
    try:
        if config.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                config.smtp_host, config.smtp_port, timeout=config.timeout_s,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout_s)
        with smtp:
            if config.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if config.username:
                smtp.login(config.username, config.password() or "")
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise PublishError(f"邮件服务器 {where} 拒绝登录：请检查 email.username 与 password_env") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise PublishError(f"无法通过 {where} 发送邮件：{exc}（请检查 publish.yaml 的 email 设置）") from None
    accepted = [r for r in config.recipients if _addr(r) not in refused]
    attachments = [renditions.file_name("pdf")] if config.attach_pdf else []
    return EmailResult(recipients=accepted, attachments=attachments)


def _addr(recipient: str) -> str:
    # "张三 <a@b.cn>" → "a@b.cn"
    return recipient.rsplit("<", 1)[-1].rstrip(">").strip()
