"""Page and block rendering. One template serves a page and its htmx fragments."""
from __future__ import annotations

import datetime as dt
import uuid

from jinja2_fragments import render_block
from jinja2_fragments.starlette import Jinja2Blocks

from consult import clock
from consult.drafting.markdown import render as render_markdown
from consult.engagement.service import dots_left_text
from consult.people.models import SECTORS
from consult.people.service import COUNTRIES
from consult.rooms.phases import PHASE_LABELS
from consult.settings import ROOT
from consult.textdiff import diff_html

templates = Jinja2Blocks(directory=str(ROOT / "templates"))
env = templates.env
env.globals.update(sectors=SECTORS, countries=COUNTRIES, phase_labels=PHASE_LABELS)


def _time(value: str) -> str:
    """ISO time (UTC) -> 'HH:MM' for display; the full time stays in a <time> element."""
    return dt.datetime.fromisoformat(value.rstrip("Z")).strftime("%d %b %H:%M")


env.filters["hhmm"] = _time
env.filters["local_time"] = clock.shown


def page(request, name: str, context: dict, status: int = 200, block: str | None = None, headers=None):
    context = {"actor": request.state.actor, "csrf_token": request.state.csrf_token,
               "notice": request.session.pop("notice", None) if block is None and "session" in request.scope else None,
               "csp_nonce": request.state.csp_nonce, **context}
    return templates.TemplateResponse(request, name, context, status_code=status, block_name=block,
                                      headers=headers)


def block(name: str, block_name: str, **context) -> str:
    """A block rendered outside any request: what sockets push."""
    return render_block(env, name, block_name, **context)


def _new_key() -> str:
    """A fresh idempotency key for a form: a retried submission carries the same one."""
    return uuid.uuid4().hex


env.globals["new_key"] = _new_key


def _diff(old: str | None, new: str | None):
    return diff_html(old or "", new or "")


env.globals.update(diff_html=_diff, render_markdown=render_markdown, dict=dict, dots_left_text=dots_left_text)
