from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from zhibao.runs.demo_sites import DEMO_DAYS, SITES_DIR, WWW_DIR, demo_sources

ROOT = Path(__file__).resolve().parents[2]


def test_snapshot_is_built_from_the_current_data_and_templates():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_demo_sites.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_manifest_covers_seven_sites_three_days_and_every_planted_case(manifest):
    articles = manifest.articles
    assert len(articles) >= 60
    assert {a["site"] for a in articles} == {"nda", "cac", "gov", "people", "stcn", "wire", "xwlb"}
    assert manifest.days == DEMO_DAYS
    roles = Counter(a["role"] for a in articles)
    assert roles["distractor"] >= 12
    assert roles["old"] >= 1 and roles["broken"] >= 2 and roles["duplicate"] >= 3
    assert all(a["relevance"] in (0, 1, 2) for a in articles)
    assert all(a["relevance"] == 0 for a in articles if a["role"] == "distractor")
    in_window = Counter(a["date"] for a in articles if a["date"] in {str(d) for d in DEMO_DAYS})
    assert all(in_window[str(d)] >= 15 for d in DEMO_DAYS)
    assert any(a.get("declares_utf8") for a in articles)
    assert manifest.missing and all(m["broken"] == "missing" for m in manifest.missing)


def test_the_contest_event_is_told_by_several_outlets(manifest):
    sites = {a["site"] for a in manifest.articles if a["event"] == "data-contest-2026"}
    assert {"nda", "people", "xwlb", "gov", "stcn"} <= sites
    reprint = next(a for a in manifest.articles if a.get("reprint_of") == "nda-contest")
    original = (WWW_DIR / manifest.by_id("nda-contest")["path"].lstrip("/")).read_text("utf-8")
    copy = (WWW_DIR / reprint["path"].lstrip("/")).read_text("utf-8")
    assert manifest.by_id("nda-contest")["phrase"] in original and "数据要素价值释放年" in copy


def test_the_old_item_is_listed_today_with_its_old_date(manifest):
    old = next(a for a in manifest.articles if a["role"] == "old")
    assert old["listed"] == "2026-05-23" and old["date"] == "2026-04-27"
    page = (WWW_DIR / old["path"].lstrip("/")).read_text("utf-8")
    assert '<meta name="PubDate" content="2026.04.27">' in page
    listing = (WWW_DIR / "nda/sjj/swdt/list/index_pc_1.html").read_text("utf-8")
    line = next(x for x in listing.splitlines() if old["path"] in x)
    assert "<span>2026-05-23</span>" in line


def test_every_manifest_page_exists_and_every_list_link_resolves(manifest):
    for a in manifest.articles:
        assert (WWW_DIR / a["path"].lstrip("/")).is_file(), a["path"]
        if "mobile_twin" in a:
            assert (WWW_DIR / a["mobile_twin"].lstrip("/")).is_file()
    for m in manifest.missing:
        assert not (WWW_DIR / m["path"].lstrip("/")).exists()


def test_demo_sources_point_at_the_server():
    sources = demo_sources("http://127.0.0.1:9999/")
    assert [s.id for s in sources] == ["nda", "cac", "gov", "people", "stcn", "wire", "xwlb"]
    assert all(u.startswith("http://127.0.0.1:9999/") for s in sources for u in s.urls)
    assert {s.kind.value for s in sources} == {"html", "feed", "dated"}
    assert (SITES_DIR / "sources.yaml").is_file()
