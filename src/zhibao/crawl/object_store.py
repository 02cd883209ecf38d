"""WARC files in an S3-compatible object store, shared by every machine of an installation.

``ZHIBAO_ARCHIVE_URL=s3://bucket/prefix`` turns it on: each WARC file is written locally as
today and uploaded to ``s3://bucket/prefix/<file name>`` when it is closed; references stay
``"<file name>#<record id>"``, so a reader finds the file locally or fetches it from the
bucket. ``ZHIBAO_S3_ENDPOINT_URL`` points at a non-AWS store (MinIO, Ceph, 阿里云 OSS,
腾讯云 COS…); credentials come from the standard ``AWS_ACCESS_KEY_ID`` /
``AWS_SECRET_ACCESS_KEY`` (or any other way boto3 finds them).

    >>> store = ObjectStore.parse("s3://zhibao-archive/warc")
    >>> store.key("run-00012.warc.gz")
    'warc/run-00012.warc.gz'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhibao.core.errors import ConfigError, ZhibaoError

__all__ = [
    "ARCHIVE_URL_ENV",
    "ENDPOINT_ENV",
    "ArchiveStoreError",
    "ObjectStore",
    "archive_store_from_env",
]

ARCHIVE_URL_ENV = "ZHIBAO_ARCHIVE_URL"
ENDPOINT_ENV = "ZHIBAO_S3_ENDPOINT_URL"
# Short: an unreachable store must not hold a run (or a desk page) for minutes.
_CONNECT_TIMEOUT_S = 3
_READ_TIMEOUT_S = 30
_ATTEMPTS = 2


class ArchiveStoreError(ZhibaoError):
    """The object store did not answer or refused (unreachable, no bucket, no credentials)."""


@dataclass(frozen=True)
class ObjectStore:
    """One bucket and key prefix of an S3-compatible store."""

    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None

    @classmethod
    def parse(cls, url: str, *, endpoint_url: str | None = None) -> ObjectStore:
        """``s3://bucket`` or ``s3://bucket/prefix``; anything else is a ``ConfigError``."""
        scheme, _, rest = url.strip().partition("://")
        bucket, _, prefix = rest.partition("/")
        if scheme != "s3" or not bucket:
            raise ConfigError(
                f"{ARCHIVE_URL_ENV}: 应为 s3://存储桶/前缀，如 s3://zhibao-archive/warc"
                f"（收到 {url!r}）(expected s3://bucket/prefix)"
            )
        return cls(bucket=bucket, prefix=prefix.strip("/"), endpoint_url=endpoint_url or None)

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def where(self, name: str) -> str:
        """The object's address as a person would look for it (with the endpoint, if any)."""
        at = f"（端点 {self.endpoint_url}）" if self.endpoint_url else ""
        return f"s3://{self.bucket}/{self.key(name)}{at}"

    def upload(self, path: Path) -> None:
        """Put the file at ``path`` under its own name; its size is checked after."""
        client = self._client()
        try:
            client.upload_file(str(path), self.bucket, self.key(path.name))
            stored = client.head_object(Bucket=self.bucket, Key=self.key(path.name))
        except Exception as exc:  # botocore's errors share no base class with boto3's
            raise self._error("上传", path.name, exc) from None
        if stored.get("ContentLength") != path.stat().st_size:
            raise ArchiveStoreError(f"{self.where(path.name)}: 上传后大小不符，未确认存档")

    def download(self, name: str, dest: Path) -> bool:
        """Fetch object ``name`` into ``dest`` (written whole, then renamed into place);
        False when the store has no such object."""
        client = self._client()
        partial = dest.with_name(f".{dest.name}.{os.getpid()}.part")
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            client.download_file(self.bucket, self.key(name), str(partial))
        except Exception as exc:
            partial.unlink(missing_ok=True)
            if _is_missing(exc):
                return False
            raise self._error("读取", name, exc) from None
        partial.replace(dest)
        return True

    def _client(self) -> Any:
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise ArchiveStoreError(
                f"{ARCHIVE_URL_ENV}={self.url} 需要 boto3：pip install 'zhibao[s3]' (boto3 missing)"
            ) from None
        config = Config(
            connect_timeout=_CONNECT_TIMEOUT_S,
            read_timeout=_READ_TIMEOUT_S,
            retries={"max_attempts": _ATTEMPTS, "mode": "standard"},
        )
        return boto3.client("s3", endpoint_url=self.endpoint_url, config=config)

    def _error(self, doing: str, name: str, exc: Exception) -> ArchiveStoreError:
        return ArchiveStoreError(
            f"无法{doing}存档 {self.where(name)}：{type(exc).__name__}: {exc}。"
            f"请检查对象存储是否可达（{ENDPOINT_ENV}）、存储桶 {self.bucket} 是否存在、"
            "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY 是否正确；"
            f"或去掉 {ARCHIVE_URL_ENV} 只用本地存档 (object store unreachable or refused)"
        )


def _is_missing(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound")


def archive_store_from_env() -> ObjectStore | None:
    """The object store ``$ZHIBAO_ARCHIVE_URL`` names (None: WARC files stay local only)."""
    url = os.environ.get(ARCHIVE_URL_ENV, "").strip()
    if not url:
        return None
    return ObjectStore.parse(url, endpoint_url=os.environ.get(ENDPOINT_ENV))
