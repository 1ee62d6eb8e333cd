"""The synthesis of an event across its rooms: who may see it, and building it once per change.

Organisers see the whole event; a room's rapporteur sees the themes of their own room only,
grouped from that room's comments alone, so that nothing from another room reaches them, not
even a label. Every output is pseudonymised: sectors, rooms and pseudonyms (P-000123, as in
the workbook), never a name or an organisation.

Building it takes seconds on a large event, so it runs in the thread pool (the routes call it
through core.read) and is kept until the event changes (data.change_mark)."""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.access import require_organiser, steering_access
from consult import clock, i18n
from consult.conference.models import Event
from consult.documents.models import Document, Paragraph, Section
from consult.errors import NotFound
from consult.people.actor import Actor
from consult.people.models import SECTORS
from consult.synthesis import data as queries
from consult.synthesis.consensus import Tally, consensus, divisiveness
from consult.synthesis.groups import opinion_groups, representative
from consult.synthesis.themes import themes as group_texts
from consult.i18n import N_
from consult.i18n import _

TOP = 5
GROUP_NAMES = "ABCDE"
QUOTES = 3


def pseudonym(participant_id: int) -> str:
    return f"P-{participant_id:06d}"


def _event(session: Session, actor: Actor, slug: str) -> Event:
    require_organiser(actor, doing=N_("see the synthesis across rooms"))
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(_("No such event."))
    return event


# -- agreement by sector --------------------------------------------------------------------

def _tallies(d: queries.EventData) -> dict[str, dict[str, Tally]]:
    counts: dict[str, dict[str, list[int]]] = {}
    for v in d.votes:
        row = counts.setdefault(v.item, {}).setdefault(d.sectors[v.participant_id], [0, 0, 0, 0])
        row[{"agree": 0, "disagree": 1, "pass": 2, "abstain": 2}[v.choice]] += v.choice != ""
        row[3] += v.discuss
    return {item: {s: Tally(*c) for s, c in by.items()} for item, by in counts.items()}


def _tally_json(t: Tally) -> dict:
    share = t.share()
    return {"agree": t.agree, "disagree": t.disagree, "neutral": t.neutral, "discuss": t.discuss, "seen": t.seen,
            "agree_share": None if share is None else round(share, 4)}


def agreement(d: queries.EventData) -> dict:
    tallies = _tallies(d)
    present = {d.sectors[v.participant_id] for v in d.votes if v.choice}
    sectors = [s for s in SECTORS if s in present]
    items = []
    for item in d.items:
        by_sector = tallies.get(item.key, {})
        total = sum(by_sector.values(), Tally())
        split = divisiveness(by_sector)
        items.append({
            "key": item.key, "kind": item.kind, "id": item.id, "paragraph_id": item.paragraph_id,
            "number": item.number, "document": item.document, "title": item.title,
            "rooms": [d.rooms[r] for r in d.rooms if r in item.rooms],
            "by_sector": {s: _tally_json(by_sector[s]) for s in sectors if s in by_sector},
            "total": _tally_json(total),
            "consensus": round(consensus(by_sector, sectors), 6) if total.seen else None,
            "divisiveness": {"strength": round(split.strength, 4), "chi2": round(split.chi2, 4), "df": split.df,
                             "p": round(split.p, 6), "significant": split.significant,
                             "agreeing": list(split.agreeing), "disagreeing": list(split.disagreeing)},
        })
    seen = [i for i in items if i["consensus"] is not None]
    consensual = sorted(seen, key=lambda i: (-i["consensus"], i["key"]))[:TOP]
    divisive = sorted((i for i in seen if i["divisiveness"]["significant"]),
                      key=lambda i: (-i["divisiveness"]["strength"], i["divisiveness"]["p"], i["key"]))[:TOP]
    return {"sectors": sectors, "items": items, "most_consensual": [i["key"] for i in consensual],
            "most_divisive": [i["key"] for i in divisive]}


# -- opinion groups ---------------------------------------------------------------------------

def opinions(d: queries.EventData, titles: dict[str, str]) -> dict | None:
    keys = [i.key for i in d.items]
    column = {k: n for n, k in enumerate(keys)}
    people = sorted({v.participant_id for v in d.votes if v.choice})
    row = {p: n for n, p in enumerate(people)}
    matrix = np.full((len(people), len(keys)), np.nan)
    for v in d.votes:
        if v.choice:
            matrix[row[v.participant_id], column[v.item]] = queries.VALUE[v.choice]
    found = opinion_groups(matrix) if people else None
    if found is None:
        return None
    on_map = matrix[found.members]
    groups = []
    for g in range(found.k):
        mask = found.labels == g
        mix: dict[str, int] = {}
        for p in found.members[mask]:
            sector = d.sectors[people[p]]
            mix[sector] = mix.get(sector, 0) + 1
        groups.append({"name": GROUP_NAMES[g], "size": int(mask.sum()),
                       "sectors": {s: mix[s] for s in SECTORS if s in mix},
                       "representative": [{"key": keys[r.item], "title": titles[keys[r.item]], "direction": r.direction,
                                           "share": round(r.share, 3), "z": round(r.z_ratio, 2)}
                                          for r in representative(on_map, mask)]})
    span = float(np.abs(found.coords).max()) or 1.0
    points = [{"participant": pseudonym(people[p]), "group": GROUP_NAMES[int(label)],
               "x": round(float(x) / span, 4), "y": round(float(y) / span, 4)}
              for p, label, (x, y) in zip(found.members, found.labels, found.coords)]
    return {"k": found.k, "silhouette": round(found.silhouette, 4), "on_map": len(found.members),
            "left_out": len(people) - len(found.members), "groups": groups, "points": points}


# -- themes -----------------------------------------------------------------------------------

def theme_list(writing: list[queries.Writing], rooms: dict[int, str], numbers: dict[int, str]) -> dict:
    found = group_texts([w.text for w in writing])
    listed, alone = [], []
    for theme in found:
        members = [writing[i] for i in theme.members]
        if len(members) < 2:
            alone.append(members[0].key)
            continue
        sectors: dict[str, int] = {}
        for w in members:
            sectors[w.sector] = sectors.get(w.sector, 0) + 1
        listed.append({
            "id": len(listed) + 1, "label": theme.label, "size": len(members),
            "rooms": [rooms[r] for r in rooms if any(w.room_id == r for w in members)],
            "sectors": {s: sectors[s] for s in SECTORS if s in sectors},
            "paragraph_ids": sorted({w.paragraph_id for w in members if w.paragraph_id}),
            "representative": [{"key": w.key, "text": w.text, "room": rooms[w.room_id], "sector": w.sector,
                                "paragraph": numbers.get(w.paragraph_id, "General")} for w in members[:QUOTES]],
            "members": [w.key for w in members],
        })
    return {"themes": listed, "not_grouped": alone}


def by_paragraph(themes: list[dict]) -> dict[int, list[dict]]:
    """The themes that touch each paragraph, largest first."""
    out: dict[int, list[dict]] = {}
    for theme in themes:
        for pid in theme["paragraph_ids"]:
            out.setdefault(pid, []).append(theme)
    return out


# -- the whole synthesis, cached ----------------------------------------------------------------

@dataclass
class _Entry:
    mark: tuple
    value: dict


_cache: dict[tuple, _Entry] = {}
_lock = threading.Lock()


def build(session: Session, event: Event, room_id: int | None = None) -> dict:
    d = queries.load(session, event.id, room_id)
    numbers = {i.paragraph_id: i.number for i in d.items if i.kind == "paragraph"}
    result = {"event": event.slug, "generated_at": clock.now().isoformat(timespec="seconds") + "Z",
              **agreement(d)}
    result["groups"] = opinions(d, {i.key: i.title for i in d.items}) if room_id is None else None
    result.update(theme_list(d.writing, d.rooms, numbers))
    return result


def cached(session: Session, event: Event, room_id: int | None = None) -> dict:
    """Built once per change of the event and per language (its labels are written in the
    reader's); concurrent readers wait for one build."""
    key = (str(session.get_bind().url), event.id, room_id, i18n.current())
    mark = queries.change_mark(session, event.id)
    with _lock:
        entry = _cache.get(key)
        if entry is None or entry.mark != mark:
            entry = _cache[key] = _Entry(mark, build(session, event, room_id))
    return entry.value


def synthesis(session: Session, actor: Actor, slug: str) -> dict:
    return cached(session, _event(session, actor, slug))


def room_themes(session: Session, actor: Actor, room_id: int) -> dict[int, list[dict]]:
    """Themes beside each paragraph on a room's workbench: from that room's comments only."""
    room = steering_access(session, actor, room_id).room
    event = session.get(Event, room.slot.event_id)
    return by_paragraph(cached(session, event, room_id)["themes"])


def paragraph_event_themes(session: Session, actor: Actor, paragraph_id: int) -> dict[int, list[dict]]:
    """Themes beside a paragraph on the consolidation page (organisers), from every room."""
    require_organiser(actor, doing=N_("see the themes across rooms"))
    found = session.execute(select(Document.event_id).join(Section).join(Paragraph)
                            .where(Paragraph.id == paragraph_id)).scalar()
    if found is None:
        raise NotFound(_("No such paragraph."))
    themes = by_paragraph(cached(session, session.get(Event, found))["themes"])
    return {paragraph_id: themes.get(paragraph_id, [])}
