"""Actions that change a live room are asked twice: a post without `confirm=yes` changes
nothing and answers with a page naming what would change, whose button posts the same
fields again, confirmed. The check is on the server, not only in the page."""
from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request

from consult.web.templating import page

CONFIRM_FIELD = "confirm"


def confirmed(form: FormData) -> bool:
    return form.get(CONFIRM_FIELD) == "yes"


def ask(request: Request, form: FormData, *, heading: str, changes: list[str], warnings: list[str] = (),
        button: str, cancel: str, ask_reason: str | None = None, errors: dict | None = None, status: int = 200):
    """The confirmation page; `ask_reason` labels a required reason field when the action needs one."""
    kept = [(k, v) for k, v in form.multi_items() if k not in (CONFIRM_FIELD, "csrf_token", "reason")
            and isinstance(v, str)]
    return page(request, "organiser/confirm.html", {
        "heading": heading, "changes": changes, "warnings": list(warnings), "button": button, "cancel": cancel,
        "action": request.url.path, "kept": kept, "ask_reason": ask_reason, "reason": form.get("reason") or "",
        "errors": errors or {}}, status=status)
