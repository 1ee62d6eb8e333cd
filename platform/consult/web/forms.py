"""Small helpers for reading forms and answering htmx, and the one way a refused form is sent
back: `Refusal` (what the page's form shows: what was sent, the form's message above it, each
field's problem next to the field, the first one focused; the macros in templates/_forms.html
read it), or `refused` where no form can be shown again."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from consult import i18n
from consult.errors import DomainError, Invalid
from consult.i18n import N_, _


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


MAX_ID = 2**63 - 1  # what a database integer holds; beyond it a number is only noise


def panel(request: Request, *names: str) -> str | None:
    """The page block an htmx refresh asks for (?panel=...), if it is one of this page's."""
    wanted = request.query_params.get("panel")
    return wanted if is_htmx(request) and wanted in names else None


# Form fields in words, for a message that names one (its form-level message, or a refusal page
# where the form itself is not shown): never the raw field name.
FIELD_LABELS = {"text": N_("Text"), "attribution": N_("Signature"), "rationale": N_("Why"), "kind": N_("Kind of change"),
                "paragraph_id": N_("Paragraph"), "parent_id": N_("Comment replied to"), "name": N_("Name"),
                "organisation": N_("Organisation"), "sector": N_("Sector"), "country": N_("Country"),
                "language": N_("Language"), "choice": N_("Vote"), "reason": N_("Reason"), "code": N_("Room code"),
                "idempotency_key": N_("Request key"), "email": N_("Email"), "password": N_("Password"),
                "conclusions": N_("Key conclusions"), "session_id": N_("Session"), "room_id": N_("Room"),
                "room": N_("Room"), "rooms": N_("Rooms"), "room_ids": N_("Rooms"), "sections": N_("Sections"),
                "capacity": N_("Capacity"), "dots": N_("Priority dots"), "target_id": N_("What the dots go on"),
                "option": N_("Option"), "options": N_("Options"), "question": N_("Question"),
                "document": N_("Document"), "participant_id": N_("Participant"), "base_version": N_("Version"),
                "to": N_("Version"), "from": N_("Version"), "with": N_("Version compared"),
                "after": N_("Last event seen"), "title": N_("Title"), "file": N_("File"),
                "target": N_("Document")}


def field_label(name: str) -> str:
    """A form field's name in the reader's language."""
    if name in FIELD_LABELS:
        return i18n.gettext(FIELD_LABELS[name])
    if re.fullmatch(r"[pi]\d+", name):  # a paragraph of a room's text by its key (the message names its number)
        return i18n.gettext(FIELD_LABELS["paragraph_id"])
    return name.replace("_", " ").capitalize()


def optional_int(value, name: str) -> int | None:
    """A whole number from a form or query field (`name`, which the message names in words)."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid(_("“%(field)s” must be a whole number.", field=field_label(name)),
                      {name: _("Not a number.")}) from None
    if abs(number) > MAX_ID:
        raise Invalid(_("“%(field)s” is out of range.", field=field_label(name)), {name: _("Out of range.")})
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


@dataclass(frozen=True)
class Refusal:
    """A refused form as its page shows it again. `form` is the form's id on the page (a page
    with several forms shows this one as sent and the others as they were); `sent` what was
    typed, by field (a list for a field sent several times); `message` the form's own message,
    above it; `fields` each field's problem, shown next to that field."""
    form: str
    message: str | None
    fields: dict[str, str] = field(default_factory=dict)
    sent: dict[str, Any] = field(default_factory=dict)
    status: int = 422

    @classmethod
    def of(cls, error: DomainError, form=None, form_id: str = "", lists: tuple[str, ...] = (),
           said_at: tuple[str, ...] = ()) -> Refusal:
        """The refusal of `form` (the request's form data) by `error`. `lists`: the fields sent
        several times (ticked boxes). `said_at`: where the error's message itself is the best
        explanation of a field's problem: the first of these fields at fault shows the message,
        and the form shows no message of its own."""
        sent = {key: form.get(key, "") for key in form.keys()} if form is not None else {}
        sent.update({name: form.getlist(name) for name in lists} if form is not None else {})
        fields, message = dict(error.fields), error.detail
        at = next((name for name in said_at if name in fields), None)
        if at is not None:
            fields[at], message = error.detail, None
        return cls(form_id, message, fields, sent, error.status)

    @property
    def first(self) -> str | None:
        """The field focused when the form comes back: the first at fault."""
        return next(iter(self.fields), None)

    def value(self, name: str, default: Any = "") -> Any:
        return self.sent.get(name, default)


def refused(request: Request, error) -> Response:
    """A refused action whose form cannot be shown again: on the page in the flash area (htmx),
    or as a page of its own that names each field at fault."""
    from consult.web.templating import page
    context = {"heading": _("That did not work"), "message": error.detail, "fields": error.fields,
               "link": request.headers.get("referer") or "/", "link_text": _("Back")}
    headers = {"Retry-After": str(error.retry_after)} if hasattr(error, "retry_after") else {}
    if is_htmx(request):
        # Into the flash area, never over the form: what was typed stays where it was.
        return page(request, "message.html", context, status=error.status, block="notice",
                    headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML", **headers})
    return page(request, "message.html", context, status=error.status, headers=headers)
