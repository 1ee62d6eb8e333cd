"""Small helpers for reading forms and answering htmx."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse

from consult.errors import Invalid


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def optional_int(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Invalid(f"{name} must be a whole number.", {name: "Not a number."}) from None


def back_to(url: str) -> RedirectResponse:
    """After a plain (non-htmx) form post: see the result on the page, and a reload does not post again."""
    return RedirectResponse(url, status_code=303)
