"""The diagram renderer as its callers see it: formats, layout boxes, errors, time limits,
cache, with the WebAssembly Graphviz (what a fresh machine has) and the system one
(skipped without ``dot``; CI sets KATALOG_REQUIRE_GRAPHVIZ=1 and installs it).
"""

from __future__ import annotations

import io
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from diagrams import render as renderer_module
from diagrams.render import (
    FORMATS,
    RenderError,
    RenderTimeout,
    available_renderers,
    clear_cache,
    inline_svg,
    layout,
    render,
)
from diagrams.render.errors import EngineTimedOut

HAS_DOT = shutil.which("dot") is not None
REQUIRE_DOT = os.environ.get("KATALOG_REQUIRE_GRAPHVIZ") == "1"
# Skipped without ``dot``, except where it is required (CI), where its absence fails.
needs_dot = pytest.mark.skipif(
    not HAS_DOT and not REQUIRE_DOT,
    reason="Graphviz sistem tidak terpasang (apt-get install graphviz); CI memasangnya "
    "/ system Graphviz ('dot') is not installed",
)
SYSTEM = pytest.param("system", id="system_graphviz", marks=needs_dot)
RENDERERS = [pytest.param("wasm", id="wasm"), SYSTEM]

LINKED = """digraph katalog {
  node [shape=box, fontname="Helvetica"];
  app [label="Aplikasi Kepegawaian", URL="/items/application/APL-0001",
       tooltip="Dikelola BKPSDM"];
  data [label="Data Pegawai", shape=cylinder];
  app -> data [label="menghasilkan"];
}"""


def dense(nodes: int) -> str:
    """A graph too tangled for ``dot`` to lay out quickly (three edges per node)."""
    edges = [f"n{i} -> n{(i * k + k * 13 + 17) % nodes};" for i in range(nodes) for k in (1, 7, 31)]
    return "digraph dense {\n" + "\n".join(edges) + "\n}"


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    clear_cache()


@pytest.mark.parametrize("renderer", RENDERERS)
def test_svg_keeps_labels_links_and_tooltips(renderer: str) -> None:
    drawn = render(LINKED, "svg", renderer=renderer)
    svg = drawn.data.decode("utf-8")
    assert "<svg" in svg
    assert "Aplikasi Kepegawaian" in svg
    assert 'xlink:href="/items/application/APL-0001"' in svg
    assert 'xlink:title="Dikelola BKPSDM"' in svg
    assert (drawn.format, drawn.media_type, drawn.renderer) == ("svg", "image/svg+xml", renderer)
    assert (drawn.engine, drawn.fell_back, drawn.cached) == ("dot", False, False)


def dark_pixels(png: bytes) -> int:
    histogram = Image.open(io.BytesIO(png)).convert("L").histogram()
    return sum(histogram[:128])


@pytest.mark.parametrize("renderer", RENDERERS)
def test_png_draws_the_text(renderer: str) -> None:
    # Same fixed-size box with and without a label: only the text can add dark pixels,
    # so this fails if the PNG conversion finds no font.
    box = 'digraph {{ a [shape=box, fixedsize=true, width=3, height=1, label="{}"] }}'
    with_text = render(box.format("Aplikasi Kepegawaian"), "png", renderer=renderer)
    without = render(box.format(""), "png", renderer=renderer)
    assert with_text.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert with_text.media_type == "image/png"
    assert dark_pixels(with_text.data) > dark_pixels(without.data) + 50


@pytest.mark.parametrize("renderer", RENDERERS)
def test_pdf(renderer: str) -> None:
    drawn = render(LINKED, "pdf", renderer=renderer)
    assert drawn.data.startswith(b"%PDF")
    assert drawn.media_type == "application/pdf"


def test_dot_format_is_the_source_itself() -> None:
    drawn = render(LINKED, "dot")
    assert drawn.data == LINKED.encode("utf-8")
    assert (drawn.renderer, drawn.media_type) == ("source", "text/vnd.graphviz; charset=utf-8")


@pytest.mark.parametrize("renderer", RENDERERS)
def test_layout_boxes_from_the_top_left(renderer: str) -> None:
    source = """digraph {
      top [shape=box, width=2, height=1];
      left; right;
      top -> left; top -> right;
    }"""
    boxes = layout(source, renderer=renderer)
    assert set(boxes) == {"top", "left", "right"}
    top, left, right = boxes["top"], boxes["left"], boxes["right"]
    # dot ranks downwards: with the origin at the top left, the root has the smallest y.
    assert top.y == 0 and top.y + top.height < left.y
    assert left.y == right.y and left.x + left.width <= right.x
    assert (top.width, top.height) == (144, 72)  # inches to points
    assert min(box.x for box in boxes.values()) == 0


@pytest.mark.parametrize("renderer", RENDERERS)
def test_syntax_error_carries_graphviz_message(renderer: str) -> None:
    with pytest.raises(RenderError) as caught:
        render("digraph { a -> ; }", renderer=renderer)
    error = caught.value
    assert not isinstance(error, RenderTimeout)
    assert error.message.startswith("Graphviz tidak dapat menggambar")
    assert error.message_en.startswith("Graphviz could not draw")
    # Graphviz's own words: the system build names the line, the WebAssembly one less.
    expected = "syntax error in line 1" if renderer == "system" else "Failed to parse DOT"
    assert expected in error.message and expected in error.message_en
    # The worker (or dot) still draws the next graph.
    assert b"<svg" in render("digraph { ok }", renderer=renderer).data


def test_unknown_format_engine_and_renderer_name_the_choices() -> None:
    with pytest.raises(RenderError) as caught:
        render(LINKED, "gif")
    assert "'gif'" in caught.value.message
    assert all(fmt in caught.value.message_en for fmt in FORMATS)
    assert str(caught.value) == caught.value.message  # Indonesian first
    with pytest.raises(RenderError, match=r"'spring'.*neato"):
        render(LINKED, engine="spring")
    with pytest.raises(RenderError, match=r"'cairo'.*wasm"):
        render(LINKED, renderer="cairo")


def test_without_system_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(renderer_module.system, "dot_path", lambda: None)
    assert available_renderers() == ["wasm"]
    assert render(LINKED, renderer="auto").renderer == "wasm"
    with pytest.raises(RenderError) as caught:
        render(LINKED, renderer="system")
    assert "tidak terpasang" in caught.value.message
    assert "not installed" in caught.value.message_en


@pytest.mark.parametrize("fmt,magic", [("png", b"\x89PNG"), ("pdf", b"%PDF")])
@needs_dot
def test_system_graphviz_without_a_format_plugin_converts_its_svg(
    fmt: str, magic: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A minimal Graphviz build (no cairo) answers -Tpng like this.
    fake = tmp_path / "dot"
    fake.write_text(
        "#!/bin/sh\n"
        'case "$2" in -Tpng|-Tpdf) echo \'Format: "png" not recognized. Use one of: svg\' >&2;'
        " exit 1;; esac\n"
        f'exec {shutil.which("dot") or "dot"} "$@"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setattr(renderer_module.system, "dot_path", lambda: str(fake))
    drawn = render(LINKED, fmt, renderer="system")
    assert drawn.data.startswith(magic)
    assert drawn.renderer == "system"


@needs_dot
def test_auto_prefers_system_graphviz() -> None:
    assert available_renderers() == ["system", "wasm"]
    assert render(LINKED).renderer == "system"


@pytest.mark.parametrize("renderer", RENDERERS)
def test_too_slow_graph_falls_back_or_times_out_and_the_renderer_recovers(
    renderer: str,
) -> None:
    try:
        drawn = render(dense(2000), "svg", renderer=renderer, time_limit=0.3)
    except RenderTimeout as exc:
        assert "0.3" in exc.message and "dot, sfdp" in exc.message_en
    else:
        # dot cannot lay this out in 0.3 s; only the fallback can have drawn it.
        assert (drawn.engine, drawn.fell_back) == ("sfdp", True)
    after = render('digraph { a [label="Sesudah"] }', renderer=renderer, time_limit=5)
    assert b"Sesudah" in after.data
    assert (after.engine, after.fell_back) == ("dot", False)


def test_no_fallback_engines_means_timeout() -> None:
    with pytest.raises(RenderTimeout):
        render(dense(2000), renderer="wasm", time_limit=0.3, fallback_engines=())
    with pytest.raises(RenderTimeout):
        layout(dense(2000), renderer="wasm", time_limit=0.3)


@pytest.mark.parametrize("renderer", RENDERERS)
def test_cache_returns_the_same_bytes(renderer: str) -> None:
    first = render(LINKED, "png", renderer=renderer)
    again = render(LINKED, "png", renderer=renderer)
    assert (first.cached, again.cached) == (False, True)
    assert again.data == first.data
    # Another format or engine is another drawing.
    assert render(LINKED, "svg", renderer=renderer).cached is False
    assert render(LINKED, "png", engine="neato", renderer=renderer).cached is False
    clear_cache()
    assert render(LINKED, "png", renderer=renderer).cached is False


def test_inline_svg_is_ready_for_a_page() -> None:
    svg = inline_svg(render(LINKED, renderer="wasm").data)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<!--" not in svg
    assert 'xlink:href="/items/application/APL-0001"' in svg
    assert 'xlink:title="Dikelola BKPSDM"' in svg


def test_renders_from_many_threads_at_once() -> None:
    sources = [f'digraph {{ n{i} [label="Simpul {i}"] }}' for i in range(12)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        drawn = list(pool.map(lambda source: render(source, renderer="wasm"), sources))
    for i, each in enumerate(drawn):
        assert f"Simpul {i}".encode() in each.data
    # Six threads share a pool no larger than the machine's cores.
    assert 1 <= renderer_module.wasm.pool.workers <= renderer_module.wasm.MAX_WORKERS


def test_fallback_and_timeout_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Which engine draws, and what is remembered, without waiting on a real layout:
    ``dot`` "needs" 5 s, ``sfdp`` 2 s."""
    needs = {"dot": 5.0, "sfdp": 2.0}
    calls: list[tuple[str, float]] = []

    def backend(source: str, format: str, engine: str, time_limit: float) -> bytes:
        calls.append((engine, time_limit))
        if time_limit < needs[engine]:
            raise EngineTimedOut(engine)
        return f"<svg>{engine}</svg>".encode()

    monkeypatch.setitem(renderer_module._BACKENDS, "wasm", backend)
    with pytest.raises(RenderTimeout):
        render(LINKED, renderer="wasm", time_limit=1)
    assert calls == [("dot", 1), ("sfdp", 1)]  # each engine gets the full limit
    # The same request with no more time is answered at once, without a layout.
    with pytest.raises(RenderTimeout):
        render(LINKED, renderer="wasm", time_limit=1)
    assert len(calls) == 2
    drawn = render(LINKED, renderer="wasm", time_limit=3)
    assert (drawn.data, drawn.engine, drawn.fell_back) == (b"<svg>sfdp</svg>", "sfdp", True)
    # A fallback drawn in 3 s serves requests allowing up to 3 s ...
    assert render(LINKED, renderer="wasm", time_limit=2).cached
    # ... but a request allowing more gives dot its chance.
    drawn = render(LINKED, renderer="wasm", time_limit=6)
    assert (drawn.engine, drawn.fell_back, drawn.cached) == ("dot", False, False)
    assert render(LINKED, renderer="wasm", time_limit=0.5).data == b"<svg>dot</svg>"
