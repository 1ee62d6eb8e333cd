"""Limits that cannot be dodged and input that cannot crash: the sign-in limit under one
normalisation of addresses, per network and per account; text no encoding can store refused
with 400 from every JSON and form field; and the small holes a security review found."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest
from consult.app import create_app
from consult.workbook import csv_value
from starlette.routing import Route
from starlette.testclient import TestClient
from web_helpers import HTMX, csrf_token, join, room_id

EMAIL, PASSWORD = "organiser@example.org", "brussels-demo-2024"
CODE_A, CODE_B = "K7MPQ2", "R4XTN8"


def send_json(client, method, url, body, headers=None):
    """JSON as a client may really send it: lone surrogates as \\u escapes."""
    return client.request(method, url, content=json.dumps(body).encode(),
                          headers={"Content-Type": "application/json", **(headers or {})})


def api_login(client, email, password):
    return send_json(client, "post", "/api/v1/auth/login", {"email": email, "password": password})


def test_whitespace_and_case_around_the_address_do_not_dodge_the_sign_in_limit(client):
    for _ in range(5):
        assert api_login(client, EMAIL, "wrong-password").status_code == 401
    assert api_login(client, EMAIL, PASSWORD).status_code == 429
    for variant in ("   organiser@example.org ", "Organiser@Example.ORG", "\u3000organiser@example.org"):
        assert api_login(client, variant, PASSWORD).status_code == 429, variant
    page = client.post("/organiser/login", data={"csrf_token": csrf_token(client), "email": f" {EMAIL.upper()}  ",
                                                 "password": PASSWORD}, follow_redirects=False)
    assert page.status_code == 429 and "Too many sign-in attempts" in page.text


def test_the_account_limit_holds_across_network_addresses(settings):
    from consult.cli import prepare
    prepare(settings).dispose()
    app = create_app(settings)
    with TestClient(app, client=("198.51.100.1", 1000)) as first, TestClient(app, client=("203.0.113.9", 1000)) as second:
        for _ in range(5):
            assert api_login(first, EMAIL, "wrong-password").status_code == 401
        assert api_login(second, EMAIL, PASSWORD).status_code == 429


def test_guessing_over_many_accounts_from_one_network_is_slowed_down(client):
    statuses = [api_login(client, f"guess{i}@example.org", "wrong-password").status_code for i in range(25)]
    assert statuses[:20] == [401] * 20 and 429 in statuses[20:]


def test_signing_in_rightly_again_and_again_is_never_limited(client):
    """Organisers (and the browser tests) sign in many times a day; only failures count, and
    a right password after a few wrong ones still works while the budget lasts."""
    for _ in range(3):
        assert api_login(client, EMAIL, "wrong-password").status_code == 401
    assert [api_login(client, EMAIL, PASSWORD).status_code for _ in range(30)] == [200] * 30
    # The three failures before still count: the budget of five runs out within six more.
    assert 429 in [api_login(client, EMAIL, "wrong-password").status_code for _ in range(6)]


# --- text that cannot be stored ------------------------------------------------------------

UNSTORABLE_JSON = ["\ud800", "a\udfffb", "nul\u0000byte"]


def _operations():
    from consult.api.openapi import DOCUMENT
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if schema:
                yield method, path, sorted(_properties(schema))


def _properties(schema) -> set[str]:
    from consult.api.openapi import DOCUMENT
    if "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return set(schema.get("properties", {}))


@pytest.fixture
def api_actors(client):
    organiser = {"Authorization": f"Bearer {api_login(client, EMAIL, PASSWORD).json()['token']}"}
    joined = client.post("/api/v1/rooms/join", json={"code": CODE_A, "name": "Fuzz", "organisation": "Org",
                                                     "sector": "research", "country": "DE"}).json()
    return organiser, {"Authorization": f"Bearer {joined['token']}"}, joined["room_id"]


def test_unstorable_text_in_any_json_field_is_a_400_never_a_500(client, api_actors):
    organiser, member, room = api_actors
    operations = list(_operations())
    assert len(operations) >= 10
    tried = 0
    for method, path, fields in operations:
        url = re.sub(r"\{[a-z_]+\}", lambda m: "drug-violence-2024" if m.group() == "{slug}" else str(room), path)
        for field in fields:
            for value in UNSTORABLE_JSON:
                for headers in (organiser, member):
                    response = send_json(client, method, url, {field: value},
                                         {**headers, "Idempotency-Key": "fuzz-key-0001"})
                    tried += 1
                    assert response.status_code == 400, (method, path, field, value, response.text)
                    assert response.json()["error"] == "bad_request"
                    assert field in response.json().get("fields", {}), response.text
    # nested too
    response = send_json(client, "put", f"/api/v1/rooms/{room}/draft", {"base_version": 0, "paragraphs": [
        {"id": "p1", "text": "\ud83d"}]}, organiser)
    assert response.status_code == 400
    print(f"\n{tried} JSON requests with unstorable text: all 400")


def test_a_lone_surrogate_in_the_sign_in_address_or_password_is_a_400(client):
    for body in ({"email": "\ud800@example.org", "password": PASSWORD}, {"email": EMAIL, "password": "\udc00x"}):
        response = send_json(client, "post", "/api/v1/auth/login", body)
        assert response.status_code == 400 and response.json()["error"] == "bad_request"


BAD_FORM_BYTES = ["%ED%A0%80", "%FF%FE", "%00", "%F0%9F", "%C0%AF"]
FIELD_NAMES = sorted(set(re.findall(r'name="([a-z_]+)"', "".join(
    p.read_text() for p in __import__("pathlib").Path(__file__).parents[1].joinpath("templates").rglob("*.html")))))


def _post_routes(app):
    for route in app.routes:
        if isinstance(route, Route) and "POST" in route.methods and not route.path.startswith("/api/"):
            yield route.path


def test_unencodable_bytes_in_any_form_field_never_make_a_500(demo_client):
    client = demo_client
    app = client.app
    joined = join(client, CODE_A, "Form Fuzz")
    room = room_id(joined)
    member_token = csrf_token(client)
    organiser = TestClient(app, base_url="http://testserver")
    organiser.__enter__()
    try:
        organiser.post("/organiser/login", data={"csrf_token": csrf_token(organiser), "email": EMAIL,
                                                 "password": PASSWORD})
        organiser_token = csrf_token(organiser, "/organiser")
        paths = sorted(set(_post_routes(app)))
        assert len(paths) >= 20
        statuses = {}
        for path in paths:
            if "logout" in path:
                continue
            url = re.sub(r"\{[a-z_]+(:int)?\}", str(room), path).replace("{token}", "x")
            for bad in BAD_FORM_BYTES:
                body = "&".join(f"{name}=a{bad}b" for name in FIELD_NAMES if name != "csrf_token")
                for who, token in ((client, member_token), (organiser, organiser_token)):
                    response = who.post(url, content=f"csrf_token={token}&{body}",
                                        headers={"Content-Type": "application/x-www-form-urlencoded", **HTMX},
                                        follow_redirects=False)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    assert response.status_code < 500, (path, bad, response.status_code, response.text[:300])
        print(f"\nform fuzz over {len(paths)} routes: statuses {statuses}")
    finally:
        organiser.__exit__(None, None, None)


def test_a_nul_in_the_sign_in_form_is_refused_not_a_crash(demo_client):
    client = demo_client
    response = client.post("/organiser/login", data={"csrf_token": csrf_token(client), "email": "a\x00@example.org",
                                                     "password": "x\x00y"}, follow_redirects=False)
    assert response.status_code in (400, 401)


# --- the smaller holes ---------------------------------------------------------------------

def test_the_conclusions_preview_is_only_for_those_who_edit_them(client):
    room = room_id(join(client, CODE_A, "Not Rapporteur"))
    response = client.post(f"/rooms/{room}/conclusions/preview",
                           data={"csrf_token": csrf_token(client), "conclusions": "**bold** #c1"}, headers=HTMX)
    assert response.status_code == 403 and "<strong>bold</strong>" not in response.text
    stranger = TestClient(client.app, base_url="http://testserver")
    with stranger:
        response = stranger.post(f"/rooms/{room}/conclusions/preview",
                                 data={"csrf_token": csrf_token(stranger), "conclusions": "x"})
        assert response.status_code == 403


def test_the_countdown_asks_who_you_are_before_what_you_sent(client):
    room = room_id(join(client, CODE_A, "Not Rapporteur Either"))
    for minutes in ("abc", "99999999999999999999", "5"):
        response = client.post(f"/rooms/{room}/countdown", data={"csrf_token": csrf_token(client), "minutes": minutes},
                               headers=HTMX)
        assert response.status_code == 403, minutes


@pytest.mark.parametrize("text", ["\u200b", "\u200b\u200c\u200d\u2060\ufeff", " \u00a0\u200b \n", "\u0301\u0301"])
def test_a_comment_of_only_invisible_characters_is_refused(client, text):
    response = join(client, CODE_A, "Invisible")
    room = room_id(response)
    page = client.get(f"/rooms/{room}")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text).group(1)
    posted = client.post(f"/rooms/{room}/comments", data={"csrf_token": csrf_token(client), "text": text,
                                                          "attribution": "sector", "idempotency_key": key},
                         headers=HTMX)
    assert posted.status_code == 422 and "Write something" in posted.text


def test_a_csv_cell_starting_with_a_pipe_stays_text():
    assert csv_value("|cmd /c calc") == "'|cmd /c calc"
    assert csv_value("a|b") == "a|b"


def test_hsts_is_sent_only_when_served_over_https(settings):
    from consult.cli import prepare
    secure = dataclasses.replace(settings, https=True)
    prepare(secure).dispose()
    with TestClient(create_app(secure), base_url="https://testserver") as client:
        response = client.get("/")
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
