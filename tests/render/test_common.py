from __future__ import annotations

from datetime import date

import pytest

from zhibao.render.common import chinese_numeral, date_zh, section_label


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"), (99, "九十九")],
)
def test_chinese_numerals(n, text):
    assert chinese_numeral(n) == text


def test_numeral_range_is_checked():
    with pytest.raises(ValueError):
        chinese_numeral(0)


def test_labels_and_dates():
    assert section_label(6) == "六、"
    assert date_zh(date(2026, 5, 3)) == "2026 年 5 月 3 日"
