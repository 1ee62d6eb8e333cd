"""The audit log in words: what each recorded action means, for a person reading the log.
Pure: names of people and documents come in a lookup, so old entries keep reading well."""
from __future__ import annotations

from typing import Any

from consult.i18n import N_, _, ngettext
from consult.rooms.phases import PHASE_LABELS
from consult.version_notes import in_words

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
KIND_LABELS = {"moderation": N_("Moderation"), "phase": N_("Phases"), "sign-in": N_("Sign-ins"),
               "export": N_("Exports"), "import": N_("Imports"), "set-up": N_("Set-up"),
               "rapporteur": N_("Rapporteurs' work"), "consolidation": N_("Consolidation")}


ROLES = {"organiser": N_("Organiser"), "rapporteur": N_("Rapporteur"), "system": N_("system"), "unknown": N_("unknown")}


def role_of(code: str) -> str:
    return _(ROLES[code]) if code in ROLES else code


def kind_of(action: str) -> str:
    return next((kind for kind, prefixes in KINDS.items() if action.startswith(prefixes)), "other")


def actions_of(kind: str) -> tuple[str, ...]:
    return KINDS.get(kind, ())


ITEMS = {"reply": N_("reply %(id)s"), "comment": N_("comment %(id)s"), "amendment": N_("amendment %(id)s"),
         "item": N_("item %(id)s")}


def _item(detail: dict) -> str:
    for kind in ("reply", "comment", "amendment"):
        if kind in detail:
            what = _(ITEMS[kind], id=detail[kind])
            where = detail.get("paragraph")
            said = (_("%(what)s on paragraph %(where)s", what=what, where=where) if where and where[0].isdigit()
                    else _("%(what)s on %(where)s", what=what, where=where))
            return said + (f" “{detail['text']}”" if detail.get("text") else "")
    key = "comment_id" if "comment_id" in detail else "amendment_id" if "amendment_id" in detail else "id"
    return _(ITEMS["comment" if key == "comment_id" else "amendment" if key == "amendment_id" else "item"],
             id=detail.get(key))


def _because(detail: dict) -> str:
    return " " + _("Reason: %(reason)s", reason=detail["reason"]) if detail.get("reason") else ""


VIA = {"page": N_("from the console"), "api": N_("through the API"), "cli": N_("with run.py export")}


def _via(detail: dict) -> str:
    return " " + _(VIA[detail["via"]]) if detail.get("via") in VIA else ""


def _phase(code) -> str:
    return _(PHASE_LABELS[code]) if code in PHASE_LABELS else str(code)


def describe(action: str, detail: dict[str, Any], names: dict[str, dict[int, str]]) -> str:
    """One sentence in the reader's language. `names` maps 'participant' and 'document' ids to names."""
    person = names.get("participant", {}).get(detail.get("participant_id")) or _(
        "participant %(id)s", id=detail.get("participant_id"))
    document = names.get("document", {}).get(detail.get("document_id")) or _(
        "document %(id)s", id=detail.get("document_id"))
    verbs = {"hide": N_("Hid %(item)s."), "restore": N_("Restored %(item)s."), "approve": N_("Approved %(item)s.")}
    head, _dot, verb = action.partition(".")
    if head in ("comment", "amendment") and verb in verbs:
        return _(verbs[verb], item=_item(detail)) + _because(detail)
    if action == "flag.dismiss":
        return ngettext("Dismissed %(num)s report on %(item)s.", "Dismissed %(num)s reports on %(item)s.",
                        detail.get("reports", 1), item=_item(detail)) + _because(detail)
    if action == "room.remove_member":
        return _("Removed %(person)s from the room.", person=person) + _because(detail)
    if action == "room.phase":
        return _("Moved the room from %(before)s to %(after)s.", before=_phase(detail.get("before")),
                 after=_phase(detail.get("after")))
    if action == "room.rapporteur":
        return _("Made %(person)s a rapporteur.", person=person)
    if action == "room.new_code":
        return _("Gave the room a new join code; the old one stopped working.")
    if action == "room.invite_rapporteur":
        return _("Created a one-time rapporteur invitation link.")
    if action == "room.save":
        return _("Saved the room “%(name)s”.", name=detail.get("name"))
    if action == "room.countdown":
        return (ngettext("Started a %(num)s-minute countdown.", "Started a %(num)s-minute countdown.", detail["minutes"])
                if detail.get("minutes") else _("Stopped the countdown."))
    if action == "session.save":
        return _("Saved the session “%(title)s”.", title=detail.get("title"))
    if action == "event.update":
        return _("Saved the event “%(title)s”.", title=detail.get("title"))
    if action == "sign_in":
        return _("Signed in%(via)s.", via=_via(detail))
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
        # The reason was stored in the language of the person who failed; it is quoted as is.
        why = (detail.get("why") or _("Wrong email or password.")).rstrip(".")
        return _("Failed sign-in as %(email)s%(via)s: %(why)s.", email=detail.get("email") or _("(no email)"),
                 via=_via(detail), why=why)
    if action == "export":
        said = _("Exported %(file)s%(via)s", file=detail.get("file"), via=_via(detail))
        return said + (" (" + _("with hidden content") + ")." if detail.get("hidden") else ".")
    if action == "document.download":
        return _("Downloaded %(file)s (%(document)s, version %(version)s).", file=detail.get("file"),
                 document=document, version=detail.get("version"))
    if action == "import.participants":
        return ngettext("Imported %(num)s participant from %(file)s (%(placed)s, %(rapporteurs)s).",
                        "Imported %(num)s participants from %(file)s (%(placed)s, %(rapporteurs)s).",
                        detail.get("people") or 0, file=detail.get("file"),
                        placed=ngettext("%(num)s placed in a room", "%(num)s placed in rooms", detail.get("placed") or 0),
                        rapporteurs=ngettext("%(num)s rapporteur", "%(num)s rapporteurs", detail.get("rapporteurs") or 0))
    if action == "import.document":
        said = (N_("Replaced the document “%(title)s” from %(file)s: %(sections)s, %(paragraphs)s.")
                if detail.get("replaced") else
                N_("Imported the document “%(title)s” from %(file)s: %(sections)s, %(paragraphs)s."))
        return _(said, title=detail.get("title"), file=detail.get("file"),
                 sections=ngettext("%(num)s section", "%(num)s sections", detail.get("sections") or 0),
                 paragraphs=ngettext("%(num)s paragraph", "%(num)s paragraphs", detail.get("paragraphs") or 0))
    if action == "amendment.decide":
        accepted = detail.get("decision") == "accept"
        said = (N_("Accepted amendment %(id)s with edited text.") if accepted and detail.get("edited")
                else N_("Accepted amendment %(id)s.") if accepted
                else N_("Rejected amendment %(id)s with edited text.") if detail.get("edited")
                else N_("Rejected amendment %(id)s."))
        return _(said, id=detail.get("amendment_id")) + _because(detail)
    if action == "comment.taken":
        return (_("Marked comment %(id)s as taken into account.", id=detail.get("comment_id")) if detail.get("taken")
                else _("Marked comment %(id)s as not taken into account.", id=detail.get("comment_id")))
    if action == "draft.save":
        changed = ", ".join(_(DRAFT_PARTS.get(str(c), str(c))) for c in detail.get("changed") or []) or _("no change")
        return _("Saved version %(version)s of the room's text (%(changed)s).", version=detail.get("version"),
                 changed=changed)
    if action == "poll.ask":
        return _("Asked the poll “%(question)s”.", question=detail.get("question"))
    if action == "poll.close":
        return _("Closed poll %(id)s.", id=detail.get("poll_id"))
    if action == "document.resolve" and detail.get("said"):
        # What was chosen, in words (the choice's code, "h1:a2" or "room:5", says nothing to a reader).
        said = in_words(f"Resolved {detail.get('paragraph')}: {detail['said']}")
        extra = "; ".join(f"{_(DETAIL_WORDS[k])}: {detail[k]}" for k in ("version", "note") if detail.get(k))
        head_said = _("Resolved a conflict in %(document)s", document=document)
        return f"{head_said} ({extra}): {said}." if extra else f"{head_said}: {said}."
    if head == "document":
        labels = {"consolidate": N_("Consolidated %(document)s"), "publish": N_("Published %(document)s"),
                  "edit": N_("Edited %(document)s"), "resolve": N_("Resolved a conflict in %(document)s"),
                  "exclude_rooms": N_("Chose the rooms left out of %(document)s")}
        said = _(labels[verb], document=document) if verb in labels else f"{verb.capitalize()} {document}"
        extra = "; ".join(f"{_(DETAIL_WORDS.get(k, k.replace('_', ' ')))}: {_list(v)}" for k, v in detail.items()
                          if k not in ("document_id",) and v not in (None, ""))
        return f"{said} ({extra})." if extra else f"{said}."
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in detail.items() if v is not None) or action


# What a draft save can change, and the details a consolidation records, as the log reads them.
DRAFT_PARTS = {"conclusions": N_("conclusions")}
DETAIL_WORDS = {"version": N_("version"), "rooms_still_open": N_("rooms still open"), "paragraph": N_("paragraph"),
                "choice": N_("choice"), "note": N_("note"), "left_out": N_("left out")}


def _list(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
