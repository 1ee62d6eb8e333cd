"""Registries that must agree with each other: event types, their live blocks, the API docs."""
from __future__ import annotations

import re

from consult.api.openapi import DOCUMENT
from consult.live.hub import NOTICE_KINDS
from consult.rooms.log import EVENT_TYPES
from consult.settings import ROOT


def test_every_room_event_type_has_a_live_block_and_is_documented():
    live = (ROOT / "templates" / "rooms" / "live.html").read_text()
    blocks = set(re.findall(r"{%\s*block\s+(\w+)", live))
    assert blocks == set(EVENT_TYPES) | set(NOTICE_KINDS)
    documented = DOCUMENT["paths"]["/api/v1/rooms/{room_id}/events"]["get"]["responses"]["200"]
    schema = documented["content"]["application/json"]["schema"]["properties"]["events"]["items"]
    assert schema["properties"]["type"]["enum"] == list(EVENT_TYPES)


def test_vendored_htmx_matches_its_checksums():
    import hashlib
    folder = ROOT / "static" / "vendor" / "htmx-4.0.1"
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_pages_load_nothing_from_outside():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r'(src|href)="(https?:)?//', text), template
