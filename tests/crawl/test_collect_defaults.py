"""The built-in sources.yaml is usable by the collector as shipped."""

from __future__ import annotations

import re
from datetime import date

import soupsieve

from zhibao.config import load_sources
from zhibao.core.model import SourceKind


def test_builtin_sources_compile(tmp_path):
    sources = load_sources(tmp_path).sources
    assert {
        "nda",
        "cac",
        "gov",
        "ndrc",
        "miit",
        "stats",
        "sasac",
        "nea",
        "xinhua",
        "people",
        "gmw",
        "qstheory",
        "stcn",
    } <= {s.id for s in sources}
    for source in sources:
        for pattern in source.include + source.exclude:
            re.compile(pattern)
        for selector in filter(None, (source.link_selector, source.date_selector)):
            soupsieve.compile(selector)
        for url in source.urls:
            expanded = (
                url.format(date=date(2026, 5, 23)) if source.kind is SourceKind.dated else url
            )
            assert expanded.startswith(("http://", "https://")) and "{" not in expanded, source.id
    dated = {
        s.id: s.urls[0].format(date=date(2026, 5, 23))
        for s in sources
        if s.kind is SourceKind.dated
    }
    assert dated["cctv-xwlb"] == "https://tv.cctv.com/lm/xwlb/day/20260523.shtml"
