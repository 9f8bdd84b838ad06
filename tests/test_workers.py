"""A real server with two worker processes: a signed-in user stays signed in whichever
process answers (sessions live in signed cookies, not in a process's memory)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from tests_support import PASSWORD, fresh_sqlite, make_user


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = tmp_path / "workers.sqlite3"
    engine = fresh_sqlite(db)
    make_user(engine, "budi", "pimpinan")
    engine.dispose()
    port = free_port()
    env = {
        **os.environ,
        "KATALOG_DATABASE_URL": f"sqlite:///{db}",
        "KATALOG_DATA_DIR": str(tmp_path),
    }
    exe = Path(sys.executable).parent / "katalog"
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/api/v1/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_session_works_on_every_worker(server: str) -> None:
    with httpx.Client(base_url=server) as first:
        answer = first.post("/api/v1/auth/login", json={"username": "budi", "password": PASSWORD})
        assert answer.status_code == 200
        cookies = dict(first.cookies)
    seen: dict[str, str] = {}
    for _ in range(200):
        # A new connection each time, so that the kernel spreads them over both workers.
        with httpx.Client(base_url=server, cookies=cookies) as c:
            r = c.get("/api/v1/me")
            seen[r.headers["X-Katalog-Worker"]] = r.json()["username"]
        if len(seen) >= 2:
            break
    assert len(seen) == 2, f"only reached worker(s) {sorted(seen)}"
    assert set(seen.values()) == {"budi"}
