"""Amendments: propose, vote, decide. Check (may I, is it valid), then do (change, log)."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from consult import clock, idempotency
from consult.amendments.models import CHOICES, KINDS, Amendment, AmendmentVote
from consult.access import RoomAccess, signed_as, steering_access, take_part
from consult.audit import service as audit
from consult.contributions.counts import Counts
from consult.contributions.models import ATTRIBUTIONS
from consult.contributions.submission import Kind, submit
from consult.drafting import service as drafting
from consult.errors import Conflict, Invalid, NotFound
from consult.idempotency import valid_key
from consult.people.actor import Actor
from consult.people.models import Participant
from consult.rooms import log
from consult.rooms.models import Room
from consult.rooms.service import actor_label, lock_room_for
from consult.text import clean_text
from consult import i18n
from consult.i18n import _

MAX_TEXT = 5000
MAX_RATIONALE = 2000


def amendment_view(a: Amendment, author: Participant, room: Room, reveal: bool = False) -> dict:
    hidden = a.visibility == "hidden" and not reveal
    return {
        "id": a.id, "room_id": a.room_id, "paragraph_id": a.paragraph_id, "kind": a.kind,
        "text": None if hidden else a.text, "rationale": None if hidden else a.rationale,
        "original": a.original, "status": a.status, "visibility": a.visibility,
        "moderation_reason": a.moderation_reason,
        "author": "" if hidden else signed_as(author, a.attribution, room, "room").label,
        # The name alone, for a byline each reader's page writes in its own language.
        "signed_name": None if hidden else signed_as(author, a.attribution, room, "room").name,
        "language": a.language,
        "sector": author.sector,
        "country": author.country,
        "tally": {"agree": a.agree, "disagree": a.disagree, "abstain": a.abstain},
        "decided_by": a.decided_by, "decision_reason": a.decision_reason, "accepted_text": a.accepted_text,
        "created_at": a.created_at.isoformat(timespec="seconds") + "Z",
    }


def _view(session: Session, a: Amendment) -> dict:
    return amendment_view(a, session.get(Participant, a.author_id), session.get(Room, a.room_id))


def check_amendment(session: Session, room_id: int, *, paragraph_id, kind, text, rationale, attribution,
                    key: str | None, language: str | None) -> dict:
    text, rationale, errors = clean_text(text), clean_text(rationale), {}
    if kind not in KINDS:
        errors["kind"] = _("Choose replace, insert after or delete.")
    if kind in ("replace", "insert_after") and not text:
        errors["text"] = _("Write the text you propose.")
    if len(text) > MAX_TEXT:
        errors["text"] = _("Keep it under %(max)s characters (this has %(length)s).", max=MAX_TEXT, length=len(text))
    if not rationale:
        errors["rationale"] = _("Say why: the room votes on reasons, not only on words.")
    elif len(rationale) > MAX_RATIONALE:
        errors["rationale"] = _("Keep the rationale under %(max)s characters.", max=MAX_RATIONALE)
    if attribution not in ATTRIBUTIONS:
        errors["attribution"] = _("Choose how your amendment is signed.")
    if not valid_key(key):
        errors["idempotency_key"] = idempotency.PROBLEM
    if not isinstance(paragraph_id, int):
        errors["paragraph_id"] = _("Choose the paragraph to amend.")
    written_in, problem = i18n.written_in(language)
    if problem:
        errors["language"] = problem
    if errors:
        raise Invalid(_("The amendment was not proposed."), errors)
    _version, content = drafting.latest(session, room_id)
    original = drafting.text_of(content, paragraph_id)
    if kind == "replace" and text == original:
        raise Invalid(_("The amendment was not proposed."), {"text": _("This is the current text: change something.")})
    return {"paragraph_id": paragraph_id, "kind": kind, "text": "" if kind == "delete" else text,
            "rationale": rationale, "original": original, "attribution": attribution, "language": written_in}


AMENDMENTS = Amendment.__table__


def _counts(moved: Counts) -> dict:
    return {"paragraph_count": moved.thread}


AMENDMENT = Kind("amendment", AMENDMENTS, action="propose an amendment", posted="amendment_proposed",
                 submitted="amendment_submitted", view=amendment_view, counted="amendments", counts=_counts)


def propose(session: Session, actor: Actor, room_id: int, *, paragraph_id, kind, text, rationale,
            attribution="sector", idempotency_key=None, language: str | None = None) -> tuple[dict, bool]:
    """Returns the amendment and whether it is new; a retry with the same key returns the first."""
    return submit(session, actor, room_id, AMENDMENT, key=idempotency_key, check=lambda session, room: check_amendment(
        session, room_id, paragraph_id=paragraph_id, kind=kind, text=text, rationale=rationale,
        attribution=attribution, key=idempotency_key, language=language))


def tally_by_sector(session: Session, amendment_ids: list[int]) -> dict[int, dict[str, dict[str, int]]]:
    rows = session.execute(
        select(AmendmentVote.amendment_id, Participant.sector, AmendmentVote.choice, func.count())
        .join(Participant, Participant.id == AmendmentVote.participant_id)
        .where(AmendmentVote.amendment_id.in_(amendment_ids))
        .group_by(AmendmentVote.amendment_id, Participant.sector, AmendmentVote.choice))
    out: dict[int, dict[str, dict[str, int]]] = {}
    for amendment_id, sector, choice, n in rows:
        out.setdefault(amendment_id, {}).setdefault(sector, dict.fromkeys(CHOICES, 0))[choice] = n
    return out


def _locked(session: Session, amendment_id: int) -> Amendment:
    amendment = session.scalar(select(Amendment).where(Amendment.id == amendment_id).with_for_update()
                             .execution_options(populate_existing=True))
    if amendment is None:
        raise NotFound(_("No such amendment."))
    return amendment


def vote(session: Session, actor: Actor, amendment_id: int, *, choice: str) -> dict:
    """One vote per person, changeable while the room votes. The amendment row is locked first
    so that the recount after the change sees every vote committed before it."""
    amendment = session.get(Amendment, amendment_id)
    if amendment is None or amendment.visibility != "visible":
        raise NotFound(_("No such amendment."))
    access, member = take_part(session, actor, amendment.room_id)
    lock_room_for(session, access.room, "vote")
    if choice not in CHOICES:
        raise Invalid(_("Vote agree, disagree or abstain."), {"choice": _("Unknown choice.")})
    amendment = _locked(session, amendment_id)
    if amendment.status != "pending":
        raise Conflict(_("This amendment was already accepted; votes on it are closed.") if amendment.status == "accepted"
                       else _("This amendment was already rejected; votes on it are closed."))
    existing = session.get(AmendmentVote, (amendment_id, member.participant_id))
    if existing is None:
        session.add(AmendmentVote(amendment_id=amendment_id, participant_id=member.participant_id, choice=choice,
                                  updated_at=clock.now()))
    elif existing.choice != choice:
        existing.choice, existing.updated_at = choice, clock.now()
    else:
        return {"amendment_id": amendment_id, "choice": choice, "tally": _tally(amendment)}
    session.flush()
    counts = dict(session.execute(select(AmendmentVote.choice, func.count()).where(
        AmendmentVote.amendment_id == amendment_id).group_by(AmendmentVote.choice)).all())
    for c in CHOICES:
        setattr(amendment, c, counts.get(c, 0))
    session.flush()
    log.record(session, amendment.room_id, "amendment_voted", {
        "amendment_id": amendment_id, "tally": _tally(amendment),
        "restricted": {"by_sector": tally_by_sector(session, [amendment_id]).get(amendment_id, {})}})
    return {"amendment_id": amendment_id, "choice": choice, "tally": _tally(amendment)}


def _tally(a: Amendment) -> dict:
    return {"agree": a.agree, "disagree": a.disagree, "abstain": a.abstain}


def decide(session: Session, actor: Actor, amendment_id: int, *, decision: str, reason: str | None = None,
           text: str | None = None) -> dict:
    amendment = session.get(Amendment, amendment_id)
    if amendment is None:
        raise NotFound(_("No such amendment."))
    room = steering_access(session, actor, amendment.room_id).room
    lock_room_for(session, room, "decide amendments")
    if amendment.visibility != "visible":
        raise Conflict(_("A moderator has not approved this amendment (or hid it): it cannot be decided."))
    if decision not in ("accept", "reject"):
        raise Invalid(_("Decide accept or reject."), {"decision": _("Unknown decision.")})
    reason = clean_text(reason)
    final_text = clean_text(text) if text is not None and amendment.kind != "delete" else amendment.text
    if decision == "reject" and not reason:
        raise Invalid(_("Give the room a reason for rejecting it."), {"reason": _("Required when rejecting.")})
    if decision == "accept" and amendment.kind != "delete" and not final_text:
        raise Invalid(_("The accepted text cannot be empty."), {"text": _("Required.")})
    if len(final_text) > MAX_TEXT or len(reason) > MAX_RATIONALE:
        raise Invalid(_("Too long."), {"text": _("At most %(text)s characters; a reason at most %(reason)s.", text=MAX_TEXT, reason=MAX_RATIONALE)})
    # Only a pending amendment can be decided, and only once: of two rapporteurs deciding at
    # the same moment, the second finds it no longer pending.
    status = "accepted" if decision == "accept" else "rejected"
    won = session.execute(
        update(Amendment).where(Amendment.id == amendment_id, Amendment.status == "pending")
        .values(status=status, decided_by=actor_label(session, actor), decided_at=clock.now(),
                decision_reason=reason or None,
                accepted_text=final_text if decision == "accept" and final_text != amendment.text else None)
        .returning(Amendment.id)).first()
    if won is None:
        session.refresh(amendment)
        raise Conflict(_("%(who)s already accepted this amendment.", who=amendment.decided_by) if amendment.status == "accepted"
                       else _("%(who)s already rejected this amendment.", who=amendment.decided_by))
    session.refresh(amendment)
    audit.record(session, actor, "amendment.decide", amendment.room_id, amendment_id=amendment_id,
                 decision=decision, reason=reason or None, edited=amendment.accepted_text is not None)
    draft_version = None
    if decision == "accept":
        draft_version = drafting.record_amendment(session, actor, amendment.room_id, amendment_id=amendment_id,
                                                  kind=amendment.kind,
                                                  base_paragraph_id=amendment.paragraph_id, text=final_text)["version"]
    view = _view(session, amendment)
    log.record(session, amendment.room_id, "amendment_decided", {"amendment": view, "draft_version": draft_version})
    return dict(view, draft_version=draft_version)


def list_amendments(session: Session, access: RoomAccess) -> list[dict]:
    room = access.room
    rows = session.execute(select(Amendment, Participant).join(Participant, Participant.id == Amendment.author_id)
                           .where(Amendment.room_id == room.id).order_by(Amendment.id)).all()
    views = [amendment_view(a, p, room, reveal=access.actor.is_organiser) for a, p in rows
             if access.lists(a)]
    if access.privileged:
        by_sector = tally_by_sector(session, [v["id"] for v in views])
        for v in views:
            v["by_sector"] = by_sector.get(v["id"], {})
    return views


def my_votes(session: Session, access: RoomAccess) -> dict[int, str]:
    participant_id = access.actor.participant_id
    if participant_id is None:
        return {}
    return dict(session.execute(select(AmendmentVote.amendment_id, AmendmentVote.choice)
                                .join(Amendment, Amendment.id == AmendmentVote.amendment_id)
                                .where(Amendment.room_id == access.room_id,
                                       AmendmentVote.participant_id == participant_id)).all())
