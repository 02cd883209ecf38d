"""Files shipped with the package for trying things out."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SAMPLE_BRIEF"]

# A complete, checked brief written from the reference issues' facts: renderers' test bed.
SAMPLE_BRIEF = Path(__file__).parents[1] / "samples" / "brief-2026-05-25.json"
