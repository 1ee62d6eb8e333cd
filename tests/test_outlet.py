"""A socket's outlet: what the hub and the socket's writer write through, whoever published the event."""
from __future__ import annotations

import asyncio

from consult import i18n
from consult.db import Committed
from consult.live.hub import Message
from consult.live.outlet import RAW_SEND, SocketOutlet


class FakeSocket:
    def __init__(self, sent: list):
        async def raw_send(message):
            sent.append(message["text"])
        self.scope = {RAW_SEND: raw_send}


def comment(seq: int) -> Message:
    return Message(Committed(1, seq, "comment_posted", {}, "2024-11-26T10:00:00"))


def render(message, role):
    return f"{i18n.current()}:{role}:{message.seq}"


def test_each_socket_gets_its_own_language_not_the_posters():
    sent = []

    async def scenario():
        with i18n.speaking("fr"):
            french = SocketOutlet(FakeSocket(sent), render, "participant")
        with i18n.speaking("nl"):
            dutch = SocketOutlet(FakeSocket(sent), render, "rapporteur")
        message = comment(1)
        with i18n.speaking("de"):   # the request that posted the comment
            await french.send(message)
            await dutch.send(message)
    asyncio.run(scenario())
    assert sent == ["fr:participant:1", "nl:rapporteur:1"]


def test_a_room_socket_sends_each_event_once_and_in_sequence():
    sent = []

    async def scenario():
        outlet = SocketOutlet(FakeSocket(sent), render, "participant", after=3)
        for seq in (2, 3, 4, 4, 5):
            await outlet.send(comment(seq))
    asyncio.run(scenario())
    assert [text.rsplit(":", 1)[1] for text in sent] == ["4", "5"]


def test_a_server_without_a_writable_flag_gets_no_direct_sends():
    outlet = SocketOutlet(FakeSocket([]), render, "participant")
    assert outlet.ready() is False


def test_a_message_is_rendered_once_per_role_and_language_however_many_sockets_it_goes_to():
    sent, renders = [], []

    def counted(message, role):
        renders.append((i18n.current(), role))
        return render(message, role)

    async def scenario():
        outlets = []
        for language, role in [("fr", "participant")] * 3 + [("fr", "rapporteur")] * 2 + [("nl", "participant")] * 2:
            with i18n.speaking(language):
                outlets.append(SocketOutlet(FakeSocket(sent), counted, role))
        message = comment(1)
        for outlet in outlets:
            await outlet.send(message)
    asyncio.run(scenario())
    assert sorted(renders) == [("fr", "participant"), ("fr", "rapporteur"), ("nl", "participant")]
    assert sent == ["fr:participant:1"] * 3 + ["fr:rapporteur:1"] * 2 + ["nl:participant:1"] * 2
