"""Diagrams as a person gets them: ``katalog diagram``, ``/api/v1/diagrams/{view}.{format}``
and the pages that show them inline, on the demo city.

Every view renders with the WebAssembly Graphviz (what a fresh machine has) and with the
system Graphviz (``system_graphviz`` tests: skipped without ``dot``, required in CI).
"""

from __future__ import annotations

import html
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session
from typer.testing import CliRunner

from catalog.cli import app
from catalog.db import make_engine
from catalog.models import AnalysisFinding, Application, Instansi, Organisation, Relation
from catalog.services import update_item
from catalog.services.analysis import refresh
from catalog.services.context import Actor
from tests_support import bearer, client_for, make_user

runner = CliRunner()
HAS_DOT = shutil.which("dot") is not None
REQUIRE_DOT = os.environ.get("KATALOG_REQUIRE_GRAPHVIZ") == "1"


@pytest.fixture(scope="module")
def city(demo_city_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The demo city, analysed once, and the items the tests draw around."""
    path = tmp_path_factory.mktemp("diagrams") / "city.sqlite3"
    shutil.copyfile(demo_city_template, path)
    url = f"sqlite:///{path}"
    eng = make_engine(url)
    with Session(eng) as s:
        place = s.execute(select(Instansi).where(Instansi.kind == "kota")).scalar_one()
        refresh(s, [place.id])
        # The application with the most relations, and the unit owning the most applications.
        busiest = s.execute(
            select(Application)
            .join(Relation, Relation.source_id == Application.id)
            .where(Relation.source_kind == "application", Application.instansi_id == place.id)
            .group_by(Application.id)
            .order_by(func.count().desc(), Application.id)
            .limit(1)
        ).scalar_one()
        owner_id = s.execute(
            select(Application.owner_id)
            .where(Application.instansi_id == place.id)
            .group_by(Application.owner_id)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()
        unit = s.get(Organisation, owner_id)
        cluster = s.execute(
            select(AnalysisFinding)
            .where(AnalysisFinding.family == "duplicate", AnalysisFinding.instansi_id == place.id)
            .order_by(AnalysisFinding.id)
            .limit(1)
        ).scalar_one()
        world = {
            "url": url,
            "engine": eng,
            "instansi": place.code,
            "app": busiest,
            "opd": unit.code,  # type: ignore[union-attr]
            "cluster": cluster.id,
            "cluster_page": f"/temuan/{place.code}/{cluster.key_hash}",
        }
    yield world
    eng.dispose()


def view_args(city: Any, view: str) -> list[str]:
    app_ref = f"application:{city['app'].code}"
    return {
        "context": ["--item", app_ref, "--depth", "2"],
        "landscape": ["--opd", city["opd"]],
        "integration": [],
        "layers": ["--opd", city["opd"]],
        "duplicates": ["--finding", str(city["cluster"])],
        "impact": ["--item", app_ref],
        "coverage": ["--scheme", "RAA"],
        "aggregate": [],
    }[view]


def draw(city: Any, *args: str) -> Any:
    return runner.invoke(app, ["--database", city["url"], "diagram", *args])


VIEWS = ["context", "landscape", "integration", "layers", "duplicates", "impact", "coverage"]
VIEWS.append("aggregate")
RENDERERS = [
    "wasm",
    pytest.param(
        "system",
        id="system_graphviz",
        marks=pytest.mark.skipif(
            not HAS_DOT and not REQUIRE_DOT,
            reason="Graphviz sistem tidak terpasang (apt-get install graphviz); CI memasangnya",
        ),
    ),
]


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("view", VIEWS)
def test_every_view_renders_for_the_demo_city(
    city: Any, view: str, renderer: str, tmp_path: Path
) -> None:
    out = tmp_path / f"{view}.svg"
    result = draw(
        city, view, "--instansi", city["instansi"], *view_args(city, view),
        "--renderer", renderer, "--output", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    assert "Legenda" in svg  # every view carries its legend
    assert f"({renderer}/" in result.output  # the renderer asked for drew it
    if view in ("context", "impact"):
        assert city["app"].name in html.unescape(svg)
    if view not in ("coverage", "aggregate") and "diringkas" not in svg:
        # Drawn item by item: the nodes link to the item pages.
        assert 'href="/aplikasi/' in svg


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG"), ("pdf", b"%PDF"), ("dot", b"")])
def test_png_pdf_and_dot(city: Any, fmt: str, magic: bytes, renderer: str, tmp_path: Path) -> None:
    out = tmp_path / f"landscape.{fmt}"
    result = draw(
        city, "landscape", "--opd", city["opd"], "--format", fmt,
        "--renderer", renderer, "--output", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(magic) and len(data) > 200
    if fmt == "dot":
        assert data.lstrip().startswith(b"digraph")


def test_default_file_name_and_standard_output(
    city: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = draw(city, "landscape", "--opd", city["opd"], "--format", "dot")
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"landscape-{city['instansi']}-{city['opd']}.dot").exists()
    result = draw(city, "landscape", "--opd", city["opd"], "--format", "dot", "--output", "-")
    assert result.exit_code == 0 and "digraph" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["context"], "memerlukan --item"),
        (["landscape"], "memerlukan --opd"),
        (["context", "--item", "application:TIDAK-ADA"], "tidak ditemukan"),
        (["context", "--item", "APL-0001"], "JENIS:KODE"),
        (["context", "--item", "kapal:APL-0001"], "Jenis item 'kapal' tidak dikenal"),
        (["landscape", "--opd", "999999999"], "999999999"),
        (["coverage", "--scheme", "XYZ"], "Skema referensi 'XYZ'"),
    ],
)
def test_bad_requests_get_a_clear_message(city: Any, args: list[str], expected: str) -> None:
    result = draw(city, *args)
    assert result.exit_code == 1
    assert expected in result.output
    assert "Error:" in result.output  # the English line follows the Indonesian one


def test_help_explains_the_views() -> None:
    result = runner.invoke(app, ["diagram", "--help"])
    assert result.exit_code == 0
    for view in VIEWS:
        assert view in result.output


def test_api_draws_with_links_tooltips_and_download_names(city: Any) -> None:
    a = city["app"]
    with client_for(city["engine"]) as c:
        answer = c.get(f"/api/v1/diagrams/context.svg?item=application:{a.code}")
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("image/svg+xml")
        svg = answer.text
        assert f'href="/aplikasi/{a.id}"' in svg  # nodes link to the item's page
        assert "<title>" in svg or "xlink:title" in svg  # and carry a tooltip
        assert answer.headers["x-diagram-aggregated"] == "false"
        down = c.get(f"/api/v1/diagrams/context.png?item=application:{a.code}&download=1")
        assert down.status_code == 200 and down.content.startswith(b"\x89PNG")
        disposition = down.headers["content-disposition"]
        assert disposition.startswith("attachment") and f"{a.code}.png" in disposition
        bad = c.get("/api/v1/diagrams/peta.svg")
        assert bad.status_code == 422
        assert "Diagram 'peta' tidak dikenal" in bad.json()["message"]
        assert bad.json()["message_en"].startswith("Unknown diagram 'peta'")
        fmt = c.get(f"/api/v1/diagrams/context.gif?item=application:{a.code}")
        assert fmt.status_code == 422 and "gif" in fmt.json()["message"]


def test_what_a_reader_may_not_see_is_not_drawn(city: Any, tmp_path: Path) -> None:
    # A private copy: marking an application internal must not leak into other tests.
    path = tmp_path / "city.sqlite3"
    shutil.copyfile(city["url"].removeprefix("sqlite:///"), path)
    eng = make_engine(f"sqlite:///{path}")
    with Session(eng) as s:
        place = s.execute(select(Instansi).where(Instansi.code == city["instansi"])).scalar_one()
        secret = (
            s.execute(
                select(Application)
                .where(Application.instansi_id == place.id, Application.owner_id.is_not(None))
                .order_by(Application.id)
            )
            .scalars()
            .first()
        )
        assert secret is not None
        unit = s.get(Organisation, secret.owner_id)
        update_item(
            s, Actor(name="uji", source="test"), "application", secret.id,
            {"is_internal": True}, expected_version=secret.version,
        )  # fmt: skip
        name, opd, place_id = secret.name, unit.code, place.id  # type: ignore[union-attr]
    _, token = make_user(eng, "arsitek", "arsitek", instansi_id=place_id)
    url = f"/api/v1/diagrams/landscape.svg?opd={opd}"
    with client_for(eng) as c:
        public = c.get(url)
        inside = c.get(url, headers=bearer(token))
    eng.dispose()
    assert public.status_code == inside.status_code == 200, public.text
    # Graphviz writes text with character references (e&#45;Kelurahan).
    assert name in html.unescape(inside.text)
    assert name not in html.unescape(public.text)


def page(client: Any, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.text[-1500:])
    return html.unescape(answer.text)


def test_pages_show_the_relevant_diagram_with_download_links(city: Any) -> None:
    a, inst = city["app"], city["instansi"]
    with client_for(city["engine"]) as c:
        with Session(city["engine"]) as s:
            unit = s.execute(
                select(Organisation).where(Organisation.code == city["opd"])
            ).scalar_one()
        shown = {
            f"/aplikasi/{a.id}": "/api/v1/diagrams/context.svg?",
            f"/aplikasi/{a.id}/dampak": "/api/v1/diagrams/impact.svg?",
            f"/opd/{unit.id}": "/api/v1/diagrams/landscape.svg?",
            f"/temuan/integrasi?instansi={inst}": "/api/v1/diagrams/integration.svg?",
            city["cluster_page"]: "/api/v1/diagrams/duplicates.svg?",
            f"/?instansi={inst}": "/api/v1/diagrams/aggregate.svg?",
            f"/referensi?scheme=RAA&instansi={inst}": "/api/v1/diagrams/coverage.svg?",
        }
        for url, src in shown.items():
            text = page(c, url)
            assert f'<object data="{src}' in text, url
            for fmt in ("png", "pdf", "dot"):
                assert src.replace(".svg?", f".{fmt}?") in text, (url, fmt)
            # The diagram the page embeds is drawn.
            start = text.index(f'<object data="{src}') + len('<object data="')
            embedded = text[start : text.index('"', start)]
            answer = c.get(embedded)
            assert answer.status_code == 200, (url, embedded, answer.text[-500:])
            assert "</svg>" in answer.text


def test_a_national_system_is_drawn_within_an_instansi(city: Any, tmp_path: Path) -> None:
    """SRIKANDI belongs to a central instansi but is part of every instansi's picture."""
    out = tmp_path / "srikandi.dot"
    result = draw(
        city, "impact", "--instansi", city["instansi"], "--item", "application:SRIKANDI",
        "--format", "dot", "--output", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "SRIKANDI" in out.read_text(encoding="utf-8")


def test_the_city_integration_map_is_summarised_and_leads_to_each_opd(city: Any) -> None:
    """250 applications around one SPL are unreadable one by one: the instansi's map is
    drawn per OPD, each box opening that OPD's page; one OPD's map is drawn in full."""
    with client_for(city["engine"]) as c:
        whole = c.get(f"/api/v1/diagrams/integration.svg?instansi={city['instansi']}")
        one = c.get(f"/api/v1/diagrams/integration.svg?opd={city['opd']}")
    assert whole.status_code == one.status_code == 200
    assert whole.headers["x-diagram-aggregated"] == "true"
    assert 'href="/opd/' in whole.text
    assert one.headers["x-diagram-aggregated"] == "false"
    assert 'href="/aplikasi/' in one.text
