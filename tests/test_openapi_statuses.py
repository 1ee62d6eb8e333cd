"""The OpenAPI document names the statuses the API really answers with."""
from __future__ import annotations

from consult.api.openapi import DOCUMENT


def test_login_documents_its_401_and_every_operation_its_503():
    login = DOCUMENT["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert "401" in login and "200" in login
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if "101" not in operation["responses"]:
                assert "503" in operation["responses"], (method, path)


def test_a_plain_get_of_the_stream_is_a_documented_404(client):
    response = client.get("/api/v1/rooms/1/stream?token=x")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert "404" in DOCUMENT["paths"]["/api/v1/rooms/{room_id}/stream"]["get"]["responses"]
