"""The audit log in words: what each recorded action means, for a person reading the log.
Pure: names of people and documents come in a lookup, so old entries keep reading well."""
from __future__ import annotations

from typing import Any

from consult.i18n import _, ngettext
from consult.rooms.phases import PHASE_LABELS

# Kinds an organiser filters by; an action belongs to the first kind whose prefix it starts with.
KINDS = {
    "moderation": ("comment.hide", "comment.restore", "comment.approve", "amendment.hide", "amendment.restore",
                   "amendment.approve", "flag.", "room.remove_member"),
    "phase": ("room.phase",),
    "sign-in": ("sign_in", "sign_out", "organiser.", "api_token."),
    "export": ("export", "document.download"),
    "import": ("import.",),
    "set-up": ("event.", "session.", "demo.", "room.save", "room.new_code", "room.invite_rapporteur", "room.rapporteur"),
    "rapporteur": ("amendment.decide", "comment.taken", "draft.", "poll.", "room.countdown"),
    "consolidation": ("document.",),
}
KIND_LABELS = {"moderation": "Moderation", "phase": "Phases", "sign-in": "Sign-ins", "export": "Exports",
               "import": "Imports", "set-up": "Set-up", "rapporteur": "Rapporteurs' work",
               "consolidation": "Consolidation"}


def kind_of(action: str) -> str:
    return next((kind for kind, prefixes in KINDS.items() if action.startswith(prefixes)), "other")


def actions_of(kind: str) -> tuple[str, ...]:
    return KINDS.get(kind, ())


def _item(detail: dict) -> str:
    for kind in ("reply", "comment", "amendment"):
        if kind in detail:
            where = detail.get("paragraph")
            text = f" “{detail['text']}”" if detail.get("text") else ""
            return f"{kind} {detail[kind]} on {'paragraph ' + where if where and where[0].isdigit() else where}{text}"
    key = "comment_id" if "comment_id" in detail else "amendment_id" if "amendment_id" in detail else "id"
    return f"{'comment' if key == 'comment_id' else 'amendment' if key == 'amendment_id' else 'item'} {detail.get(key)}"


def _because(detail: dict) -> str:
    return f" Reason: {detail['reason']}" if detail.get("reason") else ""


def _via(detail: dict) -> str:
    return {"page": " from the console", "api": " through the API", "cli": " with run.py export"}.get(
        detail.get("via", ""), "")


def describe(action: str, detail: dict[str, Any], names: dict[str, dict[int, str]]) -> str:
    """One sentence. `names` maps 'participant' and 'document' ids to names."""
    person = names.get("participant", {}).get(detail.get("participant_id"), f"participant {detail.get('participant_id')}")
    document = names.get("document", {}).get(detail.get("document_id"), f"document {detail.get('document_id')}")
    phase = PHASE_LABELS.get
    verbs = {"hide": "Hid", "restore": "Restored", "approve": "Approved"}
    head, _dot, verb = action.partition(".")
    if head in ("comment", "amendment") and verb in verbs:
        return f"{verbs[verb]} {_item(detail)}.{_because(detail)}"
    if action == "flag.dismiss":
        n = detail.get("reports", 1)
        return f"Dismissed {n} report{'' if n == 1 else 's'} on {_item(detail)}.{_because(detail)}"
    if action == "room.remove_member":
        return f"Removed {person} from the room.{_because(detail)}"
    if action == "room.phase":
        return f"Moved the room from {phase(detail.get('before'), detail.get('before'))} to {phase(detail.get('after'), detail.get('after'))}."
    if action == "room.rapporteur":
        return f"Made {person} a rapporteur."
    if action == "room.new_code":
        return "Gave the room a new join code; the old one stopped working."
    if action == "room.invite_rapporteur":
        return "Created a one-time rapporteur invitation link."
    if action == "room.save":
        return f"Saved the room “{detail.get('name')}”."
    if action == "room.countdown":
        return f"Started a {detail.get('minutes')}-minute countdown." if detail.get("minutes") else "Stopped the countdown."
    if action == "session.save":
        return f"Saved the session “{detail.get('title')}”."
    if action == "event.update":
        return f"Saved the event “{detail.get('title')}”."
    if action == "sign_in":
        return f"Signed in{_via(detail)}."
    if action == "sign_out.everywhere":
        return ngettext("Signed out everywhere: %(num)s browser session ended.",
                        "Signed out everywhere: %(num)s browser sessions ended.", detail.get("sessions") or 0)
    if action == "organiser.create":
        return _("Created the organiser account %(email)s.", email=detail.get("email"))
    if action == "organiser.reset":
        return _("Reset the password of %(email)s: its browser sessions and API tokens ended.", email=detail.get("email"))
    if action == "api_token.revoke":
        return _("Revoked the API token “%(name)s”.", name=detail.get("name"))
    if action == "demo.fill":
        return _("Filled the demo rooms with sample work.")
    if action == "sign_in.failed":
        why = (detail.get("why") or "Wrong email or password.").rstrip(".")
        return f"Failed sign-in as {detail.get('email') or '(no email)'}{_via(detail)}: {why}."
    if action == "export":
        options = [] if not detail.get("hidden") else ["with hidden content"]
        return f"Exported {detail.get('file')}{_via(detail)}{' (' + ', '.join(options) + ')' if options else ''}."
    if action == "document.download":
        return f"Downloaded {detail.get('file')} ({document}, version {detail.get('version')})."
    if action == "import.participants":
        return (f"Imported {detail.get('people')} participants from {detail.get('file')} "
                f"({detail.get('placed')} placed in rooms, {detail.get('rapporteurs')} rapporteurs).")
    if action == "import.document":
        verb = "Replaced" if detail.get("replaced") else "Imported"
        return (f"{verb} the document “{detail.get('title')}” from {detail.get('file')}: "
                f"{detail.get('sections')} sections, {detail.get('paragraphs')} paragraphs.")
    if action == "amendment.decide":
        edited = " with edited text" if detail.get("edited") else ""
        return f"{'Accepted' if detail.get('decision') == 'accept' else 'Rejected'} amendment {detail.get('amendment_id')}{edited}.{_because(detail)}"
    if action == "comment.taken":
        return f"Marked comment {detail.get('comment_id')} as {'' if detail.get('taken') else 'not '}taken into account."
    if action == "draft.save":
        return f"Saved version {detail.get('version')} of the room's text ({', '.join(map(str, detail.get('changed') or [])) or 'no change'})."
    if action == "poll.ask":
        return f"Asked the poll “{detail.get('question')}”."
    if action == "poll.close":
        return f"Closed poll {detail.get('poll_id')}."
    if head == "document":
        labels = {"consolidate": "Consolidated", "publish": "Published", "edit": "Edited", "resolve": "Resolved a conflict in",
                  "exclude_rooms": "Chose the rooms left out of"}
        extra = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in detail.items()
                          if k not in ("document_id",) and v not in (None, ""))
        return f"{labels.get(verb, verb.capitalize())} {document}{' (' + extra + ')' if extra else ''}."
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in detail.items() if v is not None) or action
