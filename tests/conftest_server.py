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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(data: Path, port: int, *args: str, **env_vars: str) -> subprocess.Popen:
    """`python run.py [args]` in a session of its own (so that its workers can be killed with
    it), on a fresh SQLite database in `data` (or what env_vars name); returns once it listens."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{data / 'live.db'}", "SECRET_KEY": "live-test-secret", **env_vars}
    with open(data / "server.log", "a") as log:
        proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "--port", str(port), "--log-level", "warning",
                                 *args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((data / "server.log").read_text())
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start in 30 s")


def start_server(data: Path, **env_vars: str):
    """The real server on a free port: a generator yielding its URL, then stopping it."""
    port = free_port()
    proc = launch(data, port, **env_vars)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
