"""The live dashboard: every room at a glance (who is there, how lively it is over time,
whether every sector is heard, the phase and the time left), and the rooms that need the
organiser's attention first, each with the reason."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult import clock, i18n
from consult.access import require_organiser
from consult.amendments.models import Amendment, AmendmentVote
from consult.conference.models import ConferenceSession, Event
from consult.contributions.models import Comment
from consult.errors import NotFound
from consult.i18n import _, ngettext
from consult.moderation.models import Flag
from consult.organiser import series
from consult.people.actor import Actor
from consult.people.models import SECTORS, Participant
from consult.rooms.models import Membership, Room, RoomEvent
from consult.rooms.phases import PHASE_LABELS
from consult.i18n import N_

# The sectors the conference exists to bring together: a room without one of them is flagged.
CORE_SECTORS = ("law_enforcement", "health", "social_services", "local_authority")
DOMINANT_SHARE = 0.5
MIN_MEMBERS_TO_JUDGE = 4
# Room events that are not the room's own work: being set up, joined or moderated.
NOT_ACTIVITY = ("phase_changed", "countdown_changed", "member_joined", "member_removed", "rapporteur_assigned",
                "comment_hidden", "amendment_hidden", "flags_dismissed")
STUCK_AFTER = dt.timedelta(minutes=10)
# The phases in which a room is expected to be at work.
WORKING = ("open", "voting")
# The charts cover the session while it runs, otherwise the last two hours.
RECENT = dt.timedelta(hours=2)
LONGEST = dt.timedelta(hours=4)


def window(slot: ConferenceSession, now: dt.datetime, zone: str) -> tuple[dt.datetime, dt.datetime]:
    starts, ends = clock.from_local(slot.starts_at, zone), clock.from_local(slot.ends_at, zone)
    running = starts <= now <= ends + dt.timedelta(minutes=30)
    return max(starts if running else now - RECENT, now - LONGEST), now


def time_left(room: Room, slot: ConferenceSession, now: dt.datetime, zone: str) -> dict:
    """What the room's clock says: its countdown if one runs, and where its session stands."""
    running = room.countdown_ends_at is not None and room.countdown_ends_at > now
    starts, ends = clock.from_local(slot.starts_at, zone), clock.from_local(slot.ends_at, zone)
    if now < starts:
        where = _("Session starts %(when)s", when=i18n.short_time(starts, zone))
    elif now <= ends:
        where = _("%(time)s left in the session", time=_minutes(ends - now))
    else:
        where = _("Session ended %(when)s", when=i18n.short_time(ends, zone))
    return {"ended": now > ends,
            "countdown": room.countdown_ends_at.isoformat(timespec="seconds") + "Z" if running else None,
            "left": _("%(time)s left", time=_minutes(room.countdown_ends_at - now)) if running else None,
            "session": where}


def _minutes(span: dt.timedelta) -> str:
    minutes = max(1, round(span.total_seconds() / 60))
    if minutes < 120:
        return _("%(minutes)s min", minutes=minutes)
    padded = str(minutes % 60).zfill(2)
    return _("%(hours)s h %(minutes)s min", hours=minutes // 60, minutes=padded)


def balance(mix: dict[str, int]) -> dict:
    """The sector mix as the segments of a stacked bar (shares add up to 1), with the core
    sectors that are missing and the sector that dominates, once the room is big enough to judge."""
    members = sum(mix.values())
    judged = members >= MIN_MEMBERS_TO_JUDGE
    top = max(mix, key=mix.get) if mix else None
    dominant = top if judged and mix[top] / members > DOMINANT_SHARE else None
    segments, x = [], 0.0
    for key, label in SECTORS.items():
        if mix.get(key):
            share = mix[key] / members
            segments.append({"key": key, "label": _(label), "n": mix[key], "x": round(100 * x, 2),
                             "w": round(100 * share, 2), "percent": round(100 * share), "dominant": key == dominant})
            x += share
    missing = [_(SECTORS[s]) for s in CORE_SECTORS if not mix.get(s)] if judged else []
    return {"segments": segments, "missing": missing, "dominant": _(SECTORS[dominant]) if dominant else None,
            "judged": judged, "judged_from": MIN_MEMBERS_TO_JUDGE, "members": members}


def attention(room: Room, mix: dict, quiet_since: dt.datetime | None, now: dt.datetime, flags: int,
              pending: int, ended: bool = False) -> list[str]:
    """Why a room needs the organiser, in words; none when it does not."""
    reasons = []
    # A quiet room with nobody in it is empty, not stuck, and so is one whose session is over
    # (its card says it ended). The balance of a closed room, or of one whose session is over,
    # can no longer be helped, but one not started yet is the best time to.
    if room.phase in WORKING and mix["members"] and not ended and (
            quiet_since is None or now - quiet_since >= STUCK_AFTER):
        reasons.append(_("Stuck: no activity for %(time)s", time=_minutes(now - quiet_since)) if quiet_since
                       else _("Stuck: no activity for as long as the dashboard can tell"))
    if room.phase != "closed" and not ended:
        if mix["missing"]:
            reasons.append(_("Missing: %(sectors)s", sectors=", ".join(mix["missing"])))
        if mix["dominant"]:
            share = next(s["percent"] for s in mix["segments"] if s["dominant"])
            reasons.append(_("Dominant: %(sector)s (%(share)s%%)", sector=mix["dominant"], share=share))
    if flags:
        reasons.append(ngettext("%(num)s reported contribution waiting", "%(num)s reported contributions waiting",
                                flags))
    if pending:
        reasons.append(ngettext("%(num)s contribution awaiting approval", "%(num)s contributions awaiting approval",
                                pending))
    return reasons


def rooms_at_a_glance(session: Session, actor: Actor, slug: str, presence) -> list[dict]:
    """Every room of the event, those needing attention first (in agenda order within each group)."""
    require_organiser(actor, doing=N_("see the dashboard"))
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(_("No such event."))
    now = clock.now()
    rooms = session.execute(select(Room, ConferenceSession).join(ConferenceSession)
                            .where(ConferenceSession.event_id == event.id)
                            .order_by(ConferenceSession.position, Room.position)).all()
    ids = [r.id for r, _ in rooms]
    windows = {slot.id: window(slot, now, event.timezone) for _, slot in rooms}
    since = min((start for start, _ in windows.values()), default=now)

    def per_room(query):
        return dict(session.execute(query.group_by(query.selected_columns[0])).all())

    comments = per_room(select(Comment.room_id, func.count()).where(Comment.room_id.in_(ids)))
    amendments = per_room(select(Amendment.room_id, func.count()).where(Amendment.room_id.in_(ids)))
    votes = per_room(select(Amendment.room_id, func.count()).join(AmendmentVote).where(Amendment.room_id.in_(ids)))
    activity = RoomEvent.type.not_in(NOT_ACTIVITY)
    last = per_room(select(RoomEvent.room_id, func.max(RoomEvent.created_at)).where(RoomEvent.room_id.in_(ids),
                                                                                   activity))
    # Opening a room or someone arriving starts the quiet clock afresh.
    woken = per_room(select(RoomEvent.room_id, func.max(RoomEvent.created_at)).where(
        RoomEvent.room_id.in_(ids), RoomEvent.type.in_(("phase_changed", "member_joined"))))
    flags: dict[int, int] = {}
    for room_id, _type, _id in session.execute(select(Flag.room_id, Flag.target_type, Flag.target_id).distinct().where(
            Flag.room_id.in_(ids), Flag.resolved_at.is_(None))):
        flags[room_id] = flags.get(room_id, 0) + 1
    pending = _pending(session, ids)
    times: dict[int, list[dt.datetime]] = {}
    for room_id, at in session.execute(select(RoomEvent.room_id, RoomEvent.created_at).where(
            RoomEvent.room_id.in_(ids), activity, RoomEvent.created_at >= series.floor_to(since))):
        times.setdefault(room_id, []).append(at)
    spans: dict[int, list] = {}
    sectors: dict[int, dict[str, int]] = {}
    for room_id, joined, removed, sector in session.execute(
            select(Membership.room_id, Membership.joined_at, Membership.removed_at, Participant.sector)
            .join(Participant).where(Membership.room_id.in_(ids))):
        spans.setdefault(room_id, []).append((joined, removed))
        if removed is None:
            sectors.setdefault(room_id, {})
            sectors[room_id][sector] = sectors[room_id].get(sector, 0) + 1

    def hhmm(moment: dt.datetime) -> str:
        return i18n.time_of_day(moment, event.timezone)

    out = []
    for room, slot in rooms:
        start, end = windows[slot.id]
        counted = series.buckets(times.get(room.id, ()), start=start, end=end)
        # Who was in the room at the end of each five minutes (the last one: now).
        at = [min(b.start + series.BUCKET, end) for b in counted]
        present = series.levels(spans.get(room.id, ()), at)
        mix = balance(sectors.get(room.id, {}))
        quiet_since = max(filter(None, (last.get(room.id), woken.get(room.id))), default=None)
        clock_says = time_left(room, slot, now, event.timezone)
        reasons = attention(room, mix, quiet_since, now, flags.get(room.id, 0), pending.get(room.id, 0),
                            ended=clock_says["ended"])
        busiest = max(counted, key=lambda b: b.count)
        out.append({
            "id": room.id, "name": room.name, "code": room.code, "session": slot.title,
            "session_position": slot.position, "phase": room.phase,
            "phase_label": _(PHASE_LABELS[room.phase]), "here": presence(room.id), "members": mix["members"],
            "comments": comments.get(room.id, 0), "amendments": amendments.get(room.id, 0),
            "votes": votes.get(room.id, 0), "last_activity": last.get(room.id),
            "last_shown": i18n.short_time(last.get(room.id), event.timezone),
            "time": clock_says, "balance": mix, "attention": reasons,
            "flags": flags.get(room.id, 0), "pending": pending.get(room.id, 0),
            "activity": {"buckets": counted, "chart": series.bar_chart([b.count for b in counted]),
                         "total": sum(b.count for b in counted), "latest": counted[-1].count,
                         "busiest": (hhmm(busiest.start), busiest.count) if busiest.count else None},
            "presence": {"chart": series.step_line(present), "now": present[-1], "peak": max(present)},
            "from": hhmm(start), "to": hhmm(end),
            "rows": [(hhmm(b.start), b.count, n) for b, n in zip(counted, present)]})
    return sorted(out, key=lambda r: not r["attention"])


def _pending(session: Session, ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for model in (Comment, Amendment):
        for room_id, n in session.execute(select(model.room_id, func.count()).where(
                model.room_id.in_(ids), model.visibility == "pending").group_by(model.room_id)):
            counts[room_id] = counts.get(room_id, 0) + n
    return counts
