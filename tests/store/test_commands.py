from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhibao.cli import app
from zhibao.core.time import SHANGHAI
from zhibao.store import Store

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ZHIBAO_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "240")  # rich tables must not fold the cells we look for


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


# --------------------------------------------------------------------------- export


def test_export_documents_jsonl_with_offsets(store: Store, db_url: str, make_doc) -> None:
    store.upsert_document(make_doc(1, published_at=datetime(2026, 5, 22, 16, 30, tzinfo=UTC)))
    store.upsert_document(make_doc(2, published_at=datetime(2026, 5, 24, 1, 0, tzinfo=SHANGHAI)))
    result = invoke("export", "documents", "--database-url", db_url)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    for key in ("url", "canonical_url", "title", "published_at", "source_org", "text"):
        assert key in first
    assert first["published_at"] == "2026-05-23T00:30:00+08:00"
    assert first["title"] == "国家数据局发布数据要素试点第1批名单"  # UTF-8, not \u escapes
    assert "国家数据局" in lines[0]
    assert "已导出 2 篇文档" in result.stderr


def test_export_since_until(store: Store, db_url: str, make_doc) -> None:
    for n, day in ((1, 22), (2, 23), (3, 24)):
        store.upsert_document(make_doc(n, published_at=datetime(2026, 5, day, 9, tzinfo=SHANGHAI)))
    result = invoke(
        "export", "documents", "--since", "2026-05-23", "--until", "2026-05-23",
        "--database-url", db_url,
    )  # fmt: skip
    assert [json.loads(line)["published_at"][:10] for line in result.stdout.splitlines()] == [
        "2026-05-23"
    ]


def test_export_rejects_a_bad_date(db_url: str) -> None:
    from zhibao.core.errors import InputError

    with pytest.raises(InputError, match="YYYY-MM-DD"):
        invoke("export", "documents", "--since", "23/05/2026", "--database-url", db_url)


def test_export_then_import_round_trip(store: Store, db_url: str, make_doc, tmp_path: Path) -> None:
    store.upsert_document(make_doc(1))
    store.upsert_document(make_doc(2))
    dump = tmp_path / "docs.jsonl"
    dump.write_text(invoke("export", "documents", "--database-url", db_url).stdout, "utf-8")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    result = invoke("import", str(dump), "--database-url", other)
    assert result.exit_code == 0, result.output
    with Store.open(other) as copy:
        assert copy.documents() == store.documents()


# --------------------------------------------------------------------------- import JSONL


def test_import_jsonl_reports_the_bad_line_and_keeps_the_rest(
    db_url: str, tmp_path: Path, make_doc
) -> None:
    good = make_doc(1).model_dump_json()
    naive = json.dumps(
        {"url": "https://www.gov.cn/zhengce/a.htm", "title": "无时区", "text": "正文",
         "published_at": "2026-05-23 10:00:00"}, ensure_ascii=False,
    )  # fmt: skip
    no_title = json.dumps({"url": "https://www.gov.cn/b.htm", "title": "", "text": "x"})
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join([good, "{not json", "", naive, no_title, good]) + "\n", "utf-8")
    result = invoke("import", str(path), "--database-url", db_url)
    assert result.exit_code == 1
    assert "新增 2，更新 0，未变 1，失败 2" in result.stdout
    assert f"{path}:2" in result.stderr and "JSON 语法错误" in result.stderr
    assert f"{path}:5" in result.stderr and "title" in result.stderr
    with Store.open(db_url) as store:
        doc = store.document("https://www.gov.cn/zhengce/a.htm")
    assert doc.canonical_url == doc.url  # a line without canonical_url uses its url
    assert doc.published_at == datetime(2026, 5, 23, 10, tzinfo=SHANGHAI)


# --------------------------------------------------------------------------- import saved pages


def test_import_directory_of_saved_pages(db_url: str, tmp_path: Path, article) -> None:
    pages = tmp_path / "saved"
    (pages / "sub").mkdir(parents=True)
    (pages / "canonical.html").write_text(
        article("数据要素试点启动", canonical="https://www.nda.gov.cn/sjj/a/0523/1.html"), "utf-8"
    )
    (pages / "og.htm").write_text(
        article("网信办发布新规", og_url="https://www.cac.gov.cn/2026-05/23/c_1.htm"), "utf-8"
    )
    (pages / "sidecar.html").write_text(article("政府网政策解读"), "utf-8")
    (pages / "sidecar.json").write_text('{"url": "https://www.gov.cn/zhengce/2026-05/23/c.htm"}')
    (pages / "sub" / "nourl.html").write_text(article("没有网址的页面"), "utf-8")
    (pages / "notes.txt").write_text("不是网页")

    result = invoke("import", str(pages), "--database-url", db_url)
    assert result.exit_code == 1, result.output
    assert "新增 3，更新 0，未变 0，失败 1，跳过 1" in result.stdout
    assert "nourl.html" in result.stderr
    assert "--url-prefix" in result.stderr and "nourl.json" in result.stderr
    with Store.open(db_url) as store:
        urls = {d.url: d for d in store.documents()}
    assert set(urls) == {
        "https://www.nda.gov.cn/sjj/a/0523/1.html",
        "https://www.cac.gov.cn/2026-05/23/c_1.htm",
        "https://www.gov.cn/zhengce/2026-05/23/c.htm",
    }
    doc = urls["https://www.nda.gov.cn/sjj/a/0523/1.html"]
    assert doc.title == "数据要素试点启动"
    assert doc.published_at == datetime(2026, 5, 23, 19, 23, tzinfo=SHANGHAI)
    assert "数据基础设施建设" in doc.text

    # Again, with a prefix for the page that had no URL: nothing duplicated.
    result = invoke(
        "import", str(pages), "--url-prefix", "https://www.nda.gov.cn/saved/",
        "--database-url", db_url,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "新增 1，更新 0，未变 3，失败 0" in result.stdout
    with Store.open(db_url) as store:
        assert store.has_document("https://www.nda.gov.cn/saved/sub/nourl.html")


def test_import_unknown_and_missing_files(db_url: str, tmp_path: Path) -> None:
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF-1.4")
    result = invoke("import", str(other), str(tmp_path / "missing.jsonl"), "--database-url", db_url)
    assert result.exit_code == 1
    assert "不支持的文件类型" in result.stderr and "不存在" in result.stderr


# --------------------------------------------------------------------------- import WARC


def test_import_warc(db_url: str, tmp_path: Path, article, warc) -> None:
    html = "text/html; charset=utf-8"
    path = warc(
        tmp_path / "run-1.warc.gz",
        [
            ("https://www.nda.gov.cn/sjj/a/0523/1_pc.html", 200, html,
             article("国家数据局召开座谈会").encode()),
            ("https://www.nda.gov.cn/old.html", 301, html, b""),
            ("https://www.nda.gov.cn/gone.html", 404, html, b"<html>not found</html>"),
            ("https://www.nda.gov.cn/files/1.pdf", 200, "application/pdf", b"%PDF-1.4 ..."),
            ("https://www.nda.gov.cn/sjj/a/0523/2_pc.html", 200, html,
             b"<html><body></body></html>"),
        ],
    )  # fmt: skip
    (tmp_path / "broken.warc").write_bytes(b"this is not a warc file at all")
    result = invoke("import", str(path), str(tmp_path / "broken.warc"), "--database-url", db_url)
    assert result.exit_code == 1
    assert "新增 1，更新 0，未变 0，失败 2，跳过 3" in result.stdout
    assert "2_pc.html" in result.stderr  # the page without an article
    assert "broken.warc" in result.stderr
    with Store.open(db_url) as store:
        (doc,) = store.documents()
    assert doc.title == "国家数据局召开座谈会"
    assert doc.archive and doc.archive.startswith("run-1.warc.gz#")
    assert doc.fetched_at == datetime(2026, 5, 23, 12, tzinfo=UTC)

    again = invoke("import", str(path), "--database-url", db_url)
    assert "新增 0，更新 0，未变 1，失败 1" in again.stdout


# --------------------------------------------------------------------------- sources check

SOURCES_YAML = """\
sources:
  - {id: nda, name: 国家数据局, org: 国家数据局, tier: central, urls: ["https://www.nda.gov.cn/"]}
  - {id: cac, name: 中央网信办, org: 中央网信办, tier: central, urls: ["https://www.cac.gov.cn/"]}
  - {id: gov, name: 中国政府网, org: 中国政府网, tier: central, urls: ["https://www.gov.cn/"]}
  - {id: old, name: 停用源, org: 某机构, tier: local, urls: ["https://old.example/"], enabled: false}
"""


@pytest.fixture
def configured(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "sources.yaml").write_text(SOURCES_YAML, "utf-8")


def test_sources_check_all_healthy(store: Store, db_url: str, configured) -> None:
    run_id = store.start_run()
    for source_id in ("nda", "cac"):
        store.record_source(run_id, source_id, lists_fetched=1, new_documents=2)
    store.finish_run(run_id)
    result = invoke("sources", "check", "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert "正常" in result.stdout
    assert "gov 中国政府网" in result.stdout and "从未运行" in result.stdout


def test_sources_check_flags_problems_with_last_error(
    store: Store, db_url: str, configured
) -> None:
    run_id = store.start_run()
    store.record_source(run_id, "nda", lists_fetched=1, new_documents=2)
    store.record_source(
        run_id, "cac", errors=3, last_error="https://www.cac.gov.cn/: HTTP 503 服务不可用"
    )
    store.record_source(run_id, "old", errors=1, last_error="停用源的错误")
    store.finish_run(run_id)
    result = invoke("sources", "check", "--runs", "3", "--database-url", db_url)
    assert result.exit_code == 1
    assert "失败" in result.stdout and "已停用" in result.stdout
    assert "cac" in result.stderr and "HTTP 503 服务不可用" in result.stderr
    assert "✗ cac" in result.stderr
    assert "✗ old" not in result.stderr  # a disabled source never fails the check
    assert "停用源的错误" in result.stderr  # but its error is still shown


def test_sources_check_empty_list_advice(store: Store, db_url: str, configured) -> None:
    run_id = store.start_run()
    store.record_source(run_id, "gov", lists_fetched=2, lists_empty=2)
    result = invoke("sources", "check", "--database-url", db_url)
    assert result.exit_code == 1
    assert "列表为空" in result.stdout and "link_selector" in result.stderr


def test_sources_check_without_any_run(db_url: str, configured) -> None:
    result = invoke("sources", "check", "--database-url", db_url)
    assert result.exit_code == 0
    assert "还没有任何运行记录" in result.stdout


def test_import_gbk_page_with_sidecar_and_source(
    db_url: str, tmp_path: Path, article, configured
) -> None:
    page = tmp_path / "人民网.html"
    page.write_bytes(article("人工智能产业大会开幕", charset="gbk").encode("gb18030"))
    page.with_suffix(".json").write_text(
        '{"url": "http://finance.people.com.cn/n1/2026/0523/c1004-1.html",'
        ' "fetched_at": "2026-05-23T20:00:00"}',
        "utf-8",
    )
    result = invoke("import", str(page), "--source", "cac", "--database-url", db_url)
    assert result.exit_code == 0, result.output
    with Store.open(db_url) as store:
        (doc,) = store.documents()
    assert doc.title == "人工智能产业大会开幕"
    assert "数据要素市场" in doc.text
    assert doc.source_id == "cac"
    assert doc.fetched_at == datetime(2026, 5, 23, 20, tzinfo=SHANGHAI)


def test_import_unknown_source_lists_the_known_ones(
    db_url: str, tmp_path: Path, configured
) -> None:
    from zhibao.core.errors import ConfigError

    with pytest.raises(ConfigError, match="nda、cac、gov"):
        invoke("import", str(tmp_path), "--source", "nope", "--database-url", db_url)
