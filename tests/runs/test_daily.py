from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from zhibao.config import DEFAULTS_DIR
from zhibao.core.errors import ConfigError
from zhibao.core.time import SHANGHAI
from zhibao.crawl import FetchSettings
from zhibao.runs.daily import AUTO_ACTOR, build_scheduler, crontab_weekdays, daily_run, next_run
from zhibao.runs.demo_server import serve_demo_sites
from zhibao.runs.demo_sites import DEMO_DAYS, demo_sources
from zhibao.store import BriefVersions, Store


def test_cron_from_config_gives_the_next_run(settings) -> None:
    config = settings(schedule={"cron": "30 7 * * 1-5"})
    friday_evening = datetime(2026, 5, 22, 20, 0, tzinfo=SHANGHAI)
    assert next_run(config, friday_evening) == datetime(2026, 5, 25, 7, 30, tzinfo=SHANGHAI)
    before = datetime(2026, 5, 25, 7, 0, tzinfo=SHANGHAI)
    assert next_run(config, before) == datetime(2026, 5, 25, 7, 30, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("field", "expected"),
    [("1-5", "mon,tue,wed,thu,fri"), ("0", "sun"), ("7", "sun"), ("6,0", "sat,sun"),
     ("*", "*"), ("mon-fri", "mon-fri"), ("*/2", "sun,tue,thu,sat")],
)
def test_crontab_weekdays_count_from_sunday(field: str, expected: str) -> None:
    assert crontab_weekdays(field) == expected


def test_scheduler_holds_one_daily_job(settings) -> None:
    scheduler = build_scheduler(settings(), lambda: None, blocking=False)
    [job] = scheduler.get_jobs()
    assert job.id == "daily" and job.max_instances == 1 and job.coalesce


@pytest.mark.parametrize(
    ("schedule", "message"),
    [({"cron": "30 25 * * *"}, "schedule.cron 无效"), ({"timezone": "Mars/Base"}, "schedule.timezone 无效")],
)
def test_bad_schedule_is_a_config_error(settings, schedule, message) -> None:
    with pytest.raises(ConfigError, match=message):
        next_run(settings(schedule=schedule), datetime.now(SHANGHAI))


def _run(config, store, data_dir: Path, base_url: str, site: Path):
    return daily_run(
        DEMO_DAYS[-1],
        config,
        store=store,
        sources=demo_sources(base_url),
        data_dir=data_dir,
        config_dir=DEFAULTS_DIR,
        fetch_settings=FetchSettings(delay_seconds=0.0, per_host_concurrency=8, retries=0),
        site_dir=site,
        echo=lambda _line: None,
    )


def test_daily_run_collects_writes_and_notifies_or_publishes(
    settings, receiver, tmp_path: Path
) -> None:
    """The real run on the loopback demo sites: collect 3 days, write the brief, then notify
    (auto-publish off) and, on a second run, publish (auto-publish on)."""
    hooks = {"editors": {"kind": "json", "url": f"{receiver.url}/editors"},
             "team": {"kind": "wecom", "url": f"{receiver.url}/team"}}
    schedule = {"collect_days": len(DEMO_DAYS), "notify": ["editors"]}
    site = tmp_path / "site"
    with serve_demo_sites() as base_url, Store.open(data_dir=tmp_path / "data") as store:
        first = _run(settings(webhooks=hooks, schedule=schedule), store, tmp_path / "data", base_url, site)
        assert first.action == "notified"
        assert store.count_documents() > 20
        assert store.brief(DEMO_DAYS[-1], topic="新质生产力") is not None
        assert (tmp_path / "data" / "briefs" / f"brief-{DEMO_DAYS[-1]}.json").is_file()
        assert [r.json["event"] for r in receiver.requests] == ["brief.draft_ready"]
        assert not site.exists()

        config = settings(webhooks=hooks, channels=["site", "team"],
                          schedule={**schedule, "auto_publish": True})
        second = _run(config, store, tmp_path / "data", base_url, site)
        sent = [r.path for r in receiver.requests]
        third = _run(config, store, tmp_path / "data", base_url, site) if second.action == "published" else None
        released = BriefVersions(store, topic="新质生产力").approved(DEMO_DAYS[-1])
    stored = second.report
    if second.action == "published":
        assert stored.ok, stored.lines()
        assert (site / "briefs" / f"brief-{DEMO_DAYS[-1]}.html").is_file()
        assert [r.path for r in receiver.requests[1:]][0] == "/team"
        # Released as an approved version, and a second run sends nothing again.
        assert released is not None and released.approved_by == AUTO_ACTOR
        assert [r.path for r in receiver.requests] == sent
        assert third is not None and third.report is not None and not third.report.outcomes
        assert any("不重复发送" in line for line in third.report.lines())
    else:  # a brief the checker rejects is never published silently
        assert any("未自动发布" in line for line in second.lines)
        assert not site.exists()


def test_daily_run_on_an_empty_window(settings, tmp_path: Path) -> None:
    with Store.open(data_dir=tmp_path / "data") as store:
        result = daily_run(date(2026, 1, 5), settings(), store=store, sources=[], data_dir=tmp_path / "data",
                           config_dir=DEFAULTS_DIR, collect=False, echo=lambda _line: None)
    assert result.action == "empty"
    assert "没有与" in result.lines[0]
