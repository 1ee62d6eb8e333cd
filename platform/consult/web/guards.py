"""The console's door: a page for organisers only."""
from __future__ import annotations

import functools

from starlette.requests import Request
from starlette.responses import RedirectResponse

from consult.access import require_organiser


def organisers_only(handler):
    """Every console page: sign in first; anyone else signed in is refused as everywhere (403,
    with the reason). The handler keeps the one signature, handler(request)."""
    @functools.wraps(handler)
    async def wrapped(request: Request):
        actor = request.state.actor
        if actor.is_anonymous:
            return RedirectResponse("/organiser/login", status_code=302)
        require_organiser(actor, doing="can open this page")
        return await handler(request)
    return wrapped
