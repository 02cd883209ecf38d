"""The static archive site: an index, one page per brief, downloads, RSS and Atom feeds.

Plain files that any static host serves (nginx, OSS/COS buckets, GitHub Pages)::

    site/index.html                      all briefs, newest first
    site/briefs/brief-2026-05-25.html    the brief (same body and styles as the HTML edition)
    site/files/brief-2026-05-25.pdf      downloads (pdf, docx, md, json …)
    site/feed.xml  site/atom.xml         RSS 2.0 and Atom 1.0
    site/briefs.json                     the manifest the index and feeds are built from

Publishing one brief adds or replaces its entry and rebuilds index and feeds from the
manifest, so the site needs no database and can be rebuilt file by file.

    >>> publish_site(brief, "public/", config=load_publish().site, brand=load_brand())
    SiteResult(page=PosixPath('public/briefs/brief-2026-05-25.html'), …)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from zhibao.config import Brand
from zhibao.config.publish import SiteConfig
from zhibao.core.errors import ZhibaoError
from zhibao.core.model import Brief
from zhibao.core.time import now_utc
from zhibao.publish.errors import PublishError
from zhibao.publish.feeds import FeedEntry, atom_feed, rss_feed
from zhibao.publish.renditions import Renditions
from zhibao.render.common import date_zh

__all__ = ["MANIFEST", "SiteResult", "publish_site"]

MANIFEST = "briefs.json"
_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "md": "Markdown", "wechat": "公众号 HTML", "json": "JSON"}


@dataclass
class SiteResult:
    page: Path
    index: Path
    feeds: list[Path]
    files: list[Path] = field(default_factory=list)


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("zhibao.publish", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)  # a visitor never downloads a half-written file
    return path


def _manifest(site: Path) -> list[FeedEntry]:
    path = site / MANIFEST
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PublishError(f"{path}: 站点清单损坏（{exc}）；删除它后重新发布各期简报即可重建") from None
    return [e for e in entries if isinstance(e, dict) and "date" in e]


def publish_site(
    brief: Brief,
    site_dir: str | Path,
    *,
    config: SiteConfig,
    brand: Brand,
    renditions: Renditions | None = None,
) -> SiteResult:
    """Add (or replace) ``brief`` on the static site at ``site_dir``; rebuild index and feeds."""
    from zhibao.render.html import render_fragment, stylesheet

    site = Path(site_dir)
    renditions = renditions or Renditions(brief)
    title = config.title or brand.report_title
    day = brief.date.isoformat()

    files: dict[str, str] = {}
    written: list[Path] = []
    for kind in config.downloads:
        try:
            data = renditions[kind]
        except ZhibaoError as exc:
            raise PublishError(
                f"无法生成下载文件 {kind}：{exc}；修复后重试，或从 publish.yaml 的 site.downloads 中去掉 {kind}"
            ) from None
        name = renditions.file_name(kind)
        written.append(_write(site / "files" / name, data))
        files[kind] = f"files/{name}"
    written.append(_write(site / "files" / f"{brief.stem}.json", brief.to_json().encode("utf-8")))
    files["json"] = f"files/{brief.stem}.json"

    fragment = render_fragment(brief)
    env = _environment()
    page = site / "briefs" / f"{brief.stem}.html"
    _write(
        page,
        env.get_template("site_brief.html.j2")
        .render(
            site_title=title,
            title=f"{brief.masthead.title} · {date_zh(brief.date)}",
            stylesheet=Markup(stylesheet()),
            body=Markup(fragment),
            downloads=[(_LABELS[k], "../" + p) for k, p in files.items()],
        )
        .encode("utf-8"),
    )

    now = now_utc().isoformat(timespec="seconds")
    existing = _manifest(site)
    earlier = next((e for e in existing if e["date"] == day), None)
    entries = [e for e in existing if e["date"] != day]
    entry: FeedEntry = {
        "date": day,
        "title": f"{brief.masthead.title}（{date_zh(brief.date)}）",
        "summary": brief.summary,
        "headings": [s.heading for s in brief.sections],
        "page": f"briefs/{brief.stem}.html",
        "files": files,
        "published_at": earlier["published_at"] if earlier else now,
        "updated_at": now,
        "html": fragment,
    }
    if "pdf" in files:
        entry["pdf_bytes"] = (site / files["pdf"]).stat().st_size
    entries.append(entry)
    entries.sort(key=lambda e: e["date"], reverse=True)
    _write(site / MANIFEST, json.dumps(entries, ensure_ascii=False, indent=1).encode("utf-8"))

    index = _write(site / "index.html", _index(entries, title, config).encode("utf-8"))
    recent = entries[: config.feed_items]
    feeds = [
        _write(
            site / "feed.xml",
            rss_feed(recent, title=title, description=config.description, base=config.base),
        ),
        _write(
            site / "atom.xml",
            atom_feed(recent, title=title, author=brand.publisher, base=config.base),
        ),
    ]
    return SiteResult(page=page, index=index, feeds=feeds, files=written)


def _index(entries: list[FeedEntry], title: str, config: SiteConfig) -> str:
    rows: list[dict[str, Any]] = [
        {
            "date": e["date"],
            "title": e["title"],
            "summary": e["summary"].split("\n\n")[0],
            "headings": e.get("headings", []),
            "page": e["page"],
            "downloads": [(_LABELS.get(k, k), p) for k, p in e["files"].items()],
        }
        for e in entries
    ]
    return _environment().get_template("site_index.html.j2").render(
        title=title, description=config.description, briefs=rows
    )
