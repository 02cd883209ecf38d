"""The WARC archive in an S3-compatible object store (moto's server on 127.0.0.1).

A collect run over the demo sites uploads its WARC file and removes the local copy; the desk's
存档 link then serves the page from the bucket; with the store unreachable the run still stores
every document, keeps the local copy (its references resolve on this machine) and the next
run with the store back uploads it.
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.moto_server.threaded_moto_server")

from zhibao.crawl import FetchSettings  # noqa: E402
from zhibao.crawl.archive import PENDING_SUFFIX, fetch_archived  # noqa: E402
from zhibao.crawl.object_store import ArchiveStoreError, ObjectStore  # noqa: E402
from zhibao.runs.collection import collect_run  # noqa: E402
from zhibao.runs.demo_server import serve_demo_sites  # noqa: E402
from zhibao.runs.demo_sites import DEMO_DAYS, demo_sources  # noqa: E402
from zhibao.runs.desk import archived_copy  # noqa: E402
from zhibao.store import Accounts, Store  # noqa: E402

BUCKET = "zhibao-archive"
URL = f"s3://{BUCKET}/warc"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch):
    """The archive configured as in production: environment variables only."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "ZHIBAO_ARCHIVE_URL": URL,
        "ZHIBAO_S3_ENDPOINT_URL": s3_endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture(scope="module")
def sites() -> Iterator[str]:
    with serve_demo_sites() as base_url:
        yield base_url


def _collect(base_url: str, store: Store, archive: Path, n: int = 2):
    fast = FetchSettings(delay_seconds=0.0, retries=0, per_host_concurrency=4)
    return collect_run(
        demo_sources(base_url)[:n],
        store,
        date=DEMO_DAYS[-1],
        days=len(DEMO_DAYS),
        settings=fast,
        archive_dir=archive,
    )


def _archived_documents(store: Store) -> list:
    return [d for d in store.documents(DEMO_DAYS[0], DEMO_DAYS[-1], undated=True) if d.archive]


def test_a_collect_run_archives_to_s3_and_the_desk_serves_the_copy_from_there(
    s3, sites: str, tmp_path: Path
) -> None:
    archive = tmp_path / "data" / "archive"
    with Store.open(data_dir=tmp_path / "data") as store:
        report = _collect(sites, store, archive)
        assert report.totals["new"] > 0
        documents = _archived_documents(store)
        Accounts(store).add_user("wang", PASSWORD, role="editor")
    assert documents
    name = report.archive.name
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"warc/{name}"]
    assert not (archive / name).exists()  # uploaded, so no local copy is kept
    ref = documents[0].archive
    assert ref.startswith(f"{name}#")  # references are unchanged: "<warc name>#<record id>"

    # The desk (the same call as its 存档 link) fetches the file from the bucket.
    page = archived_copy(archive, ref)
    assert page.final_url == documents[0].url or page.url == documents[0].url
    assert page.content

    # And the web desk's link itself, on another "machine" (the local file gone again).
    (archive / name).unlink()
    from fastapi.testclient import TestClient

    from zhibao.web import WebSettings, create_app

    app = create_app(WebSettings(config_dir=tmp_path, data_dir=tmp_path / "data"))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        _login(client, "wang")
        response = client.get(f"/archived?ref={quote(ref, safe='')}")
    assert response.status_code == 200, response.text
    assert response.content == page.content


def test_s3_unreachable_keeps_the_local_copy_and_the_next_run_uploads_it(
    s3, s3_endpoint: str, sites: str, tmp_path: Path, monkeypatch, caplog
) -> None:
    closed = _closed_port()
    monkeypatch.setenv("ZHIBAO_S3_ENDPOINT_URL", f"http://127.0.0.1:{closed}")
    archive = tmp_path / "data" / "archive"
    with Store.open(data_dir=tmp_path / "data") as store, caplog.at_level(logging.WARNING):
        report = _collect(sites, store, archive, n=1)
        documents = _archived_documents(store)
    assert report.totals["new"] > 0 and documents  # the documents are stored all the same
    name = report.archive.name
    assert (archive / name).is_file()
    assert (archive / (name + PENDING_SUFFIX)).is_file()
    warning = caplog.text
    assert URL in warning and f"127.0.0.1:{closed}" in warning  # names the store …
    assert "ZHIBAO_S3_ENDPOINT_URL" in warning and "AWS_ACCESS_KEY_ID" in warning  # … and the fix
    assert archived_copy(archive, documents[0].archive).content  # served from the local copy

    # The store is back: the next run uploads its own file and the one left behind.
    monkeypatch.setenv("ZHIBAO_S3_ENDPOINT_URL", s3_endpoint)
    with Store.open(data_dir=tmp_path / "data") as store:
        second = _collect(sites, store, archive, n=2)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {f"warc/{name}", f"warc/{second.archive.name}"}
    assert not list(archive.glob("*.warc.gz")) and not list(archive.glob("*" + PENDING_SUFFIX))


def test_reading_from_an_unreachable_store_names_the_url_and_the_fix(
    s3, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("ZHIBAO_S3_ENDPOINT_URL", f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(ArchiveStoreError) as raised:
        fetch_archived(tmp_path / "run-00001-x.warc.gz")
    message = str(raised.value)
    assert f"{URL}/run-00001-x.warc.gz" in message and "ZHIBAO_ARCHIVE_URL" in message


def test_a_file_the_store_does_not_have_is_no_archived_copy(s3, tmp_path: Path) -> None:
    assert fetch_archived(tmp_path / "run-99999.warc.gz") is False
    assert not (tmp_path / "run-99999.warc.gz").exists()


@pytest.mark.parametrize("url", ["http://bucket/x", "s3://", "bucket/prefix"])
def test_a_bad_archive_url_is_a_clear_config_error(url: str) -> None:
    from zhibao.core.errors import ConfigError

    with pytest.raises(ConfigError, match="ZHIBAO_ARCHIVE_URL"):
        ObjectStore.parse(url)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login(client, name: str) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/login",
        data={"name": name, "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
