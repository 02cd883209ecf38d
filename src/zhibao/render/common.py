"""Small drawing helpers every renderer shares: numbering, dates, QR codes, link breaking."""

from __future__ import annotations

from datetime import date

import segno

__all__ = ["chinese_numeral", "date_zh", "qr_png", "qr_svg", "section_label"]

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九 (section numbers never reach 100)."""
    if not 1 <= n <= 99:
        raise ValueError(f"section number {n} out of range 1..99")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def section_label(n: int) -> str:
    """The prefix of the n-th numbered heading: ``一、``."""
    return chinese_numeral(n) + "、"


def date_zh(d: date) -> str:
    """``2026 年 5 月 23 日`` — the way the brief prints dates."""
    return f"{d.year} 年 {d.month} 月 {d.day} 日"


def _qr(url: str) -> segno.QRCode:
    # Error correction M survives print and a phone camera; the URL is data, never markup.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, scale: int = 4) -> str:
    """An inline ``<svg>`` element (no XML declaration) that encodes ``url``.

    It carries a ``viewBox`` and no fixed width/height, so CSS sizes it: two codes of different
    QR versions then print at the same size side by side.
    """
    return _qr(url).svg_inline(scale=scale, border=2, dark="#000", omitsize=True)


def qr_png(url: str, *, scale: int = 8) -> bytes:
    import io

    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
