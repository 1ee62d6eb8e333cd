"""Two versions of a consolidated document (or one against the base text) side by side,
paragraph by paragraph, with conflicts and resolutions shown as what they are."""
from __future__ import annotations

from sqlalchemy.orm import Session

from consult.consolidation.service import get_version
from consult import i18n
from consult.i18n import _
from consult.people.actor import Actor
from consult.textdiff import diff_html


def compare(session: Session, actor: Actor, document_id: int, old: int, new: int) -> list[dict]:
    """Paragraph by paragraph, what version `new` does against version `old` (0: the base
    text): a conflict is shown as the alternatives it holds, a resolution as what it took, an
    organisers' edit as theirs, and never as the paragraph's deletion."""
    after = get_version(session, actor, document_id, new)
    if old == 0:
        before = {p["key"]: {"text": p["base_text"], "status": "base"} for p in after["paragraphs"]
                  if p["base_paragraph_id"] is not None}
    else:
        before = {p["key"]: p for p in get_version(session, actor, document_id, old)["paragraphs"]}
    rows = []
    for p in after["paragraphs"]:
        was = before.pop(p["key"], None)
        was_status = was["status"] if was else "absent"
        was_text = None if was is None or was_status in ("conflict", "deleted") else was["text"]
        if was is not None and was_status == "conflict":
            was_text = p["base_text"]          # an open conflict reads as the base text with alternatives
        now_text = p["text"] if p["status"] not in ("conflict", "deleted") else None
        row = {"key": p["key"], "number": p["number"] or p["base_number"], "status": p["status"],
               "was": was_status, "alternatives": [], "what": "", "diff": None,
               "changed": was is None or was_status != p["status"] or (was_text or "") != (now_text or "")}
        pr = p["provenance"]
        if p["status"] == "conflict":
            row["what"] = _("In conflict between rooms, not yet resolved")
            row["alternatives"] = [(c["room_name"], None if c["deleted"] else diff_html(p["base_text"] or "", c["text"]))
                                   for c in p["candidates"]]
        else:
            row["diff"] = diff_html(was_text or "", now_text or "")
            if was_status == "conflict":
                took = (_("took %(rooms)s's text", rooms=i18n.and_list(pr["adopted_rooms"]))
                        if pr["adopted_rooms"] else _("deleted the paragraph") if p["status"] == "deleted"
                        else _("the organisers' own wording"))
                row["what"] = _("Conflict resolved: %(note)s", note=took)
            elif len(pr["edits"]) > len((was or {}).get("edits") or []):
                row["what"] = _("Edited by the organisers: %(note)s", note=pr["edits"][-1]["note"])
            elif was is None:
                row["what"] = _("Inserted") if old == 0 else _("Not in the other version")
            elif p["status"] == "deleted" and was_status != "deleted":
                row["what"] = _("Deleted")
        rows.append(row)
    for key, p in before.items():
        rows.append({"key": key, "number": p.get("number") or p.get("base_number", ""), "status": "absent",
                     "was": p["status"], "alternatives": [], "what": _("Not in this version"), "changed": True,
                     "diff": diff_html(p.get("text") or "", "")})
    return rows
