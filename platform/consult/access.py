"""Who may do what in a room, and how an author is signed for whom: the one home of both rules.

A request resolves a room's access once (`room_access`) and hands the `RoomAccess` to every
read it composes; writes start from it too. Attribution is `signed_as`, for the three
audiences that see contributions: the room, the public (published results, exports) and staff
(organisers moderating)."""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from typing import Callable, Literal, TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from consult.db import POST_BUDGET
from consult.prepared import Prepared
from consult.errors import Forbidden, NotFound
from consult.people.actor import Actor
from consult.people.models import SECTORS, Participant
from consult.rooms.models import Membership, Room
from consult.i18n import _

# The roles that steer a room and so see what waits for approval, votes by sector, restricted events.
PRIVILEGED = ("rapporteur", "organiser")

T = TypeVar("T")


def require_organiser(actor: Actor, *, doing: str) -> None:
    """`doing`, marked with N_, completes "Only organisers can ...": the refusal says what was refused."""
    if not actor.is_organiser:
        raise Forbidden(_("Only organisers can %(doing)s.", doing=_(doing)))


@dataclass(frozen=True)
class RoomAccess:
    """What one actor may do in one room, read once: the room, their membership (if any), their
    role there ("organiser" for an organiser who has not joined) and whether it steers."""

    actor: Actor
    room: Room
    membership: Membership | None
    role: str | None
    privileged: bool

    @property
    def room_id(self) -> int:
        return self.room.id

    def member(self) -> Membership:
        """Writing in a room takes membership; organisers join like anyone else to take part."""
        if self.membership is None:
            raise Forbidden(_("Only members of this room can take part in it."))
        return self.membership

    def steer(self) -> Room:
        """The room's rapporteurs, and organisers stepping in, steer the room."""
        if not self.actor.is_organiser and self.role != "rapporteur":
            raise Forbidden(_("Only the room's rapporteur or an organiser can do this."))
        return self.room

    def lists(self, contribution) -> bool:
        """Whether a comment or amendment is listed for this viewer: one awaiting approval only for
        its author and those who steer (a hidden one is listed, its text withheld by the view)."""
        return (contribution.visibility != "pending" or self.privileged
                or contribution.author_id == self.actor.participant_id)


def current_membership(session: Session, actor: Actor, room_id: int) -> Membership | None:
    if actor.participant_id is None:
        return None
    return session.scalar(select(Membership).where(
        Membership.room_id == room_id, Membership.participant_id == actor.participant_id,
        Membership.removed_at.is_(None)))


def room_access(session: Session, actor: Actor, room_id: int) -> RoomAccess:
    """Room members and organisers may read a room; anyone else learns nothing about it."""
    room = session.get(Room, room_id)
    return _resolved(actor, room, current_membership(session, actor, room_id) if room is not None else None)


def _resolved(actor: Actor, room, member) -> RoomAccess:
    if room is None:
        raise NotFound(_("No such room."))
    if member is None and not actor.is_organiser:
        raise Forbidden(_("Join this room with its code to see it."))
    role = member.role if member is not None else "organiser"
    return RoomAccess(actor=actor, room=room, membership=member, role=role, privileged=role in PRIVILEGED)


_ROOMS, _MEMBERS, _PEOPLE = Room.__table__, Membership.__table__, Participant.__table__
# What write_access hands on: the rows, with the ORM objects' attribute names.
_Room = namedtuple("_Room", [c.name for c in _ROOMS.c])
_Member = namedtuple("_Member", [c.name for c in _MEMBERS.c])
_Person = namedtuple("_Person", [c.name for c in _PEOPLE.c])
# The room, the actor's current membership and the member's participant row (who writes) in one
# statement, the room's row locked (PostgreSQL; SQLite's IMMEDIATE write transaction already
# holds the database's lock), built once: it starts every post, and building and keying a
# statement costs more than running it.
_FOR_WRITING = Prepared(
    select(_ROOMS, *(c.label(f"m_{c.name}") for c in _MEMBERS.c), *(c.label(f"p_{c.name}") for c in _PEOPLE.c))
    .select_from(_ROOMS.outerjoin(_MEMBERS, (_MEMBERS.c.room_id == _ROOMS.c.id)
                                  & (_MEMBERS.c.participant_id == bindparam("participant_id"))
                                  & _MEMBERS.c.removed_at.is_(None))
                 .outerjoin(_PEOPLE, _PEOPLE.c.id == _MEMBERS.c.participant_id))
    .where(_ROOMS.c.id == bindparam("room_id")).with_for_update(of=_ROOMS)
)
_ROOM_END, _MEMBER_END = len(_ROOMS.c), len(_ROOMS.c) + len(_MEMBERS.c)


def write_access(session: Session, actor: Actor, room_id: int) -> tuple[RoomAccess, Participant]:
    """The same rule as room_access for a write that goes on to check the room's phase, and
    membership, which every write takes: the room (its row locked until commit, so that a phase
    change waits for the write or the write sees it), the membership and the member's own
    participant row (the author of what they post), as plain rows read in one statement."""
    row = _FOR_WRITING.execute(session.connection(), {"room_id": room_id,
                                                      "participant_id": actor.participant_id}).first()
    if row is None:
        _resolved(actor, None, None)  # raises NotFound
    member = _Member(*row[_ROOM_END:_MEMBER_END]) if row[_ROOM_END] is not None else None
    access = _resolved(actor, _Room(*row[:_ROOM_END]), member)
    access.member()  # raises Forbidden for an organiser who has not joined
    return access, _Person(*row[_MEMBER_END:])


def member_access(session: Session, actor: Actor, room_id: int) -> tuple[RoomAccess, Membership]:
    access = room_access(session, actor, room_id)
    return access, access.member()


def take_part(session: Session, actor: Actor, room_id: int) -> tuple[RoomAccess, Membership]:
    """Every write a participant makes in a room (support, votes, reactions, dots, poll answers,
    flags) starts here: membership, then the post budget."""
    access, member = member_access(session, actor, room_id)
    spend_post_budget(session, member)
    return access, member


def spend_post_budget(session: Session, member: Membership) -> None:
    """One token of the participant's post budget (Database(post_budget=...): in memory for SQLite,
    which serves one process, and shared by every worker in PostgreSQL's rate_buckets).
    Posts with an idempotency key spend it after looking the key up, so that a retry of a post
    already acknowledged gets its stored result even once the budget is spent: a retry is not
    a new post. Without a budget (tests, the command line, sample work) nothing is counted."""
    budget = session.info.get(POST_BUDGET)
    if budget is not None:
        budget.hit(f"p:{member.participant_id}")


def steering_access(session: Session, actor: Actor, room_id: int) -> RoomAccess:
    access = room_access(session, actor, room_id)
    access.steer()
    return access


def in_room(session: Session, actor: Actor, room_id: int, read: Callable[..., T], *args, **kwargs) -> T:
    """Run a read that takes a RoomAccess for an actor and a room id (the API, a single read)."""
    return read(session, room_access(session, actor, room_id), *args, **kwargs)


# -- attribution -------------------------------------------------------------------------------

Audience = Literal["room", "public", "staff"]


@dataclass(frozen=True)
class Signature:
    """How an author appears: their name only where the rule allows it, always sector and country."""

    name: str | None
    sector: str
    country: str

    @property
    def sector_name(self) -> str:
        return _(SECTORS[self.sector]) if self.sector in SECTORS else self.sector

    @property
    def label(self) -> str:
        where = f"{self.sector_name}, {self.country}"
        return f"{self.name} ({where})" if self.name else where


def byline(view: dict) -> str:
    """A contribution's author (a view: its signed_name, sector and country) in the reader's
    language, as Signature.label writes it. A view logged or kept before its parts were carries
    only the label written in its author's language."""
    if "signed_name" not in view:
        return view.get("author", "")
    if not view.get("author"):
        return ""  # hidden by a moderator
    return Signature(view["signed_name"], view["sector"], view["country"]).label


def signed_as(author: Participant, attribution: str, room: Room | None, audience: Audience) -> Signature:
    """The room sees a name where its owner signed with it, never in an anonymous room (also what
    was signed before the room became one). The public (published results, exports) sees it only
    where, besides, its owner agreed to be named in the results. Staff moderating see who wrote it
    (whatever the room: for them `room` may be None)."""
    if audience == "staff":
        named = True
    else:
        named = attribution == "name" and not room.anonymous
        if audience == "public":
            named = named and author.named_in_results
    return Signature(author.name if named else None, author.sector, author.country)
