"""The API against its own OpenAPI document: schemathesis generates requests for every
operation (a bounded number each), with valid ids seeded from a real room, and checks that
none is a server error and that every status and response body is the documented one."""
from __future__ import annotations

import uuid

import httpx2 as httpx
import pytest
import schemathesis
from conftest_server import start_server
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

CASES_PER_OPERATION = 25
SLUG = "drug-violence-2024"


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    """A server of its own: generated requests post and vote in its rooms."""
    yield from start_server(tmp_path_factory.mktemp("schemathesis"))


@pytest.fixture(scope="module")
def seeded(api_server):
    """Ids that exist: a room with a member, a comment, an amendment, a consolidated version."""
    with httpx.Client(base_url=api_server, timeout=60) as api:
        organiser = api.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                         "password": "brussels-demo-2024"}).json()
        joined = api.post("/api/v1/rooms/join", json={"code": "K7MPQ2", "name": "Fuzz", "organisation": "",
                                                      "sector": "research", "country": "FI"}).json()
        member = {"Authorization": f"Bearer {joined['token']}"}
        room = api.get(f"/api/v1/rooms/{joined['room_id']}", headers=member).json()
        paragraph = room["sections"][0]["paragraphs"][0]["id"]
        comment = api.post(f"/api/v1/rooms/{joined['room_id']}/comments", json={"text": "Seed"},
                           headers={**member, "Idempotency-Key": uuid.uuid4().hex}).json()
        amendment = api.post(f"/api/v1/rooms/{joined['room_id']}/amendments", json={
            "paragraph_id": paragraph, "kind": "replace", "text": "Seeded words", "rationale": "Seed"},
            headers={**member, "Idempotency-Key": uuid.uuid4().hex}).json()
        document = api.get(f"/api/v1/events/{SLUG}/documents").json()["documents"][0]["id"]
        auth = {"Authorization": f"Bearer {organiser['token']}"}
        version = api.post(f"/api/v1/documents/{document}/consolidations", headers=auth).json()["version"]
    return {"headers": auth, "ids": {"room_id": joined["room_id"], "comment_id": comment["id"],
                                     "amendment_id": amendment["id"], "document_id": document, "version": version,
                                     "participant_id": joined["participant_id"], "slug": SLUG,
                                     "token_id": organiser["id"]}}


def test_the_api_answers_as_documented(api_server, seeded):
    schema = schemathesis.openapi.from_url(f"{api_server}/api/v1/openapi.json")
    failures, tried = {}, {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/stream") or "export." in operation.path:
            continue  # a WebSocket and file downloads: covered by their own tests
        label = f"{operation.method.upper()} {operation.path}"

        @settings(max_examples=CASES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        @given(case=operation.as_strategy())
        def check(case):
            tried[label] = tried.get(label, 0) + 1
            # Mostly real ids, so that generated requests get past "no such room" to the checks.
            for name in case.path_parameters or {}:
                if name in seeded["ids"] and tried[label] % 4:
                    case.path_parameters[name] = seeded["ids"][name]
            case.call_and_validate(base_url=api_server,
                                   headers={**seeded["headers"], "Idempotency-Key": uuid.uuid4().hex},
                                   checks=[not_a_server_error, status_code_conformance, response_schema_conformance])

        try:
            check()
        except Exception as error:  # noqa: BLE001 - every operation is tried, then all failures reported
            failures[label] = str(error)[:600]
    print(f"\nschemathesis: {sum(tried.values())} cases over {len(tried)} operations; failures: {len(failures)}")
    assert failures == {}
