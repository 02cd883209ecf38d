from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from zhibao.cli import app
from zhibao.extract.evaluate import TruthDate, char_f1, detect_layout, parse_truth_date

OTHER = "工业和信息化部发布人工智能产业创新发展行动计划，提出到二〇二七年培育一批领军企业和专精特新企业。"


def test_char_f1_definition() -> None:
    assert char_f1("", "") == 1.0
    assert char_f1("abc", "") == 0.0
    assert char_f1("数 据\n局", "数据局") == 1.0  # whitespace is not counted
    # multiset: P={数,数,据} T={数,据,局}: overlap 2, P=2/3, R=2/3
    assert abs(char_f1("数数据", "数据局") - 2 / 3) < 1e-9


def test_truth_dates() -> None:
    assert parse_truth_date("UNKNOWN") == TruthDate()
    assert parse_truth_date("2005-3-11 12:12") == TruthDate(2005, 3, 11)
    assert parse_truth_date("1998-3") == TruthDate(1998, 3)
    assert TruthDate().matches(None)
    assert not TruthDate(2005, 3, 11).matches(None)


def _write_magic(root: Path, page, paragraph: str) -> Path:
    pages = root / "pages"
    pages.mkdir(parents=True)
    truth = {}
    bodies = [paragraph, OTHER, paragraph + OTHER]
    for number, text in enumerate(bodies):
        key = f"p{number}"
        html = page(
            f"<title>第{number}号新闻标题_示例网</title>",
            "<div class='menu'><a href='/'>首页</a><a href='/news'>新闻</a></div>"
            f"<div id='BodyLabel'><p>{text}</p><p>责任编辑：李华</p></div>"
            "<div class='footer'>版权所有 示例网</div>",
        )
        (pages / f"{key}.html").write_text(html, encoding="utf-8")
        truth[key] = {
            "url": f"https://www.example.gov.cn/2026-05/2{number}/c_{number}.htm",
            "content": text,
        }
    (root / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return root


def test_eval_extract_command_on_tiny_dataset(tmp_path: Path, make_page, paragraph: str) -> None:
    dataset = _write_magic(tmp_path / "tiny", make_page, paragraph)
    assert detect_layout(dataset) == "magic-html-zh"
    result = CliRunner().invoke(app, ["eval", "extract", "--dataset", str(dataset), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["layout"] == "magic-html-zh"
    assert report["pages"] == 3
    assert report["ours"]["body_f1"] == 1.0
    assert report["baseline"]["name"] == "trafilatura"
    assert 0.0 <= report["baseline"]["body_f1"] <= 1.0
    assert report["ours"]["title_exact"] is None  # this layout has no title truth
    assert report["time_ratio"] > 0

    table = CliRunner().invoke(app, ["eval", "extract", "--dataset", str(dataset)])
    assert table.exit_code == 0
    assert "trafilatura" in table.stdout and "1.000" in table.stdout


def test_eval_extract_rejects_unknown_layout(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "extract", "--dataset", str(tmp_path)])
    assert result.exit_code != 0


def test_unlabelled_dates_are_reported_apart() -> None:
    from datetime import date as day

    from zhibao.extract.evaluate import Case, Prediction, _score

    cases = [
        Case("a", Path("a.html"), "u", date=TruthDate(2005, 3, 11)),
        Case("b", Path("b.html"), "u", date=TruthDate(2005, 3, 12)),
        Case("c", Path("c.html"), "u", date=TruthDate()),  # label UNKNOWN
    ]
    predictions = [
        Prediction(day=day(2005, 3, 11)),
        Prediction(day=day(2005, 3, 1)),
        Prediction(day=day(2005, 1, 6)),  # a date the page shows, label says none
    ]
    score = _score("zhibao", cases, predictions, 1.0, 0)
    assert score.date_accuracy == 1 / 3  # strict: UNKNOWN demands no date
    assert score.date_accuracy_labelled == 1 / 2
