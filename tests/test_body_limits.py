"""Request bodies are refused past their limit while they stream, on the real server: a
200 MB POST, declared or not, is turned away without the server's memory growing."""
from __future__ import annotations

import http.client
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest_server import start_server

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from start_server(tmp_path_factory.mktemp("limits"))


def _server_pid(url: str) -> int:
    port = str(urlsplit(url).port)
    for child in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        for pid in child.read_text().split():
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"--port" in cmdline and port.encode() in cmdline:
                return int(pid)
    raise LookupError("the server process was not found")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LookupError("no VmRSS")


def _post(url: str, path: str, total: int, declare: bool) -> tuple[int, int]:
    """Send `total` bytes of JSON-ish body (declared or chunked); returns the status and how
    many bytes the server let us send before it answered."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    conn.putrequest("POST", path)
    conn.putheader("Content-Type", "application/json")
    if declare:
        conn.putheader("Content-Length", str(total))
    else:
        conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    chunk, sent = b"x" * MB, 0
    try:
        while sent < total:
            conn.send(chunk if declare else b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        if not declare:
            conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    status = conn.getresponse().status
    conn.close()
    return status, sent


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/organiser/login", "/rooms/1/comments"])
@pytest.mark.parametrize("declare", [True, False], ids=["declared", "chunked"])
def test_a_200_mb_post_is_refused_without_growing_the_server(server, path, declare):
    pid = _server_pid(server)
    before = _rss_mb(pid)
    status, sent = _post(server, path, 200 * MB, declare)
    after = _rss_mb(pid)
    print(f"\n{path} {'declared' if declare else 'chunked'}: {status}, {sent // MB} MB sent before the answer, "
          f"RSS {before:.0f} -> {after:.0f} MB")
    assert status == 413
    assert after - before < 20
    if declare:
        assert sent < 20 * MB, "a declared length over the limit is refused before the body is read"
