"""The plenary deck of a consolidated version: pure, a version view in, slides out.

One slide per room outcome (what the room proposed, and whether the document adopts it, with
why not), then one per changed paragraph. Long lists are split over several slides rather
than shrunk, so that each slide fits a projector at 1366x768 without scrolling."""
from __future__ import annotations

from consult.consolidation.layout import annex, runs_of
from consult.text import shortened
from consult.textdiff import EQUAL, word_diff

PER_SLIDE = 3            # a room's proposals per slide; more would not fit a 768 px screen
SHORT = 220              # characters of a proposal shown on a room's slide
CONTEXT = 60             # characters kept either side of a change


def _short(text: str | None) -> str:
    return "" if text is None else shortened(text, SHORT)


def excerpt(base: str | None, text: str | None) -> list[tuple[int, str]]:
    """What a room changed, as diff runs with a little unchanged text around each change and
    the rest elided: a slide shows the change, not the paragraph's first lines."""
    if not base or text is None:
        return [(EQUAL, _short(text))]
    runs = word_diff(base, text)
    out = []
    for i, (op, part) in enumerate(runs):
        if op != EQUAL or len(part) <= 2 * CONTEXT:
            out.append((op, part))
            continue
        after_change = part[:CONTEXT].rsplit(" ", 1)[0] + " …" if i > 0 else "…"
        before_change = " " + part[-CONTEXT:].split(" ", 1)[-1] if i < len(runs) - 1 else ""
        out.append((EQUAL, after_change + before_change))
    return out


def _room_items(v: dict, room_id: int) -> list[dict]:
    items = []
    for p in v["paragraphs"]:
        for r in p["provenance"]["rooms"]:
            if r["room_id"] != room_id:
                continue
            proposal = next(q for q in p["proposals"] if q["room_id"] == room_id)
            mine = [a for a in p["provenance"]["amendments"] + p["provenance"]["not_adopted"]
                    if a["room_id"] == room_id]
            items.append({"number": p["number"] or p["base_number"], "key": p["key"], "adopted": r["adopted"],
                          "reason": r["reason"], "deleted": proposal["deleted"],
                          "text": excerpt(p["base_text"], proposal["text"]), "amendments": [a["id"] for a in mine]})
        for a in p["provenance"]["not_adopted"]:
            if a["room_id"] == room_id and a.get("status") == "rejected":
                items.append({"number": p["number"] or p["base_number"], "key": p["key"], "adopted": "rejected",
                              "reason": a["reason"], "deleted": False,
                              "text": excerpt(p["base_text"], a["text"]) if a["kind"] == "replace" else excerpt(None, a["text"]),
                              "amendments": [a["id"]]})
    return items


def slides(v: dict) -> list[dict]:
    out = [{"kind": "title"}]
    for slot in v["conclusions"]:
        for room in slot["rooms"]:
            items = _room_items(v, room["room_id"])
            comments = [c for p in v["paragraphs"] for c in p["provenance"]["comments"]
                        if c["room_id"] == room["room_id"]]
            chunks = [items[i:i + PER_SLIDE] for i in range(0, len(items), PER_SLIDE)] or [[]]
            for n, chunk in enumerate(chunks, start=1):
                out.append({"kind": "room", "session": slot["session"], "room": room["room"],
                            "part": f"{n} of {len(chunks)}" if len(chunks) > 1 else "", "outcomes": chunk,
                            "adopted": sum(i["adopted"] in ("yes", "partly") for i in items), "total": len(items)})
            out.append({"kind": "conclusions", "session": slot["session"], "room": room["room"],
                        "room_id": room["room_id"], "conclusions": room["conclusions"], "comments": comments})
    for p in v["paragraphs"]:
        if p["status"] != "unchanged":
            out.append({"kind": "paragraph", "p": p, "runs": runs_of(p), "facts": annex(p)[:4]})
    return out
