"""What the checker reports: failures (the brief stays a draft), warnings, and the status rule."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from zhibao.core.model import Brief

__all__ = ["JUDGMENT", "SUMMARY", "CheckReport", "Failure", "section_part"]

# Where a failure in the closing judgment is reported, whatever the cadence calls the judgment.
JUDGMENT = "今日判断"
SUMMARY = "摘要"


def section_part(number: int) -> str:
    return f"第 {number} 节"


@dataclass
class Failure:
    """One problem: where (``section`` number from 1, or a part name), what, why, which refs.

    ``paragraph`` places it inside the part: 0 is the heading (the judgment's title), 1… the
    paragraphs, None the part as a whole.
    """

    where: str  # "第 2 节", "摘要", "今日判断", "参考文献 [3]", "结构"
    claim: str  # the figure / phrase as written, or the element concerned
    reason: str
    expected: list[int] = field(default_factory=list)  # reference ids it should occur in
    section: int | None = None  # 1-based section number when the failure is in a section
    paragraph: int | None = None

    @property
    def place(self) -> str:
        if self.paragraph is None:
            return self.where
        return f"{self.where}{'标题' if self.paragraph == 0 else f'第 {self.paragraph} 段'}"

    def line(self) -> str:
        refs = (
            f"（应见于参考文献 {', '.join(f'[{i}]' for i in self.expected)}）"
            if self.expected
            else ""
        )
        claim = f"「{self.claim}」" if self.claim else ""
        return f"{self.place}：{claim}{self.reason}{refs}"


@dataclass
class CheckReport:
    failures: list[Failure] = field(default_factory=list)
    # Past the length budget, filler repeated across sections: shown, never failing.
    warnings: list[Failure] = field(default_factory=list)
    claims_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures

    def verdict(self, brief: Brief) -> Brief:
        """``brief`` with the status this report gives it: the one status rule.

        Final only when every check passes *and* no section is flagged for the editor
        (``needs_review``); otherwise a draft, with the failures listed on the brief. The
        writer, the desk and ``zhibao check`` all decide through here.
        """
        final = self.ok and not any(s.needs_review for s in brief.sections)
        return brief.model_copy(
            update={
                "status": "final" if final else "draft",
                "check_failures": [f.line() for f in self.failures],
            }
        )

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "claims_checked": self.claims_checked,
            "failures": [asdict(f) for f in self.failures],
            "warnings": [asdict(f) for f in self.warnings],
        }
