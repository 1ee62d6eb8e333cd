"""Sessions that end: the cookie is an opaque id for a row in the database, so signing out,
a password reset and "sign out everywhere" end sessions at once, also for a copy of the
cookie taken before; API tokens have a name, an expiry and a last use, and can be revoked;
a renewed personal link ends the old one."""
from __future__ import annotations

import datetime as dt

from consult import clock
from consult.accounts import organisers
from consult.people.models import ApiToken
from starlette.testclient import TestClient
from web_helpers import csrf_token, join, room_id

EMAIL, PASSWORD, CODE = "organiser@example.org", "brussels-demo-2024", "K7MPQ2"


def sign_in(client):
    response = client.post("/organiser/login", data={"csrf_token": csrf_token(client), "email": EMAIL,
                                                     "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303
    return client.cookies["consult_session"]


def browser(client, cookie=None):
    other = TestClient(client.app, base_url="http://testserver")
    if cookie:
        other.cookies.set("consult_session", cookie)
    return other


def is_organiser(client) -> bool:
    return client.get("/organiser", follow_redirects=False).status_code == 200


def test_the_cookie_is_an_opaque_id_not_readable_data(client):
    cookie = sign_in(client)
    assert len(cookie) == 43 and "." not in cookie and "oid" not in cookie
    assert is_organiser(client)


def test_a_cookie_copied_before_sign_out_opens_nothing_after(client):
    copied = sign_in(client)
    client.post("/organiser/logout", data={"csrf_token": csrf_token(client)})
    stale = browser(client, copied)
    assert not is_organiser(stale)
    assert stale.get("/organiser", follow_redirects=False).headers["location"].startswith("/organiser/login")


def test_a_participant_cookie_copied_before_their_link_is_renewed_opens_nothing(client):
    joined = join(client, CODE, "Copied Cookie")
    room = room_id(joined)
    copied = client.cookies["consult_session"]
    assert browser(client, copied).get(f"/rooms/{room}", follow_redirects=False).status_code == 200
    participant_id = client.app.state.core.db.read(
        lambda s: s.scalar(__import__("sqlalchemy").text("SELECT id FROM participants WHERE name = 'Copied Cookie'")))
    token = client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}).json()["token"]
    renewed = client.post(f"/api/v1/participants/{participant_id}/link", headers={"Authorization": f"Bearer {token}"})
    assert renewed.status_code == 200 and "/p/" in renewed.json()["link"]
    assert browser(client, copied).get(f"/rooms/{room}", follow_redirects=False).status_code == 403
    new_device = browser(client)
    assert new_device.get(f"/p/{renewed.json()['token']}", follow_redirects=False).status_code == 303
    assert new_device.get(f"/rooms/{room}", follow_redirects=False).status_code == 200


def test_sign_out_everywhere_ends_every_browser_of_that_organiser(client):
    laptop, phone = browser(client), browser(client)
    sign_in(laptop)
    sign_in(phone)
    assert is_organiser(laptop) and is_organiser(phone)
    response = laptop.post("/organiser/logout-everywhere", data={"csrf_token": csrf_token(laptop)},
                           follow_redirects=False)
    assert response.status_code == 303
    assert not is_organiser(laptop) and not is_organiser(phone)


def test_a_password_reset_ends_sessions_and_tokens(client):
    copied = sign_in(client)
    token = client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}).json()["token"]
    client.app.state.core.db.write(organisers.create_organiser, EMAIL, "a brand new password")
    assert not is_organiser(browser(client, copied))
    assert client.get("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_signing_in_gives_a_new_id(client):
    before = browser(client)
    before.get("/privacy")
    join(before, CODE, "Fixation")
    first = before.cookies["consult_session"]
    sign_in(before)
    assert before.cookies["consult_session"] != first
    assert not is_organiser(browser(client, first))


def test_api_tokens_are_named_expire_record_their_use_and_can_be_revoked(client):
    made = client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD, "name": "Load test",
                                                   "days": 2}).json()
    headers = {"Authorization": f"Bearer {made['token']}"}
    assert made["name"] == "Load test"
    assert dt.datetime.fromisoformat(made["expires_at"].rstrip("Z")) - clock.now() < dt.timedelta(days=2, minutes=1)
    listed = client.get("/api/v1/auth/tokens", headers=headers).json()["tokens"]
    mine = next(t for t in listed if t["id"] == made["id"])
    assert mine["last_used_at"] is not None and "token" not in mine
    other = client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}).json()
    assert client.delete(f"/api/v1/auth/tokens/{other['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {other['token']}"}).status_code == 401
    assert client.delete(f"/api/v1/auth/tokens/{other['id']}", headers=headers).status_code == 404
    assert client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD,
                                                   "days": 9999}).status_code == 422


def test_an_expired_api_token_opens_nothing(client):
    made = client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}).json()

    def expire(session):
        session.get(ApiToken, made["id"]).expires_at = clock.now() - dt.timedelta(seconds=1)
    client.app.state.core.db.write(expire)
    assert client.get("/api/v1/auth/tokens", headers={"Authorization": f"Bearer {made['token']}"}).status_code == 401


def test_signing_out_closes_the_dashboard_socket_and_a_stale_cookie_cannot_reopen_it(client):
    import pytest
    from starlette.websockets import WebSocketDisconnect
    copied = sign_in(client)
    with client.websocket_connect("/organiser/live") as socket:
        client.post("/organiser/logout", data={"csrf_token": csrf_token(client)})
        with pytest.raises(WebSocketDisconnect):
            while True:
                socket.receive_text()
    with pytest.raises(WebSocketDisconnect) as refused:
        with browser(client, copied).websocket_connect("/organiser/live") as socket:
            socket.receive_text()
    assert refused.value.code == 4403
