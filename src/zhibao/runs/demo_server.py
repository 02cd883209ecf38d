"""A loopback HTTP server for the bundled demo sites, so the demo crawls over real HTTP.

It serves ``zhibao/runs/demo_sites/www`` as a set of static sites, with the headers a crawler must
cope with: the declared charset of each page (GBK for the 人民网-like channel, and the lie of
the one GBK page that claims UTF-8), ``ETag``/``Last-Modified`` with ``304 Not Modified`` on
conditional GET, a ``robots.txt``, ``404`` for anything missing. Feed files carry ``{base}``
where a real feed has its absolute URLs; it is replaced with this server's address.

    >>> from zhibao.runs.demo_server import serve_demo_sites
    >>> with serve_demo_sites() as base_url:   # e.g. http://127.0.0.1:40123
    ...     ...                                # crawl demo_sources(base_url)

Standalone: ``python -m zhibao.runs.demo_server [--port 8765]``.
"""

from __future__ import annotations

import argparse
import hashlib
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from zhibao.runs.demo_sites import SEARCH_ONLY_DIR, SITES_DIR, WWW_DIR

__all__ = ["DemoServer", "serve_demo_sites"]

# Every file of the snapshot claims this modification time: the snapshot is a fixed moment.
LAST_MODIFIED = "Sun, 24 May 2026 14:00:00 GMT"
_LAST_MODIFIED_DT = parsedate_to_datetime(LAST_MODIFIED)
_TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".shtml": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
_INDEX_NAMES = ("index.htm", "index.html")
SEARCH_PATH = "/searxng/search"  # the SearXNG-shaped endpoint (zhibao.runs.demo_search)


@cache
def _content_types() -> dict[str, str]:
    data = yaml.safe_load((SITES_DIR / "headers.yaml").read_text(encoding="utf-8")) or {}
    return data.get("content_types", {})


class _Handler(BaseHTTPRequestHandler):
    server: DemoServer
    server_version = "zhibao-demo/1.0"
    protocol_version = "HTTP/1.1"  # keep-alive, as real sites do
    # Headers and body go out in two writes; with Nagle on, keep-alive stalls 40 ms per request.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.server.verbose:
            super().log_message(format, *args)

    def _serve(self, *, send_body: bool) -> None:
        self.server.count_request()
        url_path = unquote(urlsplit(self.path).path)
        if url_path == SEARCH_PATH:
            self._search(send_body=send_body)
            return
        found = self.server.resolve(url_path)
        if found is None:
            self._send(
                HTTPStatus.NOT_FOUND,
                b"<h1>404 Not Found</h1>",
                "text/html; charset=utf-8",
                send_body=send_body,
            )
            return
        file_path, key = found
        body = file_path.read_bytes()
        if file_path.suffix == ".xml":
            body = body.replace(b"{base}", self.server.base_url.encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        content_type = (
            _content_types().get(key)
            or _TEXT_TYPES.get(file_path.suffix)
            or (mimetypes.guess_type(file_path.name)[0] or "application/octet-stream")
        )
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED, "Cache-Control": "max-age=60"}
        if self._not_modified(etag):
            self._send(HTTPStatus.NOT_MODIFIED, b"", None, headers, send_body=False)
            return
        self._send(HTTPStatus.OK, body, content_type, headers, send_body=send_body)

    def _search(self, *, send_body: bool) -> None:
        from zhibao.runs.demo_search import search_answer

        self.server.count_search()
        params = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        status, body = search_answer(params, self.server.base_url)
        ctype = "application/json" if status == 200 else "text/html; charset=utf-8"
        self._send(HTTPStatus(status), body, ctype, send_body=send_body)

    def _not_modified(self, etag: str) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {t.strip() for t in if_none_match.split(",")}
            return etag in tags or "*" in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                return parsedate_to_datetime(if_modified_since) >= _LAST_MODIFIED_DT
            except (TypeError, ValueError):
                return False
        return False

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str | None,
        headers: dict[str, str] | None = None,
        *,
        send_body: bool,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)


class DemoServer(ThreadingHTTPServer):
    """``ThreadingHTTPServer`` over a snapshot directory; ``base_url`` once bound."""

    daemon_threads = True

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, root: Path = WWW_DIR, verbose: bool = False
    ):
        super().__init__((host, port), _Handler)
        self.root = root.resolve()
        self.verbose = verbose
        self.requests = 0
        self.searches = 0  # answers of the SearXNG-shaped endpoint
        self._lock = threading.Lock()
        self.base_url = f"http://{host}:{self.server_address[1]}"

    def count_request(self) -> None:
        with self._lock:
            self.requests += 1

    def count_search(self) -> None:
        with self._lock:
            self.searches += 1

    def resolve(self, url_path: str) -> tuple[Path, str] | None:
        """The file for a URL path and its key in headers.yaml; ``None`` for 404."""
        found = self._resolve(self.root, url_path)
        if found is None and self.root == WWW_DIR.resolve():
            found = self._resolve(SEARCH_ONLY_DIR.resolve(), url_path)  # pages only search finds
        return found

    @staticmethod
    def _resolve(root: Path, url_path: str) -> tuple[Path, str] | None:
        candidate = (root / url_path.lstrip("/")).resolve()
        if not candidate.is_relative_to(root):  # no escaping the snapshot with ../
            return None
        if candidate.is_dir():
            candidate = next(
                (candidate / n for n in _INDEX_NAMES if (candidate / n).is_file()), candidate
            )
        if not candidate.is_file():
            return None
        return candidate, "/" + candidate.relative_to(root).as_posix()


@contextmanager
def serve_demo_sites(port: int = 0, *, verbose: bool = False) -> Iterator[str]:
    """Serve the demo sites on 127.0.0.1 in a background thread; yields the base URL."""
    server = DemoServer(port=port, verbose=verbose)
    thread = threading.Thread(target=server.serve_forever, name="zhibao-demo-server", daemon=True)
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m zhibao.runs.demo_server",
        description="在本机回环地址上提供演示站点 (serve the demo sites)",
    )
    parser.add_argument("--port", type=int, default=8765, help="端口（0 表示随机）")
    parser.add_argument("--quiet", action="store_true", help="不打印访问日志")
    args = parser.parse_args(argv)
    server = DemoServer(port=args.port, verbose=not args.quiet)
    print(f"演示站点：{server.base_url}/index.html  （Ctrl+C 停止）", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
