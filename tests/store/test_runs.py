from __future__ import annotations

import pytest

from zhibao.store import Store, StoreError


def run(store: Store, **sources: dict[str, object]) -> int:
    """One finished run in which each keyword source recorded the given counts."""
    run_id = store.start_run()
    for source_id, counts in sources.items():
        store.record_source(run_id, source_id, **counts)
    store.finish_run(run_id)
    return run_id


GOOD = {"lists_fetched": 2, "new_documents": 3}
NOTHING_NEW = {"lists_fetched": 2}


def health_of(store: Store, **kwargs: object) -> dict[str, object]:
    return {h.source_id: h for h in store.source_health(**kwargs)}


def test_runs_are_numbered_and_finished(store: Store) -> None:
    first = store.start_run()
    second = store.start_run()
    store.finish_run(second, status="failed")
    assert second > first
    runs = store.runs()
    assert [(r[0], r[3]) for r in runs] == [(second, "failed"), (first, "running")]
    assert runs[0][2] is not None and runs[1][2] is None
    assert runs[0][1].utcoffset().total_seconds() == 8 * 3600


def test_recording_a_source_twice_replaces_its_line(store: Store) -> None:
    run_id = store.start_run()
    store.record_source(run_id, "nda", lists_fetched=1, new_documents=1)
    store.record_source(run_id, "nda", lists_fetched=2, new_documents=5, duration_s=1.5)
    (health,) = store.source_health()
    assert (health.runs, health.new_documents, health.lists_fetched) == (1, 5, 2)


def test_unknown_run_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="#99"):
        store.record_source(99, "nda", new_documents=1)
    with pytest.raises(StoreError, match="#99"):
        store.finish_run(99)


def test_healthy_source(store: Store) -> None:
    run(store, nda=GOOD)
    run(store, nda=NOTHING_NEW)
    run(store, nda={"lists_fetched": 2, "new_documents": 1, "updated_documents": 2})
    health = health_of(store)["nda"]
    assert health.verdict == "ok" and not health.problem
    assert (health.runs, health.new_documents, health.updated_documents) == (3, 4, 2)
    assert health.runs_since_new == 0
    assert health.last_run_at is not None


def test_quiet_after_n_runs_without_new_documents(store: Store) -> None:
    run(store, nda=GOOD)
    for _ in range(4):
        run(store, nda=NOTHING_NEW)
    assert health_of(store, last_runs=5)["nda"].verdict == "ok"
    run(store, nda=NOTHING_NEW)
    health = health_of(store, last_runs=5)["nda"]
    assert (health.verdict, health.runs_since_new, health.runs) == ("quiet", 5, 5)
    assert health.new_documents == 0  # the good run is older than the last 5
    assert health_of(store, last_runs=5, quiet_after=6)["nda"].verdict == "ok"


def test_a_source_that_never_brought_anything_is_quiet(store: Store) -> None:
    run(store, nda=NOTHING_NEW)
    assert health_of(store)["nda"].verdict == "quiet"


def test_failing_when_the_latest_run_brought_only_errors(store: Store) -> None:
    run(store, nda=GOOD)
    run(store, nda={"errors": 2, "last_error": "https://www.nda.gov.cn/: 连接超时 (timeout)"})
    health = health_of(store)["nda"]
    assert health.verdict == "failing" and health.problem
    assert health.last_error == "https://www.nda.gov.cn/: 连接超时 (timeout)"
    assert health.last_error_at == health.last_run_at
    # Errors alongside new documents are worth showing but the source still works.
    run(store, nda={**GOOD, "errors": 1, "last_error": "一篇文章 500"})
    health = health_of(store)["nda"]
    assert (health.verdict, health.errors, health.last_error) == ("ok", 3, "一篇文章 500")


def test_empty_list_when_a_selector_matched_nothing(store: Store) -> None:
    run(store, cac=GOOD)
    run(store, cac={"lists_fetched": 2, "lists_empty": 1, "new_documents": 1})
    health = health_of(store)["cac"]
    assert (health.verdict, health.lists_empty) == ("empty-list", 1)


def test_sources_are_judged_independently_and_configured_ones_listed(store: Store) -> None:
    run(store, nda=GOOD, cac={"errors": 1, "last_error": "500"})
    run(store, nda=GOOD)  # cac was not run this time (disabled for a day)
    healths = store.source_health(source_ids=["gov", "nda", "cac"])
    assert [(h.source_id, h.verdict) for h in healths] == [
        ("gov", "never-run"),
        ("nda", "ok"),
        ("cac", "failing"),
    ]
    assert healths[2].runs == 1


def test_unconfigured_sources_with_history_come_last(store: Store) -> None:
    run(store, zeta=GOOD, alpha=GOOD)
    assert [h.source_id for h in store.source_health(source_ids=["nda"])] == [
        "nda",
        "alpha",
        "zeta",
    ]


def test_last_runs_must_be_positive(store: Store) -> None:
    with pytest.raises(StoreError):
        store.source_health(0)


def test_validators_round_trip(store: Store) -> None:
    url = "https://www.nda.gov.cn/sjj/ywpd/list/index_pc_1.html"
    assert store.validators.get(url) is None
    store.validators.put(url, '"5f3a-1"', "Sat, 23 May 2026 11:23:52 GMT")
    assert store.validators.get(url) == ('"5f3a-1"', "Sat, 23 May 2026 11:23:52 GMT")
    store.validators.put(url, '"5f3a-2"', None)
    assert store.validators.get(url) == ('"5f3a-2"', None)
    store.validators.put(url, None, None)
    assert store.validators.get(url) is None


def test_validators_survive_reopening(db_url: str) -> None:
    with Store.open(db_url) as first:
        first.validators.put("https://a.example/", "e1", None)
    with Store.open(db_url) as again:
        assert again.validators.get("https://a.example/") == ("e1", None)
