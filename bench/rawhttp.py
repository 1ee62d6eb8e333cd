"""The load generator's posts: HTTP/1.1 over kept-alive loopback connections, each request
written as bytes and each answer read by its Content-Length.

On a 2-core machine the generator shares the cores with the server it measures: httpx spent
0.65 ms of CPU per post here, about as much as the server it was loading, and so capped the
posts per second of the bare reference and ours alike. This client spends a fraction of that.
It speaks only what the bench needs: a request with a body, an answer with a Content-Length
(uvicorn sends one for every JSON response)."""
from __future__ import annotations

import asyncio


class RawHTTP:
    def __init__(self, host: str, port: int, connections: int):
        self.host, self.port = host, port
        self._idle: asyncio.Queue = asyncio.Queue()
        self._size = connections
        self._opened = 0

    async def __aenter__(self) -> "RawHTTP":
        return self

    async def __aexit__(self, *_exc) -> None:
        while not self._idle.empty():
            _reader, writer = self._idle.get_nowait()
            writer.close()

    async def _connection(self):
        if self._idle.empty() and self._opened < self._size:
            self._opened += 1
            return await asyncio.open_connection(self.host, self.port)
        return await self._idle.get()

    async def post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """The answer's status and body."""
        reader, writer = await self._connection()
        head = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        writer.write(f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(body)}\r\n{head}\r\n".encode() + body)
        answer = await reader.readuntil(b"\r\n\r\n")
        status = int(answer[9:12])
        at = answer.lower().find(b"content-length:")
        if at < 0:
            raise RuntimeError("an answer without a Content-Length: " + answer.decode(errors="replace"))
        length = int(answer[at + 15:answer.index(b"\r\n", at)])
        content = await reader.readexactly(length)
        self._idle.put_nowait((reader, writer))
        return status, content
