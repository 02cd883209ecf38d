from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from zhibao.core.model import Brief
from zhibao.publish import PublishError, publish
from zhibao.publish.site import MANIFEST

NASTY = '<script>alert(1)</script><img src=x onerror=alert(2)>'


def _another_day(brief: Brief, day: date, heading: str | None = None) -> Brief:
    sections = brief.sections
    if heading:
        sections = [sections[0].model_copy(update={"heading": heading}), *sections[1:]]
    return brief.model_copy(update={"date": day, "sections": sections})


def test_site_has_index_page_downloads_and_feeds(brief, brand, settings, tmp_path: Path) -> None:
    site = tmp_path / "site"
    report = publish(brief, ["site"], settings(), brand=brand, site_dir=site)
    assert report.ok, report.lines()
    assert (site / "index.html").is_file()
    page = site / "briefs" / "brief-2026-05-25.html"
    html = page.read_text("utf-8")
    assert brief.sections[0].heading in html
    for suffix in (".pdf", ".docx", ".md", ".json"):
        assert (site / "files" / f"brief-2026-05-25{suffix}").stat().st_size > 0
    assert (site / "files" / "brief-2026-05-25.pdf").read_bytes()[:5] == b"%PDF-"
    assert json.loads((site / "files" / "brief-2026-05-25.json").read_text("utf-8"))["date"] == "2026-05-25"


def test_feeds_read_back_with_feedparser(brief, brand, settings, tmp_path: Path) -> None:
    site = tmp_path / "site"
    config = settings(site={"base_url": "https://brief.example.org/xz"})
    publish(brief, ["site"], config, brand=brand, site_dir=site)
    publish(_another_day(brief, date(2026, 5, 26)), ["site"], config, brand=brand, site_dir=site)
    rss = feedparser.parse((site / "feed.xml").read_bytes())
    atom = feedparser.parse((site / "atom.xml").read_bytes())
    assert (rss.bozo, rss.version) == (False, "rss20")
    assert (atom.bozo, atom.version) == (False, "atom10")
    for feed in (rss, atom):
        assert feed.feed.title == brand.report_title
        assert [e.link for e in feed.entries] == [
            "https://brief.example.org/xz/briefs/brief-2026-05-26.html",
            "https://brief.example.org/xz/briefs/brief-2026-05-25.html",
        ]
        assert "2026 年 5 月 26 日" in feed.entries[0].title
        assert len({e.id for e in feed.entries}) == 2
    assert rss.entries[1].enclosures[0].href.endswith("files/brief-2026-05-25.pdf")
    assert brief.sections[1].heading in atom.entries[1].content[0].value


def test_republishing_replaces_the_entry_and_keeps_its_id(brief, brand, settings, tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish(brief, ["site"], settings(), brand=brand, site_dir=site)
    first = json.loads((site / MANIFEST).read_text("utf-8"))
    time.sleep(1.1)  # published_at has second resolution
    edited = _another_day(brief, brief.date, heading="编辑改过的标题，意义重大")
    publish(edited, ["site"], settings(), brand=brand, site_dir=site)
    entries = json.loads((site / MANIFEST).read_text("utf-8"))
    assert len(entries) == 1
    assert entries[0]["published_at"] == first[0]["published_at"]
    assert entries[0]["updated_at"] > first[0]["updated_at"]
    assert "编辑改过的标题" in (site / "briefs" / "brief-2026-05-25.html").read_text("utf-8")
    atom = feedparser.parse((site / "atom.xml").read_bytes())
    assert len(atom.entries) == 1 and "编辑改过的标题" in atom.entries[0].content[0].value


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+)"', html)


def test_every_relative_link_resolves(brief, brand, settings, tmp_path: Path) -> None:
    site = tmp_path / "site"
    for day in (date(2026, 5, 24), date(2026, 5, 25)):
        publish(_another_day(brief, day), ["site"], settings(), brand=brand, site_dir=site)
    pages = [site / "index.html", *sorted((site / "briefs").glob("*.html"))]
    checked = 0
    for page in pages:
        for link in _links(page.read_text("utf-8")):
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.name}: {link}"
            assert site.resolve() in target.parents
            checked += 1
    assert checked >= 2 * 4 + 2 * 5  # index: page + 4 downloads per brief; pages: index + 4


def test_untrusted_text_is_escaped_everywhere(brief, brand, settings, tmp_path: Path) -> None:
    site = tmp_path / "site"
    nasty = _another_day(brief, brief.date, heading=f"标题{NASTY}")
    nasty = nasty.model_copy(update={"summary": f"摘要{NASTY}"})
    publish(nasty, ["site"], settings(), brand=brand, site_dir=site)
    for name in ("index.html", "briefs/brief-2026-05-25.html"):
        text = (site / name).read_text("utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "&lt;script&gt;" in text
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((site / name).read_bytes())
        assert not parsed.bozo
        assert NASTY in parsed.entries[0].summary or "&lt;script&gt;" in parsed.entries[0].summary


def test_a_brief_with_problems_is_refused(brief, brand, settings, tmp_path: Path) -> None:
    draft = brief.model_copy(update={"check_failures": ["第 1 节：数字 99% 在来源中找不到"]})
    with pytest.raises(PublishError, match="还不能发布"):
        publish(draft, ["site"], settings(), brand=brand, site_dir=tmp_path / "site")
    assert not (tmp_path / "site").exists()
    report = publish(draft, ["site"], settings(), brand=brand, site_dir=tmp_path / "site", allow_draft=True)
    assert report.ok


def test_unknown_channel_is_named(brief, brand, settings, tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="未知的发布渠道 nope"):
        publish(brief, ["site", "nope"], settings(), brand=brand, site_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_site_fails_that_channel_only(brief, brand, settings, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    report = publish(brief, ["site"], settings(), brand=brand, site_dir=blocker / "site")
    assert not report.ok
    assert "无法写入静态站目录" in report.outcomes[0].detail


def test_a_download_that_cannot_be_rendered_fails_the_site(
    brief, brand, settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhibao.core.errors import RenderError
    from zhibao.publish.renditions import Renditions

    real = Renditions.__getitem__

    def no_pdf(self, name: str) -> bytes:
        if name == "pdf":
            raise RenderError("找不到中文字体 Noto Serif CJK SC")
        return real(self, name)

    monkeypatch.setattr(Renditions, "__getitem__", no_pdf)
    report = publish(brief, ["site"], settings(), brand=brand, site_dir=tmp_path / "site")
    assert not report.ok
    assert "site.downloads 中去掉 pdf" in report.outcomes[0].detail
    assert not (tmp_path / "site" / "index.html").exists()
    report = publish(brief, ["site"], settings(site={"downloads": ["md"]}), brand=brand, site_dir=tmp_path / "site")
    assert report.ok
