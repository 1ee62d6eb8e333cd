"""More of the demo's sample work: a room's attendees react to its paragraphs and write short
comments, so that the synthesis (agreement by sector, opinion groups, themes) has something to
show. Deterministic: the same demo gives the same picture."""
from __future__ import annotations

import random

from sqlalchemy.orm import Session

from consult.contributions import service as contributions
from consult.engagement import service as engagement
from consult.people.actor import Actor
from consult.accounts.joining import join
from consult.rooms.models import Room
from consult.rooms.service import room_paragraph_ids

# (sector, country, leaning): leaning > 0 puts enforcement first, < 0 health and social care.
# Every room has two police officers and two health workers, so that a paragraph two rooms
# worked on has enough of each for a split to be tested; the fifth seat rotates.
ATTENDEES = [("law_enforcement", "BE", 0.9), ("health", "ES", -0.9), ("law_enforcement", "DE", 0.8),
             ("health", "PT", -0.8)]
FIFTH = [("civil_society", "IE", -0.9), ("local_authority", "FR", 0.5), ("social_services", "AT", -0.8),
         ("policymaker", "DK", 0.6), ("research", "FI", -0.3)]

# Things attendees say, a few ways each, so that the themes have something to find.
SAYINGS = [
    "Police data should only be shared with health services when there is a clear legal basis.",
    "Without a clear legal basis, police and health data must stay separate.",
    "Cities can only act if they get the data at neighbourhood level.",
    "Municipalities should receive the figures per neighbourhood, not only national totals.",
    "Outreach services need long-term funding, not one-year project grants.",
    "Funding for outreach services must be stable and multi-annual.",
    "Children recruited by criminal networks should be treated as victims, not offenders.",
    "Minors exploited by criminal networks are victims first and must be protected.",
    "Reporting once a year is too slow to follow a fast-moving market.",
    "Yearly reporting is too slow; the market changes faster than that.",
    "Port workers are being bribed and threatened by traffickers.",
    "Dock workers in the ports face threats and bribes from traffickers.",
    "Les données de police ne doivent être partagées qu'avec une base légale claire.",
    "Die Finanzierung der Straßensozialarbeit muss langfristig gesichert sein.",
]


def take_part(session: Session, room: Room, keys) -> None:
    """Five attendees join the room, react to each of its paragraphs and write a comment. (Only
    five: each reaction is a logged room event, and more would slow the demo button down.)"""
    rng = random.Random(room.code)
    paragraphs = sorted(room_paragraph_ids(session, room.id))
    # Per paragraph, the same in every room: which way it leans (None: everyone can live with it).
    polarity = {pid: random.Random(pid).choice([None, 1, -1]) for pid in paragraphs}
    start = 3 * room.position + 5 * room.slot.position
    for n, (sector, country, leaning) in enumerate([*ATTENDEES, FIFTH[start % len(FIFTH)]]):
        participant, _, _ = join(session, Actor(), code=room.code, name=f"Attendee {room.code}-{n + 1}",
                                 organisation="", sector=sector, country=country)
        actor = Actor(participant_id=participant.id)
        for pid in paragraphs:
            lean = polarity[pid]
            if lean is None:
                stance = "agree" if rng.random() < 0.85 else rng.choice(["pass", "disagree"])
            else:
                likes = (leaning + rng.gauss(0, 0.25)) * lean > 0
                stance = ("agree" if likes else "disagree") if rng.random() < 0.9 else "pass"
            engagement.react(session, actor, room.id, paragraph_id=pid, stance=stance,
                             needs_discussion=rng.random() < 0.1)
        text = SAYINGS[(start + n) % len(SAYINGS)]
        contributions.post_comment(session, actor, room.id, text=text, paragraph_id=rng.choice(paragraphs),
                                   parent_id=None, attribution="sector", idempotency_key=next(keys))
