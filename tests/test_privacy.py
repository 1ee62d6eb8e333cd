"""Hidden, pending and private content stays where it belongs, whichever way it is read."""
from __future__ import annotations

import re

from starlette.testclient import TestClient
from test_organiser import post, rapporteur_of, sign_in
from web_helpers import csrf_token, join, room_id

CODE = "K7MPQ2"


def api_member(client, name="Ana", named=False):
    response = client.post("/api/v1/rooms/join", json={"code": CODE, "name": name, "organisation": "Org",
                                                       "sector": "health", "country": "BE", "named_in_results": named})
    data = response.json()
    return data, {"Authorization": f"Bearer {data['token']}"}


def test_replayed_events_and_the_event_log_drop_text_a_moderator_hid(client):
    org = sign_in(TestClient(client.app))
    author, headers = api_member(client)
    comment = client.post(f"/api/v1/rooms/{author['room_id']}/comments", json={"text": "ABUSIVE TEXT"},
                          headers={**headers, "Idempotency-Key": "hide-me-0001"}).json()
    post(org, f"/moderation/comment/{comment['id']}/hide", {"reason": "Abuse"})
    reader, reader_headers = api_member(client, "Ben")
    log = client.get(f"/api/v1/rooms/{author['room_id']}/events?after=0", headers=reader_headers).text
    assert "ABUSIVE TEXT" not in log and '"comment_hidden"' in log
    with client.websocket_connect(f"/api/v1/rooms/{author['room_id']}/stream?after=0&token={reader['token']}") as ws:
        replayed = [ws.receive_json() for _ in range(4)]
    assert "ABUSIVE TEXT" not in repr(replayed)


def test_pending_contributions_cannot_be_decided_dotted_or_marked(client):
    org = sign_in(TestClient(client.app))
    org.post("/organiser/rooms", data={"csrf_token": csrf_token(org), "room_id": "1", "session_id": "1",
                                       "name": "Room A", "topic": "", "sections": ["1"], "dots": "5",
                                       "premoderation": "1"})
    rita, rid = rapporteur_of(client, CODE, org)
    author, headers = api_member(client)
    paragraph = client.get(f"/api/v1/rooms/{rid}", headers=headers).json()["sections"][0]["paragraphs"][0]["id"]
    amendment = client.post(f"/api/v1/rooms/{rid}/amendments", json={
        "paragraph_id": paragraph, "kind": "replace", "text": "SECRET PENDING TEXT", "rationale": "r"},
        headers={**headers, "Idempotency-Key": "pending-amend-1"}).json()
    comment = client.post(f"/api/v1/rooms/{rid}/comments", json={"text": "PENDING COMMENT"},
                          headers={**headers, "Idempotency-Key": "pending-comm-1"}).json()
    assert amendment["visibility"] == comment["visibility"] == "pending"
    assert post(rita, f"/amendments/{amendment['id']}/decision", {"decision": "accept"}).status_code == 409
    assert post(rita, f"/comments/{comment['id']}/taken", {"taken": "1"}).status_code == 404
    post(rita, f"/rooms/{rid}/phase", {"phase": "voting"})
    other = TestClient(client.app)
    join(other, CODE, name="Dot Placer")
    assert post(other, f"/rooms/{rid}/dots", {"target_type": "comment", "target_id": comment["id"],
                                              "dots": "1"}).status_code == 404
    page = other.get(f"/rooms/{rid}").text
    assert "SECRET PENDING TEXT" not in page and "PENDING COMMENT" not in page


def test_rapporteurs_cannot_export_hidden_text(client):
    org = sign_in(TestClient(client.app))
    rita, rid = rapporteur_of(client, CODE, org)
    author, headers = api_member(client)
    comment = client.post(f"/api/v1/rooms/{rid}/comments", json={"text": "HIDDEN FROM RAPPORTEURS"},
                          headers={**headers, "Idempotency-Key": "hidden-csv-1"}).json()
    post(org, f"/moderation/comment/{comment['id']}/hide", {"reason": "x"})
    assert "HIDDEN FROM RAPPORTEURS" not in rita.get(f"/rooms/{rid}/export/comments.csv?hidden=1").text
    assert "HIDDEN FROM RAPPORTEURS" in org.get(f"/rooms/{rid}/export/comments.csv?hidden=1").text


def test_anonymous_rooms_hide_names_signed_before_and_published_results_need_consent(client):
    org = sign_in(TestClient(client.app))
    signer, headers = api_member(client, "Carol Undercover", named=False)
    client.post(f"/api/v1/rooms/{signer['room_id']}/comments", json={"text": "Signed", "attribution": "name"},
                headers={**headers, "Idempotency-Key": "signed-name-1"})
    reader, reader_headers = api_member(client, "Dan")
    listed = client.get(f"/api/v1/rooms/{signer['room_id']}/comments", headers=reader_headers).json()["comments"]
    assert listed[0]["author"].startswith("Carol Undercover")   # she signed with her name
    org.post("/organiser/rooms", data={"csrf_token": csrf_token(org), "room_id": "1", "session_id": "1",
                                       "name": "Room A", "topic": "", "sections": ["1", "2"], "dots": "5",
                                       "anonymous": "1"})
    listed = client.get(f"/api/v1/rooms/{signer['room_id']}/comments", headers=reader_headers).json()["comments"]
    assert "Carol" not in listed[0]["author"]


def test_a_published_document_names_only_those_who_agreed(client):
    org = sign_in(TestClient(client.app))
    rita, rid = rapporteur_of(client, CODE, org)
    author, headers = api_member(client, "Carol Undercover", named=False)
    paragraph = client.get(f"/api/v1/rooms/{rid}", headers=headers).json()["sections"][0]["paragraphs"][0]["id"]
    amendment = client.post(f"/api/v1/rooms/{rid}/amendments", json={
        "paragraph_id": paragraph, "kind": "delete", "rationale": "r", "attribution": "name"},
        headers={**headers, "Idempotency-Key": "consent-amend-1"}).json()
    post(rita, f"/amendments/{amendment['id']}/decision", {"decision": "accept"})
    token = client.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                     "password": "brussels-demo-2024"}).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    made = client.post("/api/v1/documents/1/consolidations", headers=bearer).json()
    assert client.post(f"/api/v1/documents/1/consolidations/{made['version']}/publish",
                       headers=bearer).status_code == 200
    response = TestClient(client.app).get(f"/api/v1/documents/1/consolidations/{made['version']}")
    assert response.status_code == 200
    deleted = next(p for p in response.json()["paragraphs"] if p["status"] == "deleted")
    assert deleted["provenance"]["amendments"][0]["author"] == "Health services, BE"
    assert "Carol Undercover" not in response.text and "Rita" not in response.text


def test_the_setup_page_renders_no_link_from_the_address_bar(client):
    org = sign_in(TestClient(client.app))
    page = org.get("/organiser/setup?invite=javascript:alert(document.cookie)").text
    assert "javascript:" not in page
    assert re.search(r"Set-up", page)


def test_room_ids_too_large_for_the_database_are_not_found(client):
    rid = room_id(join(client, CODE))
    assert client.get("/rooms/99999999999999999999999").status_code == 404
    assert client.get(f"/rooms/{rid}/qr.svg").status_code == 200
