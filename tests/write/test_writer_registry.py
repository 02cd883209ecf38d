"""Writers by name: the built-in ones, and a third party's installed through an entry point."""

from __future__ import annotations

import sys
import textwrap
from datetime import date

import pytest

from zhibao.core.errors import ZhibaoError
from zhibao.runs.briefing import make_brief
from zhibao.write import Writer, available_writers, get_writer

PLUGIN = "zhibao_test_writer_plugin"


def install(site, monkeypatch, *, module: str, source: str, entry_points: str) -> None:
    """A distribution on disk as pip leaves it: a module and a ``*.dist-info`` beside it."""
    site.mkdir(exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{module}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {module}\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points), encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    install(
        tmp_path / "site",
        monkeypatch,
        module=PLUGIN,
        source='''
            from zhibao.write.extractive import ExtractiveWriter


            class MyWriter(ExtractiveWriter):
                """A third party's writer: the extractive text, under its own name."""

                name = "myname"

                def report_lines(self):
                    return ["我的写作器：已撰写"]


            class NotAWriter:
                name = "stray"
        ''',
        entry_points="""
            [zhibao.writers]
            myname = zhibao_test_writer_plugin:MyWriter
            stray = zhibao_test_writer_plugin:NotAWriter
            broken = zhibao_test_writer_plugin:Missing
        """,
    )
    yield
    sys.modules.pop(PLUGIN, None)


def test_built_in_writers_are_writers():
    assert available_writers()[:2] == ["extractive", "llm"]
    assert all(isinstance(get_writer(name), Writer) for name in ("extractive", "llm"))


def test_an_installed_writer_is_found_by_name_and_writes_the_brief(
    plugin, store, profile, brand, sources
):
    assert "myname" in available_writers()
    writer = get_writer("myname")
    assert isinstance(writer, Writer) and writer.name == "myname"
    run = make_brief(
        date(2026, 5, 25),
        store=store,
        profile=profile,
        brand=brand,
        sources=sources,
        writer="myname",
    )
    assert run.check.ok and {s.writer for s in run.brief.sections} == {"myname"}
    assert "我的写作器：已撰写" in run.lines()  # its report reaches the run report


def test_unknown_writer_lists_built_in_and_installed(plugin):
    with pytest.raises(ZhibaoError, match="未知的写作器") as error:
        get_writer("gpt")
    assert all(name in str(error.value) for name in ("extractive", "llm", "myname"))


def test_an_installed_object_that_is_no_writer_is_refused_by_name(plugin):
    with pytest.raises(ZhibaoError, match="'stray' 不是 zhibao.write.Writer"):
        get_writer("stray")
    with pytest.raises(ZhibaoError, match="'broken' 无法加载.*Missing"):
        get_writer("broken")
