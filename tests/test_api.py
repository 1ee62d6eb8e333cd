"""The v1 API in-process: the fixed paths, their rights, and JSON errors for bad input."""
from __future__ import annotations

import re

import pytest
from consult.api.openapi import DOCUMENT
from consult.api.routes import routes as api_routes
from starlette.routing import Route, WebSocketRoute

SLUG, CODE_A, CODE_B = "drug-violence-2024", "K7MPQ2", "R4XTN8"


def join(client, code=CODE_A, name="Ana", **extra):
    body = {"code": code, "name": name, "organisation": "Org", "sector": "research", "country": "DE", **extra}
    response = client.post("/api/v1/rooms/join", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    return data, {"Authorization": f"Bearer {data['token']}"}


def post(client, headers, room_id, text="A comment", key="api-key-0001", **extra):
    return client.post(f"/api/v1/rooms/{room_id}/comments", json={"text": text, **extra},
                       headers={**headers, "Idempotency-Key": key})


def test_events_rooms_and_documents_are_public_without_codes(client):
    events = client.get("/api/v1/events").json()["events"]
    assert [e["slug"] for e in events] == [SLUG] and events[0]["starts_on"] == "2024-11-26"
    rooms = client.get(f"/api/v1/events/{SLUG}/rooms").json()["rooms"]
    assert len(rooms) == 8 and all("code" not in r for r in rooms)
    assert {"id", "name", "session", "phase", "section_ids"} <= rooms[0].keys()
    documents = client.get(f"/api/v1/events/{SLUG}/documents").json()["documents"]
    assert [d["kind"] for d in documents] == ["monitoring_plan", "call_for_policies"]
    assert all(2 <= len(s["paragraphs"]) <= 4 for d in documents for s in d["sections"])
    assert client.get("/api/v1/events/nope/rooms").status_code == 404


def test_organisers_log_in_and_see_codes(client):
    bad = client.post("/api/v1/auth/login", json={"email": "organiser@example.org", "password": "wrong-password"})
    assert bad.status_code == 401 and bad.json()["error"] == "unauthorized"
    token = client.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                    "password": "brussels-demo-2024"}).json()["token"]
    rooms = client.get(f"/api/v1/events/{SLUG}/rooms", headers={"Authorization": f"Bearer {token}"}).json()["rooms"]
    assert CODE_A in {r["code"] for r in rooms}
    room = client.get(f"/api/v1/rooms/{rooms[0]['id']}", headers={"Authorization": f"Bearer {token}"})
    assert room.status_code == 200 and room.json()["sections"][0]["paragraphs"][0]["text"]


def test_join_read_post_support_and_the_event_log(client):
    ana, headers = join(client)
    room = client.get(f"/api/v1/rooms/{ana['room_id']}", headers=headers).json()
    paragraph_id = room["sections"][0]["paragraphs"][0]["id"]
    created = post(client, headers, ana["room_id"], "On the definition", paragraph_id=paragraph_id)
    assert created.status_code == 201
    comment = created.json()
    assert comment["paragraph_id"] == paragraph_id and comment["author"] == "Research, DE"
    retry = post(client, headers, ana["room_id"], "On the definition", paragraph_id=paragraph_id)
    assert retry.status_code == 200 and retry.json()["id"] == comment["id"]
    reply = post(client, headers, ana["room_id"], "A reply", key="api-key-0002", parent_id=comment["id"]).json()
    assert reply["parent_id"] == comment["id"]

    ben, ben_headers = join(client, name="Ben")
    supported = client.put(f"/api/v1/comments/{comment['id']}/support", headers=ben_headers)
    assert supported.json() == {"comment_id": comment["id"], "support": 1, "supported": True}
    assert client.put(f"/api/v1/comments/{comment['id']}/support", headers=ben_headers).json()["support"] == 1
    listed = client.get(f"/api/v1/rooms/{ana['room_id']}/comments", headers=headers).json()["comments"]
    assert [(c["id"], c["support"]) for c in listed] == [(comment["id"], 1), (reply["id"], 0)]
    assert client.delete(f"/api/v1/comments/{comment['id']}/support", headers=ben_headers).json()["support"] == 0

    log = client.get(f"/api/v1/rooms/{ana['room_id']}/events?after=0", headers=headers).json()
    types = [e["type"] for e in log["events"]]
    assert types == ["member_joined", "comment_posted", "comment_posted", "member_joined",
                     "support_changed", "support_changed"]
    assert [e["seq"] for e in log["events"]] == list(range(1, 7)) and log["last_seq"] == 6
    later = client.get(f"/api/v1/rooms/{ana['room_id']}/events?after=4", headers=headers).json()
    assert [e["seq"] for e in later["events"]] == [5, 6]


def test_rights_other_rooms_and_unknown_ids(client):
    ana, headers = join(client)
    ben, ben_headers = join(client, CODE_B, name="Ben")
    comment = post(client, headers, ana["room_id"]).json()
    assert client.get(f"/api/v1/rooms/{ana['room_id']}", headers=ben_headers).status_code == 403
    assert client.get(f"/api/v1/rooms/{ana['room_id']}/comments", headers=ben_headers).status_code == 403
    assert post(client, ben_headers, ana["room_id"]).status_code == 403
    assert client.put(f"/api/v1/comments/{comment['id']}/support", headers=ben_headers).status_code == 403
    assert client.get(f"/api/v1/rooms/{ana['room_id']}/events", headers=ben_headers).status_code == 403
    assert client.get("/api/v1/rooms/999999", headers=headers).status_code == 404
    assert client.put("/api/v1/comments/999999/support", headers=headers).status_code == 404
    assert client.get(f"/api/v1/rooms/{ana['room_id']}").status_code == 401
    assert client.get(f"/api/v1/rooms/{ana['room_id']}", headers={"Authorization": "Bearer forged"}).status_code == 401


@pytest.mark.parametrize("body, status, field", [
    (b"{not json", 400, None),
    (b"[1, 2]", 400, None),
    (b'{"text": 5}', 422, "text"),
    (b'{"text": "x", "paragraph_id": "1"}', 422, "paragraph_id"),
    (b'{"text": "x", "paragraph_id": true}', 422, "paragraph_id"),
    (b'{"text": ""}', 422, "text"),
    (b'{"text": "x", "attribution": "boss"}', 422, "attribution"),
    (b'{"text": "' + b"x" * 70_000 + b'"}', 413, None),
])
def test_malformed_bodies_get_json_errors(client, body, status, field):
    ana, headers = join(client)
    response = client.post(f"/api/v1/rooms/{ana['room_id']}/comments", content=body,
                           headers={**headers, "Idempotency-Key": "bad-body-001", "Content-Type": "application/json"})
    assert response.status_code == status
    data = response.json()
    assert data["error"] and data["detail"]
    if field:
        assert field in data["fields"]


def test_posting_needs_an_idempotency_key_and_joining_needs_valid_details(client):
    ana, headers = join(client)
    response = client.post(f"/api/v1/rooms/{ana['room_id']}/comments", json={"text": "x"}, headers=headers)
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["fields"]
    bad = client.post("/api/v1/rooms/join", json={"code": CODE_A, "name": "", "sector": "spy", "country": "XX"})
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"name", "sector", "country"}
    assert client.post("/api/v1/rooms/join", json={"code": "NOPE"}).status_code == 404
    assert client.get("/api/v1/nothing/here").json()["error"] == "not_found"


def test_the_openapi_document_lists_exactly_the_api_routes(client):
    served = client.get("/api/v1/openapi.json").json()
    assert served == DOCUMENT
    documented = {(path, method) for path, ops in served["paths"].items() for method in ops}
    routed = set()
    for route in api_routes:
        path = re.sub(r":\w+}", "}", route.path)  # {room_id:id} is documented as {room_id}
        if "{rest}" in path or path.endswith("openapi.json"):
            continue
        methods = ["get"] if isinstance(route, WebSocketRoute) else \
            [m.lower() for m in route.methods if m != "HEAD"] if isinstance(route, Route) else []
        routed |= {(path, m) for m in methods}
    assert documented == routed


@pytest.mark.parametrize("method, path, body", [
    ("get", "/api/v1/rooms/99999999999999999999999", None),
    ("get", "/api/v1/rooms/1/events?after=99999999999999999999999", None),
    ("post", "/api/v1/rooms/1/comments", {"text": "x", "paragraph_id": 99999999999999999999999}),
    ("post", "/api/v1/rooms/1/comments", b'{"text": "\\ud800 lone surrogate"}'),
    ("put", "/api/v1/rooms/1/draft", {"base_version": 0, "paragraphs": [{"id": ["p1"], "text": 5}]}),
])
def test_out_of_range_ids_odd_text_and_wrong_types_get_clear_errors_not_500s(client, method, path, body):
    _, headers = join(client)
    payload = {} if body is None else {"content": body} if isinstance(body, bytes) else {"json": body}
    response = getattr(client, method)(path, headers={**headers, "Idempotency-Key": "odd-input-01",
                                                      "Content-Type": "application/json"}, **payload)
    assert response.status_code in (400, 403, 404, 422), response.text
    assert response.json()["error"]


def test_deeply_nested_json_is_a_bad_request(client):
    _, headers = join(client)
    response = client.post("/api/v1/rooms/1/comments", content=b"[" * 30000 + b"]" * 30000,
                           headers={**headers, "Idempotency-Key": "nested-json-1", "Content-Type": "application/json"})
    assert response.status_code in (400, 413) and response.json()["error"]


def test_the_next_write_refuses_a_revoked_token_a_renewed_link_and_a_removed_member(client):
    """A write looks its bearer up in its own transaction, so nothing remembered outlives a
    revocation, a renewed personal link or a removal: the very next post is refused."""
    from consult.moderation.service import remove_member
    from consult.people.actor import Actor
    from consult.people.models import Organiser
    from sqlalchemy import func, select

    login = client.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                    "password": "brussels-demo-2024"}).json()
    staff = {"Authorization": f"Bearer {login['token']}"}
    ana, ana_headers = join(client, name="Ana")
    bob, bob_headers = join(client, name="Bob")
    room_id = ana["room_id"]
    assert post(client, ana_headers, room_id, key="revoke-0001").status_code == 201
    assert post(client, bob_headers, room_id, key="revoke-0002").status_code == 201
    # An organiser who has not joined is known by the token, and refused as a non-member.
    assert post(client, staff, room_id, key="revoke-0003").status_code == 403

    token_id = client.get("/api/v1/auth/tokens", headers=staff).json()["tokens"][0]["id"]
    assert client.delete(f"/api/v1/auth/tokens/{token_id}", headers=staff).status_code == 204
    assert post(client, staff, room_id, key="revoke-0004").status_code == 401

    staff = {"Authorization": "Bearer " + client.post("/api/v1/auth/login", json={
        "email": "organiser@example.org", "password": "brussels-demo-2024"}).json()["token"]}
    renewed = client.post(f"/api/v1/participants/{ana['participant_id']}/link", headers=staff)
    assert renewed.status_code == 200
    assert post(client, ana_headers, room_id, key="revoke-0005").status_code == 401
    assert post(client, {"Authorization": f"Bearer {renewed.json()['token']}"}, room_id,
                key="revoke-0005").status_code == 201

    organiser_id = client.app.state.core.db.read(lambda session: session.scalar(select(func.min(Organiser.id))))
    client.app.state.core.db.write(remove_member, Actor(organiser_id=organiser_id), room_id,
                                   participant_id=bob["participant_id"], reason="Off topic")
    refused = post(client, bob_headers, room_id, key="revoke-0006")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"


def test_comments_and_amendments_keep_their_language_through_the_api(client):
    """A program posting for a Dutch speaker says so; left out, the author's interface language
    counts (the browser's, here French); a language the event does not know is refused."""
    joined, headers = join(client)
    room = joined["room_id"]
    paragraph = client.get(f"/api/v1/rooms/{room}", headers=headers).json()["sections"][0]["paragraphs"][0]["id"]
    said = post(client, headers, room, text="Buurtwerk hoort erbij.", paragraph_id=paragraph, language="nl")
    assert said.status_code == 201 and said.json()["language"] == "nl"
    unsaid = client.post(f"/api/v1/rooms/{room}/comments", json={"text": "Il faut les associer."},
                         headers={**headers, "Idempotency-Key": "api-key-0002", "Accept-Language": "fr"})
    assert unsaid.status_code == 201 and unsaid.json()["language"] == "fr"
    bad = post(client, headers, room, key="api-key-0003", language="xx")
    assert bad.status_code == 422 and "language" in bad.json()["fields"]
    listed = {c["text"]: c["language"] for c in client.get(f"/api/v1/rooms/{room}/comments", headers=headers).json()["comments"]}
    assert listed == {"Buurtwerk hoort erbij.": "nl", "Il faut les associer.": "fr"}
    amendment = client.post(f"/api/v1/rooms/{room}/amendments", headers={**headers, "Idempotency-Key": "api-key-0004"},
                            json={"paragraph_id": paragraph, "kind": "insert_after", "text": "Straßensozialarbeit zählt.",
                                  "rationale": "Sie kennt die Szene.", "language": "de"})
    assert amendment.status_code == 201 and amendment.json()["language"] == "de"
    assert [a["language"] for a in client.get(f"/api/v1/rooms/{room}/amendments", headers=headers).json()["amendments"]] == ["de"]
    schemas = DOCUMENT["paths"][f"/api/v1/rooms/{{room_id}}/comments"]
    assert "language" in schemas["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
