"""Measure extraction against labelled pages, next to plain trafilatura in the same run.

Three dataset layouts are recognised (the directory is only read, never copied):

- ``magic-html-zh``: ``truth.json`` = ``{id: {"url", "content"}}`` and ``pages/<id>.html``;
- ``cwced``: ``truth/<id>.json`` = ``{"date", "author", "content"}`` and ``pages/<id>.html``;
  a date of ``UNKNOWN`` (or anything that is not a date) is scored strictly as "no date"
  in ``date_accuracy``; ``date_accuracy_labelled`` counts only the pages labelled with a
  date, because several UNKNOWN/blank pages of this set do print their date;
- ``cctv``: ``transcripts/YYYYMMDD.md`` (one《新闻联播》episode: ``### title``, text, then
  ``[查看原文](url)`` closing each item) and ``pages/<last URL segment>``. The whole-episode
  page (the summary's link) is an index page, not a document, and is left out; a title is
  compared as extraction gives it: without its column tag (``【“十五五”新图景】…``).

>>> report = evaluate_dataset(Path("data/extraction/magic-html-zh"))
>>> report.ours.body_f1, report.baseline.body_f1, report.time_ratio
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from zhibao.core.errors import InputError
from zhibao.crawl.encoding import decode_html
from zhibao.extract.dates import parse_datetime
from zhibao.extract.titles import clean_title

__all__ = [
    "Case",
    "DatasetReport",
    "SystemScore",
    "char_f1",
    "detect_layout",
    "evaluate_dataset",
    "load_cases",
]


def char_f1(predicted: str, truth: str) -> float:
    """Bag-of-characters F1: both texts as multisets of their non-whitespace characters.

    precision = |P ∩ T| / |P|, recall = |P ∩ T| / |T| (∩ = multiset minimum), F1 their
    harmonic mean; 1.0 when both are empty, 0.0 when only one is.

    >>> round(char_f1("国家数据局", "国家数据"), 3)
    0.889
    """
    p = Counter(c for c in predicted if not c.isspace())
    t = Counter(c for c in truth if not c.isspace())
    if not p and not t:
        return 1.0
    overlap = sum((p & t).values())
    if overlap == 0:
        return 0.0
    precision = overlap / sum(p.values())
    recall = overlap / sum(t.values())
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class TruthDate:
    """A labelled publication date: a day, a month only (``1998-3``), or none stated."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def matches(self, predicted: date | None) -> bool:
        """Day accuracy: a labelled day must be hit exactly; 'no date' must get None.

        A month-only label has no day to check: None (no day invented) or a day of that
        month both count as right.
        """
        if self.year is None:
            return predicted is None
        if self.day is None:
            return predicted is None or (predicted.year, predicted.month) == (self.year, self.month)
        return predicted == date(self.year, self.month or 1, self.day)


def parse_truth_date(value: str | None) -> TruthDate:
    value = (value or "").strip()
    full = parse_datetime(value) if value else None
    if full is not None:
        return TruthDate(full.year, full.month, full.day)
    month = re.fullmatch(r"((?:19|20)\d{2})[-/.年](\d{1,2})月?", value)
    if month:
        return TruthDate(int(month[1]), int(month[2]))
    return TruthDate()


@dataclass
class Case:
    """One labelled page; a truth field left None is not scored."""

    id: str
    path: Path
    url: str
    body: str | None = None
    title: str | None = None
    date: TruthDate | None = None


# ---------------------------------------------------------------------------- layouts


def detect_layout(directory: Path) -> str:
    """``magic-html-zh``, ``cwced`` or ``cctv`` from the files present; InputError otherwise."""
    if (directory / "truth.json").is_file() and (directory / "pages").is_dir():
        return "magic-html-zh"
    if (directory / "truth").is_dir() and (directory / "pages").is_dir():
        return "cwced"
    if (directory / "transcripts").is_dir() and (directory / "pages").is_dir():
        return "cctv"
    raise InputError(
        f"{directory}: 无法识别的数据集结构 (unknown layout)；应包含 truth.json + pages/、"
        "truth/ + pages/，或 transcripts/ + pages/"
    )


def _magic_cases(directory: Path) -> Iterator[Case]:
    truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
    for key, item in truth.items():
        path = directory / "pages" / f"{key}.html"
        if path.is_file():
            yield Case(key, path, item.get("url") or path.as_uri(), body=item.get("content", ""))


_WRAPPER_URL = re.compile(r'\s*<text\s+id="(https?://[^"]+)"')


def _cwced_cases(directory: Path) -> Iterator[Case]:
    for truth_path in sorted((directory / "truth").glob("*.json")):
        item = json.loads(truth_path.read_text(encoding="utf-8"))
        path = directory / "pages" / f"{truth_path.stem}.html"
        if path.is_file():
            # Pages come wrapped as <text id="<original URL>" …>; the URL is part of the input.
            wrapper = _WRAPPER_URL.match(path.read_bytes()[:600].decode("latin-1"))
            yield Case(
                truth_path.stem,
                path,
                wrapper[1] if wrapper else path.as_uri(),
                body=item.get("content", ""),
                date=parse_truth_date(item.get("date")),
            )


_LINK = re.compile(r"^\[查看原文\]\((\S+?)\)\s*$")


def _markdown_text(lines: list[str]) -> str:
    out = []
    for line in lines:
        line = line.replace("**", "").strip()
        if line:
            out.append(line)
    return "\n".join(out)


def _cctv_cases(directory: Path) -> Iterator[Case]:
    for transcript in sorted((directory / "transcripts").glob("*.md")):
        try:
            day = date(
                int(transcript.stem[:4]), int(transcript.stem[4:6]), int(transcript.stem[6:8])
            )
        except ValueError:
            continue
        truth_day = TruthDate(day.year, day.month, day.day)
        title: str | None = None
        block: list[str] = []
        summary = False
        for line in transcript.read_text(encoding="utf-8").splitlines():
            if line.startswith("## 新闻摘要"):
                summary, title, block = True, None, []
                continue
            if line.startswith("### "):
                summary, title, block = False, line[4:].strip(), []
                continue
            if line.startswith("#"):
                continue
            link = _LINK.match(line.strip())
            if not link:
                block.append(line)
                continue
            url = link[1]
            path = directory / "pages" / url.rsplit("/", 1)[-1]
            if path.is_file() and title and not summary:
                yield Case(
                    path.stem,
                    path,
                    url,
                    body=_markdown_text(block),
                    title=clean_title(title)[0],
                    date=truth_day,
                )
            title, block, summary = None, [], False


def load_cases(directory: Path) -> tuple[str, list[Case]]:
    """The layout name and the labelled pages of ``directory``."""
    if not directory.is_dir():
        raise InputError(f"{directory}: 目录不存在 (dataset directory not found)")
    layout = detect_layout(directory)
    loader = {"magic-html-zh": _magic_cases, "cwced": _cwced_cases, "cctv": _cctv_cases}[layout]
    cases = list(loader(directory))
    if not cases:
        raise InputError(
            f"{directory}: 没有找到带标注的页面 (no labelled pages in {layout} layout)"
        )
    return layout, cases


# ---------------------------------------------------------------------------- scoring


@dataclass
class Prediction:
    title: str = ""
    day: date | None = None
    body: str = ""


@dataclass
class SystemScore:
    """Averages over the pages that carry each kind of truth."""

    name: str
    pages: int = 0
    title_exact: float | None = None
    date_accuracy: float | None = None
    # Over the pages whose truth is a date: a label of UNKNOWN/blank is no evidence that the
    # page states none (several such pages print their date plainly), so it is shown apart.
    date_accuracy_labelled: float | None = None
    body_f1: float | None = None
    seconds_per_page: float = 0.0
    failures: int = 0


@dataclass
class DatasetReport:
    dataset: str
    layout: str
    pages: int
    ours: SystemScore
    baseline: SystemScore
    per_page: list[dict] = field(default_factory=list)

    @property
    def time_ratio(self) -> float:
        if not self.baseline.seconds_per_page:
            return float("nan")
        return self.ours.seconds_per_page / self.baseline.seconds_per_page

    def to_dict(self) -> dict:
        data = asdict(self)
        data["time_ratio"] = round(self.time_ratio, 3)
        return data


def _normal_title(text: str) -> str:
    return " ".join(text.split())


def _ours(html: str, url: str) -> Prediction:
    from zhibao.extract.document import ExtractError, extract_document

    try:
        doc = extract_document(html, url)
    except ExtractError:
        return Prediction()
    day = doc.published_at.date() if doc.published_at else None
    return Prediction(doc.title, day, doc.text)


def _baseline(html: str, url: str) -> Prediction:
    import trafilatura

    result = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if result is None:
        return Prediction()
    day = None
    if result.date:
        try:
            day = date.fromisoformat(result.date[:10])
        except ValueError:
            day = None
    return Prediction(result.title or "", day, result.text or "")


def _score(
    name: str, cases: list[Case], predictions: list[Prediction], seconds: float, failures: int
) -> SystemScore:
    score = SystemScore(name, pages=len(cases), failures=failures)
    titled = [(c, p) for c, p in zip(cases, predictions, strict=True) if c.title is not None]
    dated = [(c, p) for c, p in zip(cases, predictions, strict=True) if c.date is not None]
    bodied = [(c, p) for c, p in zip(cases, predictions, strict=True) if c.body is not None]
    if titled:
        hits = sum(_normal_title(p.title) == _normal_title(c.title or "") for c, p in titled)
        score.title_exact = hits / len(titled)
    if dated:
        score.date_accuracy = sum(c.date.matches(p.day) for c, p in dated) / len(dated)
        labelled = [(c, p) for c, p in dated if c.date.year is not None]
        if labelled:
            hits = sum(c.date.matches(p.day) for c, p in labelled)
            score.date_accuracy_labelled = hits / len(labelled)
    if bodied:
        score.body_f1 = sum(char_f1(p.body, c.body or "") for c, p in bodied) / len(bodied)
    score.seconds_per_page = seconds / max(len(cases), 1)
    return score


def evaluate_dataset(
    directory: Path,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DatasetReport:
    """Run zhibao and plain trafilatura (+ its htmldate) on every labelled page of ``directory``."""
    layout, cases = load_cases(directory)
    if limit:
        cases = cases[:limit]
    ours: list[Prediction] = []
    theirs: list[Prediction] = []
    time_ours = time_theirs = 0.0
    fail_ours = fail_theirs = 0
    per_page: list[dict] = []
    for index, case in enumerate(cases):
        html = decode_html(case.path.read_bytes())
        # Alternate which system runs first so caches and CPU frequency favour neither.
        runs = [("ours", _ours), ("baseline", _baseline)]
        if index % 2:
            runs.reverse()
        results: dict[str, Prediction] = {}
        for name, run in runs:
            started = time.perf_counter()
            try:
                results[name] = run(html, case.url)
            except Exception:  # a crash on one page is scored as an empty answer, not fatal
                results[name] = Prediction()
                if name == "ours":
                    fail_ours += 1
                else:
                    fail_theirs += 1
            elapsed = time.perf_counter() - started
            if name == "ours":
                time_ours += elapsed
            else:
                time_theirs += elapsed
        ours.append(results["ours"])
        theirs.append(results["baseline"])
        per_page.append(_page_row(case, results["ours"], results["baseline"]))
        if progress:
            progress(index + 1, len(cases))
    return DatasetReport(
        dataset=str(directory),
        layout=layout,
        pages=len(cases),
        ours=_score("zhibao", cases, ours, time_ours, fail_ours),
        baseline=_score("trafilatura", cases, theirs, time_theirs, fail_theirs),
        per_page=per_page,
    )


def _page_row(case: Case, ours: Prediction, theirs: Prediction) -> dict:
    row: dict = {"id": case.id, "url": case.url}
    if case.body is not None:
        row["body_f1"] = round(char_f1(ours.body, case.body), 4)
        row["baseline_body_f1"] = round(char_f1(theirs.body, case.body), 4)
    if case.title is not None:
        row["title"] = ours.title
        row["title_ok"] = _normal_title(ours.title) == _normal_title(case.title)
        row["truth_title"] = case.title
    if case.date is not None:
        row["date"] = ours.day.isoformat() if ours.day else None
        row["date_ok"] = case.date.matches(ours.day)
        row["truth_date"] = asdict(case.date)
    return row
