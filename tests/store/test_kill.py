from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from zhibao.store import Store

WRITER = textwrap.dedent(
    """
    import sys
    from zhibao.core.model import Document
    from zhibao.store import Store

    store = Store.open(sys.argv[1])
    for n in range(100_000):
        result = store.upsert_document(Document(
            url=f"https://www.gov.cn/zhengce/{n}.htm", canonical_url=f"https://www.gov.cn/zhengce/{n}.htm",
            title=f"文件{n}", text="正文" * 50,
        ))
        print(n, result, flush=True)
    """
)


def test_a_writer_killed_midway_loses_nothing_it_reported(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'zhibao.db'}"
    Store.open(url).close()  # migrate first, so the kill lands among document writes
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, url], stdout=subprocess.PIPE, text=True
    )
    reported = []
    for line in writer.stdout:
        reported.append(int(line.split()[0]))
        if len(reported) == 40:
            break
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)

    with Store.open(url) as store:
        stored = store.count_documents()
        assert stored >= 40  # every upsert that returned had committed
        with store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        # Resuming: writing the same documents again adds none twice.
        for n in range(stored + 5):
            doc = store.document(f"https://www.gov.cn/zhengce/{n}.htm")
            if doc is not None:
                assert store.upsert_document(doc) == "unchanged"
        assert store.count_documents() == stored
