from __future__ import annotations

from datetime import date

import pytest

from zhibao.analyze import covered_from_brief
from zhibao.runs.briefing import make_brief
from zhibao.write import EmptyWindowError
from zhibao.write.extractive import ExtractiveWriter

BRIEF_DATE = date(2026, 5, 25)


def test_brief_is_checked_stored_and_written(store, profile, brand, sources, tmp_path):
    run = make_brief(
        BRIEF_DATE,
        store=store,
        profile=profile,
        brand=brand,
        sources=sources,
        out_dir=tmp_path,
        formats=["md"],
    )
    assert run.check.ok and run.brief.status == "final" and run.brief.check_failures == []
    assert [p.name for p in run.paths] == ["brief-2026-05-25.json", "brief-2026-05-25.md"]
    assert store.brief(BRIEF_DATE, topic=profile.name) == run.brief
    covered = store.covered_events(date(2026, 5, 1), topic=profile.name)
    assert {c.event_id for c in covered} == {s.event_id for s in run.brief.sections}
    assert any("核验通过" in line for line in run.lines())
    assert set(run.timings) >= {"read", "analyze", "write", "check", "store", "render", "total"}


def test_next_day_does_not_repeat_what_was_covered(store, profile, brand, sources):
    make_brief(BRIEF_DATE, store=store, profile=profile, brand=brand, sources=sources)
    with pytest.raises(EmptyWindowError):  # nothing new on the 26th: every event was covered
        make_brief(date(2026, 5, 26), store=store, profile=profile, brand=brand, sources=sources)


class _Inventing(ExtractiveWriter):
    """A writer that adds a figure no source contains (what an LLM might do)."""

    name = "inventing"

    def draft(self, event, context, book):
        draft = super().draft(event, context, book)
        fact = draft.section.paragraphs[0]
        bad = fact.model_copy(update={"text": fact.text + "投资规模达1300亿元。"})
        draft.section = draft.section.model_copy(
            update={"paragraphs": [bad, *draft.section.paragraphs[1:]]}
        )
        return draft


def test_a_failing_brief_is_saved_as_draft_with_the_failures(
    store, profile, brand, sources, monkeypatch
):
    monkeypatch.setattr("zhibao.runs.briefing.get_writer", lambda name: _Inventing())
    run = make_brief(BRIEF_DATE, store=store, profile=profile, brand=brand, sources=sources)
    assert not run.check.ok and run.brief.status == "draft"
    assert any("1300亿" in line for line in run.brief.check_failures)
    assert any(p.startswith("核验未通过") and "1300亿" in p for p in run.brief.publish_problems())
    assert store.brief(BRIEF_DATE, topic=profile.name).status == "draft"


def test_stored_briefs_round_trip_and_replace(store, profile, brand, sources):
    run = make_brief(BRIEF_DATE, store=store, profile=profile, brand=brand, sources=sources)
    again = make_brief(BRIEF_DATE, store=store, profile=profile, brand=brand, sources=sources)
    assert store.briefs(date(2026, 5, 1), date(2026, 5, 31), topic=profile.name) == [again.brief]
    assert store.briefs(date(2026, 5, 26), topic=profile.name) == []
    assert len(store.covered_events(topic=profile.name)) == len(run.brief.sections)
    assert covered_from_brief(store.brief(BRIEF_DATE, topic=profile.name))
