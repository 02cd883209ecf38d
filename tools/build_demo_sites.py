"""Build the bundled demo sites (``src/zhibao/runs/demo_sites/www/``) from ``articles.yaml``.

The demo sites are a written snapshot of seven news and government sites, three days of them
(2026-05-22..24), with planted test material (duplicates, distractors, an old item re-listed,
broken pages, a GBK page that declares UTF-8). The generated files are committed: they ARE
the snapshot that ``zhibao demo`` and the tests serve, so run this only after editing the data
or the templates::

    .venv/bin/python tools/build_demo_sites.py          # rewrite www/, manifest.yaml, headers.yaml
    .venv/bin/python tools/build_demo_sites.py --check  # fail if the committed files are stale
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

ROOT = Path(__file__).resolve().parents[1]
SITES_DIR = ROOT / "src" / "zhibao" / "runs" / "demo_sites"
WWW = SITES_DIR / "www"
DAYS = [date(2026, 5, 22), date(2026, 5, 23), date(2026, 5, 24)]

# Which pages are not UTF-8, and what the server says about them (the liar page lies in both).
GBK_SITES = {"people"}
HTML_GBK = "text/html; charset=GBK"
HTML_UTF8 = "text/html; charset=utf-8"


@dataclass
class Article:
    data: dict[str, Any]
    site: str
    path: str  # inside the site, no leading slash
    published: datetime
    list_date: date
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def url_path(self) -> str:
        return f"/{self.site}/{self.path}"

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.data.get("paragraphs", [])]

    @property
    def summary(self) -> str:
        first = self.paragraphs[0] if self.paragraphs else self.data["title"]
        return first if len(first) <= 90 else first[:88] + "…"


def _load_articles() -> list[Article]:
    raw = yaml.safe_load((SITES_DIR / "articles.yaml").read_text(encoding="utf-8"))
    by_id = {a["id"]: a for a in raw["articles"]}
    articles = []
    for item in raw["articles"]:
        if "reprint_of" in item:
            # A near-verbatim reprint: the original's paragraphs, with the reprint's own lead.
            original = by_id[item["reprint_of"]]
            item.setdefault("event", original["event"])
            item["paragraphs"] = list(item.get("lead", [])) + list(original["paragraphs"])
        published = datetime.fromisoformat(str(item["published"]))
        listed = item.get("list_date")
        articles.append(
            Article(
                data=item,
                site=item["site"],
                path=item["path"],
                published=published,
                list_date=date.fromisoformat(str(listed)) if listed else published.date(),
            )
        )
    ids = [a.id for a in articles]
    paths = [a.url_path for a in articles]
    for name, values in (("id", ids), ("path", paths)):
        dup = {v for v in values if values.count(v) > 1}
        if dup:
            sys.exit(f"articles.yaml: 重复的 {name}: {sorted(dup)}")
    return articles


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(SITES_DIR / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["cn_date"] = lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日"
    env.filters["rfc822"] = lambda d: d.strftime("%a, %d %b %Y %H:%M:%S +0800")
    return env


class Snapshot:
    """Collects rendered files (bytes) and the Content-Type each must be served with."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.content_types: dict[str, str] = {}

    def add(
        self, url_path: str, text: str, *, encoding: str = "utf-8", content_type: str = ""
    ) -> None:
        self.files[url_path] = text.encode(encoding)
        if content_type:
            self.content_types[url_path] = content_type

    def add_bytes(self, url_path: str, content: bytes, content_type: str = "") -> None:
        self.files[url_path] = content
        if content_type:
            self.content_types[url_path] = content_type


def _render_article(
    env: Environment, snap: Snapshot, art: Article, base_ctx: dict[str, Any]
) -> None:
    template = env.get_template(f"{art.site}/article.html.j2")
    broken = art.data.get("broken")
    ctx = {**base_ctx, "a": art, "d": art.data, "broken": broken}
    if art.site in GBK_SITES:
        liar = art.data.get("declares_utf8", False)
        html = template.render(**ctx, meta_charset="utf-8" if liar else "gb2312")
        snap.add(art.url_path, html, encoding="gbk", content_type=HTML_UTF8 if liar else HTML_GBK)
    else:
        html = template.render(**ctx)
        if broken == "truncated":
            # Cut the page off mid-document, as a dropped connection leaves it.
            html = html[: html.index('<div id="BodyLabel"') + 60]
        snap.add(art.url_path, html)
    if art.data.get("mobile_twin"):
        twin_path = art.url_path.replace("_pc.html", "_mobile.html")
        mobile = env.get_template(f"{art.site}/mobile.html.j2").render(**ctx)
        snap.add(twin_path, mobile)


def _chunks(items: list[Article], size: int) -> list[list[Article]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _newest_first(items: list[Article]) -> list[Article]:
    return sorted(items, key=lambda a: (a.list_date, a.published), reverse=True)


def build() -> Snapshot:
    env = _env()
    articles = _load_articles()
    raw = yaml.safe_load((SITES_DIR / "articles.yaml").read_text(encoding="utf-8"))
    extra_links: dict[str, list[dict[str, str]]] = raw.get("extra_links", {})
    snap = Snapshot()
    by_site: dict[str, list[Article]] = defaultdict(list)
    for art in articles:
        by_site[art.site].append(art)
    base_ctx = {"days": DAYS}

    for art in articles:
        _render_article(env, snap, art, base_ctx)

    # 国家数据局: one column, ten items a page, page 2 holds the older items.
    nda = _newest_first([a for a in by_site["nda"] if a.data.get("list", True)])
    pages = _chunks(nda, 10)
    for number, items in enumerate(pages, start=1):
        html = env.get_template("nda/list.html.j2").render(
            items=items, page=number, pages=len(pages), **base_ctx
        )
        snap.add(f"/nda/sjj/swdt/list/index_pc_{number}.html", html)

    # 中央网信办 网信发布.
    html = env.get_template("cac/list.html.j2").render(
        items=_newest_first(by_site["cac"]), **base_ctx
    )
    snap.add("/cac/wxzw/wxfb/A093702index_1.htm", html)

    # 中国政府网: 最新政策 and 部门联播 lists, served as directory index pages.
    for column, title in (("zhengce/zuixin", "最新政策"), ("lianbo/bumen", "部门")):
        items = _newest_first([a for a in by_site["gov"] if a.data["list"] == column])
        html = env.get_template("gov/list.html.j2").render(items=items, column=title, **base_ctx)
        snap.add(f"/gov/{column}/index.htm", html)

    # 人民网 channel: GBK, with one dead link planted among the items.
    people = _newest_first(by_site["people"])
    html = env.get_template("people/list.html.j2").render(
        items=people, dead=extra_links.get("people", []), **base_ctx
    )
    snap.add("/people/GB/1001/index.html", html, encoding="gbk", content_type=HTML_GBK)

    # 证券时报-like RSS 2.0 (summaries only; one item links to the nda mobile twin).
    html = env.get_template("stcn/rss.xml.j2").render(
        items=_newest_first(by_site["stcn"]), extra=extra_links.get("stcn", []), **base_ctx
    )
    snap.add("/stcn/rss/yw.xml", html, content_type="application/rss+xml; charset=utf-8")

    # English wire: Atom with full content.
    html = env.get_template("wire/atom.xml.j2").render(
        items=_newest_first(by_site["wire"]), **base_ctx
    )
    snap.add("/wire/atom/technology.xml", html, content_type="application/atom+xml; charset=utf-8")

    # 新闻联播-like programme lists, one page per day.
    for day in DAYS:
        items = sorted(
            (a for a in by_site["xwlb"] if a.published.date() == day), key=lambda a: a.data["order"]
        )
        html = env.get_template("xwlb/day.html.j2").render(items=items, day=day, **base_ctx)
        snap.add(f"/xwlb/lm/xwlb/day/{day:%Y%m%d}.shtml", html)

    snap.add(
        "/robots.txt",
        (SITES_DIR / "templates" / "robots.txt").read_text(encoding="utf-8"),
        content_type="text/plain; charset=utf-8",
    )
    snap.add("/index.html", env.get_template("index.html.j2").render(**base_ctx))
    return snap


def manifest(articles: list[Article]) -> dict[str, Any]:
    entries = []
    for art in articles:
        d = art.data
        entry = {
            "id": art.id,
            "site": art.site,
            "path": art.url_path,
            "date": art.published.date().isoformat(),
            "listed": art.list_date.isoformat(),
            "event": d.get("event"),
            "role": d["role"],
            "relevance": d["relevance"],
            "title": d["title"],
        }
        if d.get("mobile_twin"):
            entry["mobile_twin"] = art.url_path.replace("_pc.html", "_mobile.html")
        if d.get("reprint_of"):
            entry["reprint_of"] = d["reprint_of"]
        if d.get("broken"):
            entry["broken"] = d["broken"]
        if d.get("declares_utf8"):
            entry["declares_utf8"] = True
        if d.get("phrase"):
            entry["phrase"] = d["phrase"]
        entries.append(entry)
    raw = yaml.safe_load((SITES_DIR / "articles.yaml").read_text(encoding="utf-8"))
    missing = [
        {
            "site": site,
            "path": f"/{site}/{link['href']}",
            "role": "broken",
            "broken": "missing",
            "relevance": 0,
            "title": link["title"],
        }
        for site, links in raw.get("extra_links", {}).items()
        for link in links
        if link.get("missing")
    ]
    return {"days": [d.isoformat() for d in DAYS], "articles": entries, "missing": missing}


def _yaml(data: Any, header: str) -> str:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    return header + body


def write(check: bool = False) -> int:
    snap = build()
    articles = _load_articles()
    outputs: dict[Path, bytes] = {WWW / p.lstrip("/"): c for p, c in snap.files.items()}
    outputs[SITES_DIR / "manifest.yaml"] = _yaml(
        manifest(articles), "# 由 tools/build_demo_sites.py 生成，请勿手改 (generated)\n"
    ).encode()
    outputs[SITES_DIR / "headers.yaml"] = _yaml(
        {"content_types": dict(sorted(snap.content_types.items()))},
        "# 演示服务器对这些文件发送的 Content-Type（其余按扩展名，UTF-8）。由构建脚本生成。\n",
    ).encode()
    if check:
        stale = [p for p, c in outputs.items() if not p.is_file() or p.read_bytes() != c]
        extra = [p for p in WWW.rglob("*") if p.is_file() and p not in outputs]
        for p in stale + extra:
            print(f"过期 (stale): {p.relative_to(ROOT)}")
        return 1 if stale or extra else 0
    if WWW.exists():
        shutil.rmtree(WWW)
    for path, content in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    digest = hashlib.sha256(b"".join(outputs[p] for p in sorted(outputs))).hexdigest()[:12]
    pages = sum(1 for a in articles)
    print(f"写出 {len(outputs)} 个文件，{pages} 篇文章，快照摘要 {digest}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="只检查已提交的文件是否最新")
    sys.exit(write(check=parser.parse_args().check))
