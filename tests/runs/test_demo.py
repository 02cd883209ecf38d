from __future__ import annotations

import json

from zhibao.runs.demo import run_demo
from zhibao.store import Store


def test_demo_crawls_the_sites_into_its_own_data_dir_and_renders(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path / "user-home"))  # must stay untouched
    lines: list[str] = []
    paths = run_demo(tmp_path / "out", ["md"], echo=lines.append)
    names = sorted(p.name for p in paths)
    assert names == ["brief-2026-05-25.json", "brief-2026-05-25.md"]
    assert json.loads(paths[0].read_text(encoding="utf-8"))["date"] == "2026-05-25"
    assert any("新增" in line and "2026-05-22 至 2026-05-24" in line for line in lines)
    with Store.open(data_dir=tmp_path / "out" / "data") as store:
        assert store.count_documents() >= 55
    assert list((tmp_path / "out" / "data" / "archive").glob("*.warc.gz"))
    assert not (tmp_path / "user-home").exists()
    with Store.open(data_dir=tmp_path / "out" / "data") as store:
        first = store.count_documents()
    run_demo(tmp_path / "out", ["md"], echo=lines.append)  # again, into the same folder
    with Store.open(data_dir=tmp_path / "out" / "data") as store:
        assert store.count_documents() == first  # not stored twice under the new port's URLs


def test_demo_without_collection_only_renders(tmp_path):
    paths = run_demo(tmp_path, ["md"], collect=False)
    assert [p.suffix for p in paths] == [".json", ".md"]
    assert not (tmp_path / "data").exists()
