"""Renderers by name: the built-in formats, and a third party's installed through an entry point."""

from __future__ import annotations

import sys
import textwrap

import pytest

from zhibao.core.errors import RenderError
from zhibao.render import FORMATS, available_renderers, get_renderer, output_path, render_brief

PLUGIN = "zhibao_test_renderer_plugin"


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """A distribution on disk as pip leaves it: a module and a ``*.dist-info`` beside it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / f"{PLUGIN}.py").write_text(
        textwrap.dedent(
            '''
            class TextRenderer:
                """A third party's format: the summary as plain text."""

                name = "myformat"
                suffix = ".txt"

                def render(self, brief):
                    return brief.summary.encode("utf-8")


            class NoRender:
                name = "stray"
            '''
        ),
        encoding="utf-8",
    )
    info = site / f"{PLUGIN}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {PLUGIN}\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[zhibao.renderers]\nmyformat = {PLUGIN}:TextRenderer\nstray = {PLUGIN}:NoRender\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(site))
    yield
    sys.modules.pop(PLUGIN, None)


def test_built_in_formats_come_first():
    assert available_renderers()[: len(FORMATS)] == list(FORMATS)
    assert get_renderer("md").suffix == ".md"


def test_an_installed_renderer_is_found_by_name(plugin, make_brief, tmp_path):
    assert "myformat" in available_renderers()
    brief = make_brief()
    assert get_renderer("myformat").render(brief) == brief.summary.encode("utf-8")
    paths = render_brief(brief, tmp_path / "out", formats=["myformat"])
    assert paths == [output_path(brief, tmp_path / "out", "myformat")]
    assert paths[0].name.endswith(".txt") and paths[0].read_text(encoding="utf-8") == brief.summary
    assert "myformat" not in FORMATS  # installed formats render only when asked for


def test_unknown_format_lists_built_in_and_installed(plugin):
    with pytest.raises(RenderError, match="未知的输出格式") as error:
        get_renderer("pptx")
    assert all(name in str(error.value) for name in (*FORMATS, "myformat"))


def test_an_installed_object_that_renders_nothing_is_refused(plugin):
    with pytest.raises(RenderError, match="'stray' 不是渲染器"):
        get_renderer("stray")
