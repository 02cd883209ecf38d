"""Settings of the web desk (``zhibao serve`` fills them from options and the environment)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["WebSettings"]


@dataclass
class WebSettings:
    """Where the desk reads from and how it behaves.

    >>> settings = WebSettings(database_url="sqlite:///zhibao.db", public_archive=True)
    """

    database_url: str | None = None  # default: $ZHIBAO_DATABASE_URL, else <data dir>/zhibao.db
    config_dir: Path | None = None  # default: $ZHIBAO_HOME, else ~/.zhibao
    data_dir: Path | None = None  # default: <config dir>/data (WARC archives under archive/)
    public_archive: bool = False  # anyone may read the archive of briefs and search it
    writer: str = "extractive"  # the writer used by "regenerate" and "include"
    # None: cookies are Secure exactly when the request came over HTTPS (behind a proxy,
    # run uvicorn with --proxy-headers so that X-Forwarded-Proto counts).
    secure_cookies: bool | None = None
