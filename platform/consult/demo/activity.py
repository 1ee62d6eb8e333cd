"""Sample work in the demo's parallel rooms, made through the real services, so that an
organiser can consolidate at once and see changes, merges and conflicts.

`python run.py demo-activity`, or the button on the organiser's page. Runs once: a pair of
rooms where either already has amendments (someone tried the room first) is left as it is."""
from __future__ import annotations

import itertools

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.db import POST_BUDGET
from consult.amendments import service as amendments
from consult.amendments.models import Amendment
from consult.contributions import service as contributions
from consult.demo import content, opinions
from consult.documents.models import Document, Section
from consult.drafting import service as drafting
from consult.people.actor import Actor
from consult.people.models import Organiser
from consult.accounts.joining import join
from consult.steering import drafts, service as steering
from consult.rooms.models import Room

PEOPLE = [("Inês Carvalho", "health", "PT"), ("Jan de Vries", "law_enforcement", "NL"),
          ("Marta Nowak", "social_services", "PL"), ("Luc Martin", "local_authority", "FR"),
          ("Eva Lindqvist", "research", "SE"), ("Paolo Ricci", "policymaker", "IT"),
          ("Katrin Weber", "civil_society", "DE"), ("Tomas Horvath", "law_enforcement", "SK")]

# Per pair of parallel rooms: (section key, paragraph index, what the first room does, what
# the second does). An action is ("replace", find, replace), ("delete",), ("insert", text),
# ("reject", find, replace, reason) or None.
PLAN = {
    ("K7MPQ2", "R4XTN8"): [
        ("definitions", 0, ("replace", "any intentional use of force", "any deliberate use of force"),
         ("replace", "any intentional use of force", "any wilful use of force")),
        ("definitions", 1, ("replace", "three broad categories", "three distinct categories"),
         ("replace", "as a priority", "as a first priority")),
        ("definitions", 2, ("delete",), ("replace", "optional national extensions",
                                         "optional national extensions agreed with the EU Drugs Agency")),
        ("indicators", 0, ("replace", "report annually", "report every year"),
         ("replace", "report annually", "report every year")),
        ("indicators", 1, ("insert", "Indicators on violence against women and girls in drug markets should be "
                                     "developed together with specialised support services."), None),
        ("indicators", 2, None, ("reject", "are intended to balance", "are meant to complement",
                                 "The room preferred to keep 'balance': it states the purpose.")),
    ],
    ("H9WDF3", "Z2LBV6"): [
        ("data_sources", 1, ("replace", "are encouraged to introduce", "should introduce"),
         ("replace", "are encouraged to introduce", "should introduce")),
        ("external", 0, None, ("insert", "Incidents in neighbouring countries that share drug routes with the EU "
                                         "should be covered from the first reporting cycle.")),
    ],
    ("P5CQJ7", "T8GNX4"): [
        ("prevention", 0, ("replace", "must start well before", "must start early, well before"),
         ("replace", "must start well before", "should begin long before")),
        ("prevention", 1, ("replace", "treated primarily as victims", "treated first and foremost as victims"),
         ("replace", "national protocols", "national and local protocols")),
        ("public_health", 0, ("replace", "as well as a security issue", "as much as a security issue"),
         ("replace", "as well as a security issue", "as much as a security issue")),
        ("prevention", 2, None, ("insert", "Cities should involve young people themselves in designing these "
                                           "spaces and programmes.")),
        ("public_health", 1, ("reject", "are often the only services", "are usually the only services",
                              "Not supported by the evidence the room discussed."), None),
    ],
    ("M3YRK9", "B6HSW2"): [
        ("law_enforcement", 1, ("replace", "should be strengthened", "must be strengthened"), None),
        ("law_enforcement", 2, None, ("replace", "We call for police and justice authorities",
                                      "We call for police, prosecutors and justice authorities")),
    ],
}

COMMENTS = [
    "Our services see this every week; the text should say so plainly.",
    "This needs a clear legal basis before police data can be shared.",
    "Local authorities need the same figures, broken down by neighbourhood.",
    "Researchers can only use this if definitions stay stable over time.",
]


def fill(session: Session) -> tuple[list[str], list[str]]:
    """-> (the rooms filled, the demo rooms left as they were because they or their pair held work)."""
    # The sample work is the organiser's one request, not the posts of the people it shows:
    # their post budgets are not spent by it.
    session.info.pop(POST_BUDGET, None)
    codes = {r.code: r for r in session.scalars(select(Room).where(
        Room.code.in_([c for pair in PLAN for c in pair])))}
    busy = set(session.scalars(select(Amendment.room_id).where(
        Amendment.room_id.in_([r.id for r in codes.values()])).distinct()))
    plan = {pair: steps for pair, steps in PLAN.items()
            if not any(codes[c].id in busy for c in pair if c in codes)}
    left = [codes[c].name for pair in PLAN if pair not in plan for c in pair if c in codes]
    if len(codes) < 2 or not plan:
        return [], left
    organiser_id = session.scalar(select(Organiser.id).order_by(Organiser.id).limit(1))
    organiser = Actor(organiser_id=organiser_id)
    paragraphs = _paragraphs(session)
    keys = (f"demo{n:06d}" for n in itertools.count())
    for pair, steps in plan.items():
        people = {}
        for index, code in enumerate(pair):
            room = codes.get(code)
            if room is None:
                continue
            people[code] = [_join(session, code, *person) for person in PEOPLE[index::2][:4]]
            rapporteur = people[code][0]
            steering.make_rapporteur(session, organiser, room.id, participant_id=rapporteur.participant_id)
            _discuss(session, room, people[code], paragraphs, steps, keys)
            opinions.take_part(session, room, keys)
        proposed = {code: [] for code in people}
        for section, index, *actions in steps:
            pid, text = paragraphs[(section, index)]
            for code, action in zip(pair, actions):
                if action is None or code not in people:
                    continue
                proposed[code].append(_propose(session, codes[code].id, people[code][1], pid, text, action, keys))
        for code, members in people.items():
            room = codes[code]
            rapporteur = members[0]
            steering.set_phase(session, rapporteur, room.id, phase="voting")
            for n, (amendment, action) in enumerate(proposed[code]):
                for m, voter in enumerate(members):
                    choice = "disagree" if action[0] == "reject" and m % 2 else ("agree" if (m + n) % 4 else "abstain")
                    amendments.vote(session, voter, amendment["id"], choice=choice)
            for amendment, action in proposed[code]:
                if action[0] == "reject":
                    amendments.decide(session, rapporteur, amendment["id"], decision="reject", reason=action[3])
                else:
                    amendments.decide(session, rapporteur, amendment["id"], decision="accept")
            cited = ", ".join(f"#a{a['id']}" for a, action in proposed[code] if action[0] != "reject")
            version, _ = drafting.latest(session, room.id)
            drafts.save(session, rapporteur, room.id, base_version=version, paragraphs=None,
                          conclusions=f"**{room.name.split(' - ')[0]}** agreed on the changes in {cited}.\n\n"
                          "- Health and police data must stay separate unless a clear legal basis exists.\n"
                          "- Local authorities should receive figures at neighbourhood level.\n"
                          "- Disagreement remained between sectors on how wide the core definition should be.")
            if room.slot.position == 0:
                steering.set_phase(session, rapporteur, room.id, phase="closed")
    return [codes[c].name for pair in plan for c in pair if c in codes], left


def _paragraphs(session: Session) -> dict:
    keys = {(d["kind"], s["title"]): s["key"] for d in content.DOCUMENTS for s in d["sections"]}
    out = {}
    for section, kind in session.execute(select(Section, Document.kind).join(Document)):
        key = keys.get((kind, section.title))
        for p in section.paragraphs:
            out[(key, p.position)] = (p.id, p.text)
    return out


def _join(session: Session, code: str, name: str, sector: str, country: str) -> Actor:
    participant, _, _ = join(session, Actor(), code=code, name=name, organisation="Demo organisation",
                             sector=sector, country=country,
                             named_in_results=True)
    return Actor(participant_id=participant.id)


def _discuss(session, room, members, paragraphs, steps, keys) -> None:
    comments = []
    for n, (section, index, *_) in enumerate(steps[:len(COMMENTS)]):
        pid, _ = paragraphs[(section, index)]
        comment, _ = contributions.post_comment(session, members[n % len(members)], room.id, text=COMMENTS[n],
                                                paragraph_id=pid,
                                                parent_id=None, attribution="name" if n % 2 else "sector",
                                                idempotency_key=next(keys))
        comments.append(comment)
    if comments:
        contributions.post_comment(session, members[-1], room.id, text="Agreed, and the same holds for our region.",
                                   paragraph_id=None, parent_id=comments[0]["id"], attribution="sector",
                                   idempotency_key=next(keys))
        for supporter in members[1:]:
            contributions.set_support(session, supporter, comments[0]["id"], on=True)
        contributions.mark_taken(session, members[0], comments[0]["id"], taken=True)


def _propose(session, room_id, author, paragraph_id, text, action, keys):
    kind = action[0]
    if kind in ("replace", "reject"):
        new = text.replace(action[1], action[2], 1)
        amendment, _ = amendments.propose(session, author, room_id, paragraph_id=paragraph_id, kind="replace", text=new,
                                          rationale="Clearer and closer to practice in our services.",
                                          attribution="sector", idempotency_key=next(keys))
    elif kind == "delete":
        amendment, _ = amendments.propose(session, author, room_id, paragraph_id=paragraph_id, kind="delete", text="",
                                          rationale="Out of scope: the core definition is settled above.",
                                          attribution="sector", idempotency_key=next(keys))
    else:
        amendment, _ = amendments.propose(session, author, room_id, paragraph_id=paragraph_id, kind="insert_after",
                                          text=action[1],
                                          rationale="A gap the room wants filled.", attribution="name",
                                          idempotency_key=next(keys))
    return amendment, action
