"""Small helpers for reading forms and answering htmx."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from consult.errors import Invalid
from consult.i18n import _


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


MAX_ID = 2**63 - 1  # what a database integer holds; beyond it a number is only noise


def panel(request: Request, *names: str) -> str | None:
    """The page block an htmx refresh asks for (?panel=...), if it is one of this page's."""
    wanted = request.query_params.get("panel")
    return wanted if is_htmx(request) and wanted in names else None


def optional_int(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid(_("%(name)s must be a whole number.", name=name), {name: _("Not a number.")}) from None
    if abs(number) > MAX_ID:
        raise Invalid(_("%(name)s is out of range.", name=name), {name: _("Out of range.")})
    return number


def back_to(url: str) -> RedirectResponse:
    """After a plain (non-htmx) form post: see the result on the page, and a reload does not post again."""
    return RedirectResponse(url, status_code=303)


def done(request: Request, url: str, notice: str) -> RedirectResponse:
    """After a form post that changed something: the next page says what was done."""
    request.session["notice"] = notice
    return back_to(url)


def local_path(value, fallback: str) -> str:
    """A `next` address from a form: only a path on this site, never another site."""
    value = str(value or "")
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else fallback


def refused(request: Request, error) -> Response:
    """A refused action: on the page in the flash area (htmx), or as a page of its own."""
    from consult.web.templating import page
    context = {"heading": _("That did not work"), "message": error.detail, "fields": error.fields,
               "link": request.headers.get("referer") or "/", "link_text": _("Back")}
    headers = {"Retry-After": str(error.retry_after)} if hasattr(error, "retry_after") else {}
    if is_htmx(request):
        # Into the flash area, never over the form: what was typed stays where it was.
        return page(request, "message.html", context, status=error.status, block="notice",
                    headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML", **headers})
    return page(request, "message.html", context, status=error.status, headers=headers)
