"""The facts a consolidated paragraph's provenance is derived from (provenance.py, pure): the rooms'
decided amendments, the comments taken into account and the reactions, signed for the public."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.access import signed_as
from consult.amendments.models import Amendment
from consult.amendments.service import tally_by_sector
from consult.contributions.models import Comment
from consult.engagement.service import spread
from consult.people.models import Participant
from consult.rooms.models import Room


def _signature(signature) -> dict:
    """How an author is shown, kept with the version: the label in the language it was built in
    (what versions made before kept alone), and its parts, so that each reader's page, file and
    annex write the sector in the reader's language (byline())."""
    return {"author": signature.label, "signed_name": signature.name, "sector": signature.sector,
            "country": signature.country}


def gather(session: Session, room_ids: list[int], paragraph_ids: list[int], names: dict[int, str]) -> dict:
    """Every decided amendment (accepted or rejected in its room), the comments taken into
    account, and the reactions, of the rooms in this consolidation."""
    rooms = {r.id: r for r in session.scalars(select(Room).where(Room.id.in_(room_ids)))}
    decided = list(session.execute(select(Amendment, Participant).join(Participant, Participant.id == Amendment.author_id)
                                   .where(Amendment.room_id.in_(room_ids),
                                          Amendment.status.in_(("accepted", "rejected")),
                                          Amendment.visibility == "visible").order_by(Amendment.id)))
    by_sector = tally_by_sector(session, [a.id for a, _ in decided])
    amendments = {a.id: {"id": a.id, "room_id": a.room_id, "room_name": names[a.room_id],
                         "paragraph_id": a.paragraph_id, "kind": a.kind, "status": a.status,
                         "text": a.accepted_text or a.text, "rationale": a.rationale,
                         "decision_reason": a.decision_reason,
                         **_signature(signed_as(p, a.attribution, rooms[a.room_id], "public")),
                         "tally": {"agree": a.agree, "disagree": a.disagree, "abstain": a.abstain},
                         "by_sector": by_sector.get(a.id, {})} for a, p in decided}
    comments: dict[int, list] = {}
    for c, p in session.execute(select(Comment, Participant).join(Participant, Participant.id == Comment.author_id)
                                .where(Comment.room_id.in_(room_ids), Comment.taken_into_account.is_(True),
                                       Comment.visibility == "visible", Comment.paragraph_id.in_(paragraph_ids))
                                .order_by(Comment.id)):
        comments.setdefault(c.paragraph_id, []).append(
            {"id": c.id, "room_id": c.room_id, "room_name": names[c.room_id], "text": c.text, "support": c.support,
             **_signature(signed_as(p, c.attribution, rooms[c.room_id], "public"))})
    reactions: dict[int, dict] = {}
    for room_id in room_ids:
        for pid, entry in spread(session, room_id).items():
            total = reactions.setdefault(pid, {"agree": 0, "disagree": 0, "pass": 0, "discuss": 0, "by_sector": {}})
            for k in ("agree", "disagree", "pass", "discuss"):
                total[k] += entry[k]
            for sector, row in entry["by_sector"].items():
                into = total["by_sector"].setdefault(sector, {"agree": 0, "disagree": 0, "pass": 0, "discuss": 0})
                for k in into:
                    into[k] += row[k]
    return {"amendments": amendments, "comments": comments, "reactions": reactions}


def for_paragraph(found: dict, m) -> dict:
    """A base paragraph carries the amendments that replace or delete it and the rejected ones
    that would have inserted after it; an inserted paragraph, the amendments that inserted it."""
    if m.base_paragraph_id is not None:
        amendments = [a for a in found["amendments"].values() if a["paragraph_id"] == m.base_paragraph_id
                      and (a["kind"] != "insert_after" or a["status"] == "rejected")]
        return {"amendments": amendments, "comments": found["comments"].get(m.base_paragraph_id, []),
                "reactions": found["reactions"].get(m.base_paragraph_id)}
    return {"amendments": [found["amendments"][i] for i in m.amendment_ids if i in found["amendments"]],
            "comments": [], "reactions": None}
