"""How a room socket is written to: straight through the server's own ASGI send.

A socket send through Starlette passes its state checks and two exception-handling wrappers
(the app's and the route's), per message per socket; the broadcast does not need them (it
handles a failed send itself), so RawSocketSend, the outermost middleware, keeps the
server's send in the socket's scope for the outlet to use. Authorisation is unchanged: the
socket route still checks who may connect before anything is sent.

A send is "ready" when it would complete without waiting on the client: uvicorn's protocols
keep an asyncio.Event that is clear while the connection's write buffer is over its high
water mark. A server without one gets no direct sends (every message goes through the
socket's queue), which is slower but as correct.

A live message to a ready socket is pushed, not awaited: the hub writes it to every such socket
of the room in one pass on the event loop, no task or wait per message per socket. Under
uvicorn's websockets-sansio protocol with no extension negotiated (the server runs without
per-message deflate), a server's text frame is the same bytes on every connection (server
frames are not masked), so it is built once per message, role and language and handed to each
socket's transport, as the protocol's own send would after building it again. Any other server,
or a socket no longer open, takes the writer's awaited send instead."""
from __future__ import annotations

import contextvars
from typing import Callable

from starlette.websockets import WebSocket
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import State

from consult import i18n
from consult.live.hub import Message

RAW_SEND = "consult.raw_send"
BATCH_BYTES = 256 * 1024


class RawSocketSend:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            scope[RAW_SEND] = send
        await self.app(scope, receive, send)


class SocketOutlet:
    """One socket's sends: each message rendered once per format, role and language (shared by
    every socket alike), and, for a room's stream, each logged event at most once and in
    sequence (`after` is the last sequence sent; None: no sequence to keep, the dashboard).

    The hub renders in whatever context published the event (the poster's request):
    the socket's own language and time zone, set when it connected, are kept in a copy of its
    context and rendered in."""

    def __init__(self, websocket: WebSocket, render: Callable[[Message, str], str], role: str,
                 after: int | None = None):
        self._send = websocket.scope.get(RAW_SEND) or websocket.send
        server = getattr(self._send, "__self__", None)
        writable = getattr(server, "writable", None)
        self.ready = writable.is_set if writable is not None else _never
        self._wire = _wire(server)
        self.key = (render, role, i18n.current())
        self._frame_key = (self.key, "frame")
        context = contextvars.copy_context()
        self._render = lambda message: context.run(render, message, role)
        self.after = after

    async def replay(self, events, batch: Callable[[list[str]], str] | None) -> None:
        """The log a client missed, in order: in messages of many events where its format has
        them (`batch` joins rendered events into one message), else one message each. A
        batch is kept under BATCH_BYTES, below the 1 MiB a websockets client takes by default."""
        if batch is None:
            # Rendered for this socket alone, not through the message's cache: a replayed event
            # is sent once, so keeping its rendering would only cost.
            for event in events:
                if event.seq <= self.after:
                    continue
                self.after = event.seq
                await self._send({"type": "websocket.send", "text": self._render(Message(event))})
            return
        texts, size = [], 0
        for event in events:
            if event.seq <= self.after:
                continue
            text = self._render(Message(event))
            texts.append(text)
            size += len(text)
            if size > BATCH_BYTES:
                await self._send({"type": "websocket.send", "text": batch(texts)})
                texts, size = [], 0
            self.after = event.seq
        if texts:
            await self._send({"type": "websocket.send", "text": batch(texts)})

    def _fresh(self, message: Message) -> bool:
        """Whether the message is still to be sent: a logged event goes once, in sequence."""
        seq = message.seq
        if seq is not None and self.after is not None:
            if seq <= self.after:
                return False  # already replayed
            self.after = seq
        return True

    def _text(self, message: Message) -> str:
        return message.render(self.key, self._render)

    def push(self, message: Message) -> bool:
        """Write the message now if that needs no wait; False leaves it to the writer's send."""
        wire = self._wire
        if wire is None or not self.ready() or not wire.open():
            return False
        if self._fresh(message):
            wire.write(message.render(self._frame_key, self._frame))
        return True

    def _frame(self, message: Message) -> bytes:
        return Frame(Opcode.TEXT, self._text(message).encode()).serialize(mask=False)

    async def send(self, message: Message) -> None:
        if self._fresh(message):
            await self._send({"type": "websocket.send", "text": self._text(message)})


class _Wire:
    """A uvicorn websockets-sansio connection's transport, for frames built elsewhere."""

    def __init__(self, server):
        self._server = server
        self.write = server.transport.write

    def open(self) -> bool:
        server = self._server
        return (server.conn.state is State.OPEN and not server.close_sent
                and not server.transport.is_closing())


def _wire(server) -> _Wire | None:
    if not isinstance(server, WebSocketsSansIOProtocol) or server.conn.extensions:
        return None
    return _Wire(server)


def _never() -> bool:
    return False
