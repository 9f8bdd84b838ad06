"""End to end in a real browser (Chromium driven by Playwright), against a real server.

Runs with JavaScript switched off, because every page must work without it. Skipped with
a reason when Playwright or Chromium is missing; CI sets KATALOG_REQUIRE_BROWSER=1 and
installs Chromium, so there the tests must run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests_support import PASSWORD, make_user

pytestmark = pytest.mark.browser
REQUIRE = os.environ.get("KATALOG_REQUIRE_BROWSER") == "1"
CHROMIUM = (
    os.environ.get("KATALOG_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)


def _missing(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"browser tests are required (KATALOG_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM:
        _missing("Chromium is not installed (apt-get install chromium, or set KATALOG_CHROMIUM)")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, demo_city_template: Path) -> Iterator[str]:
    work = tmp_path_factory.mktemp("browser")
    db = work / "katalog.sqlite3"
    shutil.copyfile(demo_city_template, db)
    from catalog.db import make_engine
    from catalog.kinds import KINDS
    from catalog.models import Organisation

    engine = make_engine(f"sqlite:///{db}")
    apps = KINDS["application"].model
    with Session(engine) as s:
        owner_id = (
            s.execute(select(apps.owner_id).where(apps.national_role == "none")).scalars().first()
        )
        unit = s.get(Organisation, owner_id)
    make_user(engine, "operator", "operator", organisation_id=unit.id)
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "KATALOG_DATABASE_URL": f"sqlite:///{db}", "KATALOG_DATA_DIR": str(work)}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "katalog"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx2 as httpx

        for _ in range(100):
            try:
                if httpx.get(f"{base}/api/v1/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    pg = context.new_page()
    yield pg
    context.close()


def test_browse_without_javascript(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    assert page.locator("h1").inner_text().startswith("Kota ")
    page.click("text=Aplikasi >> nth=0")
    assert page.url.endswith("/aplikasi")
    page.fill("#q", "antrian")
    page.click("form.filters button[type=submit]")
    assert "q=antrian" in page.url
    first = page.locator("table.items tbody tr td a").first
    name = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text().startswith(name)
    json_link = page.locator("link[rel=alternate][type='application/json']").get_attribute("href")
    assert json_link.startswith("/api/v1/applications/")
    page.click("text=English")
    assert "Details" in page.content() or "Classification" in page.content()


def test_register_an_application_through_the_forms(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/masuk")
    page.fill("#username", "operator")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    assert "Keluar" in page.content()
    page.goto(server + "/aplikasi/baru")
    page.fill("input[name=name]", "Sistem Informasi Uji Peramban")
    page.fill("textarea[name=description]", "Didaftarkan lewat uji peramban <b>tebal</b>")
    page.click("form.item-form button[type=submit], main form button[type=submit] >> nth=-1")
    if page.locator("#confirm_similar").count():
        page.check("#confirm_similar")
        page.click("main form button[type=submit] >> nth=-1")
    assert page.locator("h1").inner_text().startswith("Sistem Informasi Uji Peramban")
    assert "&lt;b&gt;tebal&lt;/b&gt;" in page.content()  # shown as text, not markup
    detail = page.url
    page.click("a[href$='/ubah']")
    page.fill("input[name=acronym]", "SIUP")
    page.click("main form button[type=submit] >> nth=-1")
    assert page.url.startswith(detail)
    page.click("a[href$='/riwayat']")
    history = page.content()
    assert "SIUP" in history and "Operator" in history


def test_diagram_on_an_item_page_links_to_its_neighbours(page, server) -> None:  # type: ignore[no-untyped-def]
    """The context diagram is drawn inside the page (no JavaScript) and its nodes are
    links: clicking a neighbour opens that item's page in the whole window."""
    page.goto(server + "/aplikasi")
    page.locator("table.items tbody tr td a").first.click()
    here = page.url
    diagram = page.locator("#diagram object")
    assert diagram.get_attribute("data").startswith("/api/v1/diagrams/context.svg?")
    page.wait_for_load_state("load")
    frames = [f for f in page.frames if "/api/v1/diagrams/context.svg" in f.url]
    assert frames, [f.url for f in page.frames]
    frame = frames[0]
    frame.wait_for_selector("svg")
    assert "Legenda" in frame.content()
    links = frame.locator("a")  # SVG links: <a xlink:href="/aplikasi/12">
    target = [links.nth(i).get_attribute("xlink:href") for i in range(links.count())]
    others = [i for i, href in enumerate(target) if href and not here.endswith(href)]
    assert others, target
    href = target[others[0]]
    links.nth(others[0]).locator("*").first.click()
    page.wait_for_url(server + href)
    assert page.locator("h1").count() == 1
