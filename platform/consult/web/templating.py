"""Page and block rendering. One template serves a page and its htmx fragments."""
from __future__ import annotations

import uuid

from jinja2_fragments import render_block
from jinja2_fragments.starlette import Jinja2Blocks

from consult import i18n, tallies, version_notes
from consult.access import byline
from consult.i18n import N_
from consult.markdown import render as render_markdown
from consult.people.models import SECTORS
from consult.rooms.phases import PHASE_LABELS, refusal
from consult.settings import ROOT
from consult.textdiff import diff_html
from consult.web.forms import field_label

templates = Jinja2Blocks(directory=str(ROOT / "templates"))
env = templates.env
env.add_extension("jinja2.ext.i18n")
# New-style gettext: {{ _("Hello %(name)s", name=n) }} escapes the values, not the translation;
# trimmed: a {% trans %} block's line breaks and indentation are not part of the message.
env.policies["ext.i18n.trimmed"] = True
env.install_gettext_callables(
    lambda message: i18n.translations(i18n.current()).ugettext(message),
    lambda singular, plural, n: i18n.translations(i18n.current()).ungettext(singular, plural, n),
    newstyle=True,
    pgettext=lambda context, message: i18n.translations(i18n.current()).upgettext(context, message))
# `sector_names_in_files`: what an imported workbook may hold, English whatever the page's language.
env.globals.update(sectors=i18n.Translated(SECTORS), sector_names_in_files=SECTORS, countries=i18n.COUNTRIES, phase_labels=i18n.Translated(PHASE_LABELS),
                   language=i18n.current, languages=i18n.LANGUAGES, content_lang=i18n.CONTENT, country_names=i18n.country_names)

# Times people read: in the event's zone, written the way their language writes them; the
# exact UTC time stays in the <time> element's datetime attribute.
env.filters["hhmm"] = i18n.short_time
env.filters["clock"] = i18n.time_of_day
env.filters["local_time"] = i18n.date_time
env.filters["number"] = i18n.format_number
env.filters["percent"] = i18n.percent
env.filters["and_list"] = i18n.and_list
env.filters["version_note"] = version_notes.in_words
env.globals["N_"] = i18n.N_
env.filters["language_name"] = i18n.language_name


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


env.globals.update(diff_html=_diff, render_markdown=render_markdown, dict=dict, tallies=tallies)
# Why the phase disables a control, in the reader's language (a live push is rendered per language).
env.globals["phase_refusal"] = refusal


# What static/js/app.js says to people; base.html hands it over translated, keyed by the English.
JS_TEXT = (N_("Live"), N_("Back online: you are up to date."),
           N_("Connection lost. Reconnecting… what you type is kept."),
           N_("Closed: you are no longer in this room."),
           N_("You are offline. What you type is kept; it reconnects by itself."), N_("time is up"),
           N_("Not sent: the connection dropped. Your text is kept; press the button again."))


def _js_text() -> dict:
    return {english: i18n.gettext(english) for english in JS_TEXT}


env.globals["js_text"] = _js_text


env.globals["field_label"] = field_label


env.globals["byline"] = byline
