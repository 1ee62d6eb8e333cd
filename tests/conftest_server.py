"""Starting the real server (run.py) for the socket and browser tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("TEST_DATABASE_URL")


def reset_postgres(url: str) -> None:
    """An empty public schema in the test database (TEST_DATABASE_URL: yours alone)."""
    from sqlalchemy import create_engine, text
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path, **env_vars: str):
    """`python run.py` itself, on a fresh SQLite database in `data` (or what env_vars name), on a
    free port; a generator yielding its URL, then stopping it."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{data / 'live.db'}", "SECRET_KEY": "live-test-secret", **env_vars}
    log = open(data / "server.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "--port", str(port), "--log-level", "warning"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((data / "server.log").read_text())
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("the server did not start in 30 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    log.close()
