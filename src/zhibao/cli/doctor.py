"""``zhibao doctor``: is everything a brief needs in place? Configuration, database, fonts, model.

Each check is a ``Finding`` (ok / warn / fail, a Chinese line, a fix); ``diagnose`` runs them
all and the command prints them. A missing model is a warning only: the default writer needs none.

    >>> findings = diagnose()
    >>> [f.name for f in findings]
    ['配置', '数据库', '中文字体', 'Typst', '模型端点']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import typer

from zhibao.cli.base import app, console
from zhibao.core.errors import ZhibaoError

__all__ = ["Finding", "diagnose"]


@dataclass
class Finding:
    name: str
    status: Literal["ok", "warn", "fail"]
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = {"ok": "✓", "warn": "!", "fail": "✗"}[self.status]
        fix = f"（{self.fix}）" if self.fix else ""
        return f"{mark} {self.name}：{self.detail}{fix}"


def _config(config_dir: Path) -> Finding:
    from zhibao.config import load_brand, load_profile, load_sources

    try:
        brand, profile = load_brand(config_dir), load_profile(config_dir)
        sources = load_sources(config_dir)
    except ZhibaoError as exc:
        return Finding("配置", "fail", str(exc), "修改所指文件后重试")
    return Finding(
        "配置",
        "ok",
        f"{brand.report_title}，主题「{profile.name}」，信息源 {len(sources.enabled)} 个（{config_dir}）",
    )


def _database(data_dir: Path) -> Finding:
    from zhibao.store import Store

    try:
        with Store.open(data_dir=data_dir) as store:
            return Finding("数据库", "ok", f"{store.url}，文档 {store.count_documents()} 篇")
    except ZhibaoError as exc:
        return Finding("数据库", "fail", str(exc), "检查 ZHIBAO_DATABASE_URL 或数据目录权限")


def _fonts() -> Finding:
    try:
        from zhibao.render.pdf import find_cjk_fonts

        fonts = find_cjk_fonts()
    except ZhibaoError as exc:
        return Finding("中文字体", "fail", str(exc))
    except ImportError as exc:
        return Finding("中文字体", "warn", f"PDF 渲染器不可用：{exc}")
    return Finding("中文字体", "ok", f"{fonts.serif} / {fonts.sans}（{', '.join(fonts.paths)}）")


def _typst() -> Finding:
    try:
        import typst  # noqa: F401
    except ImportError:
        return Finding("Typst", "fail", "未安装 typst（PDF 需要）", "pip install typst")
    return Finding("Typst", "ok", "已安装")


def _model(config_dir: Path, *, chat: bool) -> Finding:
    from zhibao.write.llm import ChatClient, LLMError, load_llm_settings

    try:
        settings = load_llm_settings(config_dir)
    except ZhibaoError as exc:
        return Finding("模型端点", "fail", str(exc))
    if not settings.configured:
        return Finding(
            "模型端点",
            "warn",
            "未配置（可选：默认的抽取式写作器不需要模型）",
            "设置 ZHIBAO_LLM_BASE_URL、ZHIBAO_LLM_API_KEY、ZHIBAO_LLM_MODEL 后可用 --writer llm",
        )
    retries = settings.model_copy(update={"retries": 0, "timeout": min(settings.timeout, 15)})
    try:
        client = ChatClient(retries)
        models = client.models()
        answered = ""
        if chat:
            reply = client.complete(
                [{"role": "user", "content": '只回答 JSON：{"ok": true}'}],
                schema={"type": "object"},
                name="ping",
            )
            answered = (
                f"；对话测试回应模型 {reply.model}，{reply.tokens_in}+{reply.tokens_out} tokens"
            )
    except LLMError as exc:
        return Finding("模型端点", "fail", str(exc), "检查地址、密钥与网络")
    listed = "在端点的模型列表中" if settings.model in models else "不在端点列出的模型中"
    shown = "、".join(models[:8]) + ("…" if len(models) > 8 else "")
    return Finding(
        "模型端点",
        "ok" if settings.model in models or not models else "warn",
        f"{settings.where()} 有应答；配置的模型 {settings.model} {listed}（端点列出：{shown or '无'}）{answered}",
    )


def diagnose(*, chat: bool = False, home: Path | None = None) -> list[Finding]:
    """Run every check with the current configuration (``home``: config dir, as ``--home``)."""
    from zhibao.config import resolve_paths

    paths = resolve_paths(home)
    return [
        _config(paths.config_dir),
        _database(paths.data_dir),
        _fonts(),
        _typst(),
        _model(paths.config_dir, chat=chat),
    ]


@app.command("doctor")
def doctor_command(
    chat: Annotated[
        bool,
        typer.Option(
            "--chat", help="再发一条极短的对话请求，确认模型真的能回答（消耗少量 token）。"
        ),
    ] = False,
) -> None:
    """检查运行环境：配置、数据库、中文字体、Typst，以及模型端点是否应答、是哪个模型。"""
    findings = diagnose(chat=chat)
    for finding in findings:
        console.print(finding.line(), markup=False, soft_wrap=True)
    if any(f.status == "fail" for f in findings):
        raise typer.Exit(1)
