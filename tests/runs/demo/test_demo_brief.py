"""The demo brief against the demo sites' manifest: the editor's choices and the checker."""

from __future__ import annotations

from urllib.parse import urlsplit

from zhibao.check import check_brief

# The events of the real 2026-05-25 issue that the demo sites plant (manifest role: core).
TOP_EVENTS = {"data-contest-2026", "token-economy", "private-data-firms"}
ETHICS = {"ai-ethics-guideline", "ai-ethics-interpretation"}


def _path(url: str) -> str:
    return urlsplit(url).path


def _section_events(demo) -> list[set[str]]:
    out = []
    for section in demo.brief.sections:
        refs = [demo.brief.reference(i) for i in section.citations]
        out.append(
            {
                demo.event.get(_path(r.url))
                for r in refs
                if r.purpose.startswith(("用于核实", "用于补充"))
            }
        )
    return out


def test_demo_writes_paths_and_a_run_report(demo):
    assert [p.name for p in demo.paths] == ["brief-2026-05-25.json", "brief-2026-05-25.md"]
    assert any("入选" in line and "相关" in line for line in demo.lines)
    assert any("核验通过" in line for line in demo.lines)


def test_the_checker_passes_with_zero_failures(demo):
    brief = demo.brief
    report = check_brief(brief, {r.id: demo.store.document(r.url) for r in brief.references})
    assert report.ok, [f.line() for f in report.failures]
    assert brief.status == "final" and brief.check_failures == [] and brief.publish_problems() == []


def test_planted_top_events_are_selected(demo):
    leads = [
        demo.event[_path(demo.brief.reference(s.paragraphs[0].citations[0]).url)]
        for s in demo.brief.sections
    ]
    assert set(leads) >= TOP_EVENTS
    assert ETHICS & set(leads)
    for section in demo.brief.sections:
        lead = demo.brief.reference(section.paragraphs[0].citations[0])
        assert demo.role[_path(lead.url)] == "core", section.heading


def test_distractors_old_and_broken_items_are_left_out(demo):
    roles = {demo.role.get(_path(r.url)) for r in demo.brief.references}
    assert not roles & {"distractor", "old", "broken"}


def test_duplicates_merge_into_one_section_with_corroboration(demo):
    events = _section_events(demo)
    contest = [i for i, e in enumerate(events) if "data-contest-2026" in e]
    assert len(contest) == 1
    section = demo.brief.sections[contest[0]]
    refs = [demo.brief.reference(i) for i in section.citations]
    assert sum(r.purpose.startswith("用于补充") for r in refs) >= 2
    leads = [e for e in events]
    for i, a in enumerate(leads):  # no manifest event in two sections
        for b in leads[i + 1 :]:
            assert not (a - ETHICS) & (b - ETHICS)
    assert len({s.event_id for s in demo.brief.sections}) == len(demo.brief.sections)


def test_anatomy_of_the_demo_brief(demo):
    brief = demo.brief
    assert 4 <= len(brief.sections) <= 6
    assert 150 <= len(brief.summary) <= 400
    for section in brief.sections:
        assert [p.kind for p in section.paragraphs][:2] == ["fact", "analysis"]
        assert "，" in section.heading or len(section.heading) <= 28
        assert section.writer == "extractive" and section.event_id
    order: list[int] = []
    for section in brief.sections:
        for paragraph in section.paragraphs:
            order += [c for c in paragraph.citations if c not in order]
    assert order == [r.id for r in brief.references] == list(range(1, len(brief.references) + 1))
    assert brief.judgment.title.startswith("今日判断：")
    assert brief.contact.disclaimer
