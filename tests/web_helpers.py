"""Driving the HTML side in-process like a browser would: CSRF token from the page, htmx headers."""
from __future__ import annotations

import re

HTMX = {"HX-Request": "true"}


def csrf_token(client, path: str = "/privacy") -> str:
    return re.search(r'"X-CSRF-Token": "([^"]+)"', client.get(path).text).group(1)


def join(client, code: str, name: str = "Ana", sector: str = "health", country: str = "BE", headers=None, **extra):
    data = {"csrf_token": csrf_token(client), "code": code, "name": name, "organisation": "Org",
            "sector": sector, "country": country, **extra}
    return client.post("/join", data=data, headers=headers, follow_redirects=False)


def room_id(response) -> int:
    return int(re.search(r"/rooms/(\d+)", response.headers["location"]).group(1))


def first_paragraph(page_html: str) -> int:
    return int(re.search(r'name="paragraph_id" value="(\d+)"', page_html).group(1))
