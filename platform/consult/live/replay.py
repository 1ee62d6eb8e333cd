"""What a client catching up is sent: the room's log after its last sequence, as it may be
shown now. A moderator may have hidden a comment or an amendment since its event was logged:
its text and author are taken out of what is replayed (the log row itself stays as written).

A replay may be thousands of events, so each keeps the JSON text it was stored as and is
parsed only when something needs its fields: the JSON stream sends most events by wrapping
that text (live/fragments.py), the page stream renders them, redaction reads the few it may
change."""
from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import bindparam, literal, select, union_all
from sqlalchemy.orm import Session

from consult.amendments.models import Amendment
from consult.contributions.models import Comment
from consult.jsontext import loads
from consult.rooms import log

# The events that can name a hidden comment or amendment in their payload.
NAMING = ("comment_posted", "amendment_proposed", "priorities_changed")


class Replayed:
    """A logged event on its way to a catching-up socket: what the hub's Committed carries,
    with `text`, the payload as stored (None once redacted: it no longer says what is sent)."""

    __slots__ = ("room_id", "seq", "type", "text", "created_at", "_payload")

    def __init__(self, room_id: int, seq: int, type: str, text: str | None, created_at: str):
        self.room_id, self.seq, self.type, self.text, self.created_at = room_id, seq, type, text, created_at
        self._payload: dict[str, Any] | None = None

    @property
    def payload(self) -> dict[str, Any]:
        if self._payload is None:
            self._payload = loads(self.text)
        return self._payload

    def redact(self, hidden: dict[str, set[int]]) -> None:
        payload = _redacted(self.type, self.payload, hidden)
        if payload is not self.payload:
            self._payload, self.text = payload, None


def missed(session: Session, room_id: int, after: int, limit: int) -> list[Replayed]:
    events = log.rows_after(session, room_id, after, limit, functools.partial(Replayed, room_id))
    hidden = _hidden(session, room_id)
    if any(hidden.values()):
        for event in events:
            if event.type in NAMING:
                event.redact(hidden)
    return events


def _hidden(session: Session, room_id: int) -> dict[str, set[int]]:
    """The room's comments and amendments not visible now: few, found by one statement built
    once, where asking about every id the replayed events name costs a parameter per event
    (and every reconnecting socket asks)."""
    hidden: dict[str, set[int]] = {"comment": set(), "amendment": set()}
    for kind, id in session.connection().execute(_HIDDEN, {"room": room_id}):
        hidden[kind].add(id)
    return hidden


_HIDDEN = union_all(*(select(literal(kind), table.c.id).where(table.c.room_id == bindparam("room"),
                                                             table.c.visibility != "visible")
                      for kind, table in (("comment", Comment.__table__), ("amendment", Amendment.__table__))))


def _redacted(type: str, payload: dict[str, Any], hidden: dict[str, set[int]]) -> dict[str, Any]:
    if type == "comment_posted" and payload["comment"]["id"] in hidden["comment"]:
        return dict(payload, comment=dict(payload["comment"], text=None, author="", visibility="hidden"))
    if type == "amendment_proposed" and payload["amendment"]["id"] in hidden["amendment"]:
        return dict(payload, amendment=dict(payload["amendment"], text=None, rationale=None, author="",
                                            visibility="hidden"))
    if type == "priorities_changed":
        ranking = [r for r in payload["ranking"] if r["id"] not in hidden[r["type"]]]
        if len(ranking) < len(payload["ranking"]):
            return dict(payload, ranking=ranking)
    return payload
